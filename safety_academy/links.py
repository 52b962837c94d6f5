"""Links that leave the site (emails, QR codes, credentials, exports) and the site's own name, built here
and nowhere else."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """`path` (from reverse() or get_absolute_url()) on the public base URL, SITE_URL."""
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def site_name() -> str:
    return settings.SITE_NAME
