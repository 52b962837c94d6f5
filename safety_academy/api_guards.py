"""The API's guards against hostile input and traffic: JSON nested past the recursion limit, bodies over
the upload limit, and throttles that count by the real client address (safety_academy.client_ip).

Kept apart from api_support because DRF imports these while its views module is still loading."""

from rest_framework import exceptions, parsers, throttling

from safety_academy import ratelimit
from safety_academy.client_ip import client_ip


class RequestTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = "The request body is larger than this endpoint accepts."
    default_code = "too_large"


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with JSON nested past Python's recursion limit refused as a parse error."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError("JSON parse error - the document is nested too deeply.") from None


class FixedWindowThrottle:
    """DRF's rate, counted in fixed windows with one counter per client (safety_academy.ratelimit), as the site's
    own limits are: one cache round trip per call, where DRF's list of every recent call's time costs a read and
    a write of the whole list. A client may spend a window's allowance at its end and the next at the start."""

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        ident = self.get_cache_key(request, view)
        if ident is None:
            return True
        allowed, self.retry_after = ratelimit.hit(
            action="api", ident=ident, limit=self.num_requests, period=self.duration
        )
        return allowed

    def wait(self):
        return getattr(self, "retry_after", None)


class AnonRateThrottle(FixedWindowThrottle, throttling.AnonRateThrottle):
    def get_ident(self, request):
        return client_ip(request)


class UserRateThrottle(FixedWindowThrottle, throttling.UserRateThrottle):
    def get_ident(self, request):
        return client_ip(request)
