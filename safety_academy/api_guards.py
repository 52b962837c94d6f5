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
        counter = self.counter(request, view)
        if counter is None:
            return True
        key, timeout = counter
        # A kept answer's lookup (safety_academy.learner_pages) may have counted this call already.
        counted = getattr(getattr(request, "_request", request), "counted_hits", {})
        count = counted[key] if key in counted else ratelimit.count_hit(key, timeout=timeout)
        return count <= self.num_requests

    def counter(self, request, view) -> tuple[str, int] | None:
        """The caller's counter in the current window (its key and lifetime), or None when nothing is counted."""
        if self.rate is None:
            return None
        ident = self.get_cache_key(request, view)
        if ident is None:
            return None
        key, self.retry_after = ratelimit.window(action="api", ident=ident, period=self.duration)
        return key, self.duration + 1

    def wait(self):
        return getattr(self, "retry_after", None)


class AnonRateThrottle(FixedWindowThrottle, throttling.AnonRateThrottle):
    def get_ident(self, request):
        return client_ip(request)


class UserRateThrottle(FixedWindowThrottle, throttling.UserRateThrottle):
    def get_ident(self, request):
        return client_ip(request)
