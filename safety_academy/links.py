"""Links that leave the site (emails, QR codes, credentials, exports) and the site's own name, built here
and nowhere else; and the site's own paths, remembered (`site_path`, and the templates' `{% url %}`), as is
the view a path resolves to (`site_route`, which the page caches ask on every request)."""

from functools import lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import ResolverMatch, get_script_prefix, get_urlconf, resolve, reverse


def absolute_url(path: str) -> str:
    """`path` (from reverse() or get_absolute_url()) on the public base URL, SITE_URL."""
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def site_name() -> str:
    return settings.SITE_NAME


# --- The site's own addresses, remembered ---------------------------------------------------------------------
# A page names the same few hundred addresses over and over (a lesson page about twenty), and Django's reverse()
# costs tens of microseconds each: answers for plain arguments (text, numbers) are remembered per process.


@lru_cache(maxsize=16384)
def _remembered(view_name: str, args: tuple, kwargs: tuple, current_app, prefix: str, urlconf) -> str:
    return reverse(view_name, urlconf=urlconf, args=args, kwargs=dict(kwargs), current_app=current_app)


def site_path(view_name: str, *args, current_app: str | None = None, **kwargs) -> str:
    """reverse(view_name, args=args, kwargs=kwargs), remembered when every argument is text or a number."""
    if all(isinstance(value, (str, int)) for value in (*args, *kwargs.values())):
        key = tuple(sorted(kwargs.items()))
        return _remembered(view_name, args, key, current_app, get_script_prefix(), get_urlconf())
    return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)


# Resolving tries the URL patterns in order: an API address, late in the list, costs over 60 microseconds, a
# tenth of what a page kept in the cache costs to serve. Paths that match are remembered (Resolver404 is
# raised again each time, so unknown addresses fill nothing).


@lru_cache(maxsize=4096)
def _route(path_info: str, urlconf) -> ResolverMatch:
    return resolve(path_info, urlconf)


def site_route(path_info: str) -> ResolverMatch:
    """resolve(path_info), remembered per path: read its func, args and kwargs, never change them (it is shared)."""
    return _route(path_info, get_urlconf())


@receiver(setting_changed)
def _forget_addresses(*, setting, **kwargs):
    if setting in ("ROOT_URLCONF", "FORCE_SCRIPT_NAME"):  # tests only: a deployed site's addresses never change
        _remembered.cache_clear()
        _route.cache_clear()
