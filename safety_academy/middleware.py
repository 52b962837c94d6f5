"""Request guards every view relies on, applied once, before any view runs, and the headers every
response carries."""

from urllib.parse import unquote_to_bytes

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseBadRequest, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control

from safety_academy.api_support import error_response

PAGE_METHODS = ("GET", "HEAD", "POST")


class RejectNulBytesMiddleware:
    """A NUL byte in the path or the query string is never meaningful, and PostgreSQL refuses it in text:
    answer 400 here rather than let it reach a query and become a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raw_path = request.META.get("PATH_INFO", "")
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in raw_path or b"\x00" in unquote_to_bytes(query.replace("+", " ")):
            detail = "The request contains a NUL byte."
            if request.path.startswith("/api/"):
                return error_response(400, "invalid", detail)
            return HttpResponseBadRequest(render_to_string("400.html", {"message": detail}, request=request))
        return self.get_response(request)


class PageMethodsMiddleware:
    """Pages (everything outside the API) are read with GET and HEAD and changed with POST; any other
    method is a 405 here, for the admin's and allauth's views as for ours. Each of our views narrows
    this further with `require_http_methods`; the API's views list their own methods."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in PAGE_METHODS and not request.path.startswith("/api/"):
            return HttpResponseNotAllowed(PAGE_METHODS)
        return self.get_response(request)


class StaffMfaMiddleware:
    """Staff hold the keys to every team and the admin: until they have a second factor (an
    authenticator app or a security key) every page sends them to set one up."""

    FREE_PREFIXES = ("/accounts/", "/static/", "/healthz", "/livez")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and user.is_staff
            and not request.path.startswith(self.FREE_PREFIXES)
            and not is_mfa_enabled(user, types=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN])
        ):
            detail = "Staff accounts need two-factor authentication. Set it up to continue."
            if request.path.startswith("/api/"):  # a browser session on the API; tokens are checked by DRF
                return error_response(403, "mfa_required", detail)
            messages.info(request, detail)
            return HttpResponseRedirect(reverse("mfa_index"))
        return self.get_response(request)


class ResponseHeadersMiddleware:
    """What a signed-in person sees, and every API answer, is kept out of shared caches and the browser's
    disk (`private, no-store`); every response states the browser features the site does without."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        personal = request.path.startswith("/api/") or request.user.is_authenticated
        if personal and "public" not in response.get("Cache-Control", ""):
            patch_cache_control(response, private=True, no_store=True)
        return response
