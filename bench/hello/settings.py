"""The least Django needs to serve one view: no apps, no middleware, no database, debug off."""

import os

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "hello.urls"
DATABASES: dict = {}
USE_TZ = True
