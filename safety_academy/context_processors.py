"""What every page may show without a query: the site's name."""

from django.conf import settings


def site(request) -> dict:
    return {"site_name": settings.SITE_NAME}
