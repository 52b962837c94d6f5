"""WSGI entry point of the hello baseline (gunicorn, with bench/ on the Python path)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "hello.settings"
application = get_wsgi_application()
