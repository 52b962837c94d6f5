"""Request guards every view relies on, applied once, before any view runs."""

from urllib.parse import unquote_to_bytes

from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string

from safety_academy.api_support import error_response


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
