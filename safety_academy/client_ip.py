"""The client's address, derived in one place from `TRUSTED_PROXY_COUNT` and used by every rate limit
(allauth, DRF, search) and by the logs.

Each trusted proxy appends the address it received the request from to `X-Forwarded-For`, so the
client is the entry `TRUSTED_PROXY_COUNT` from the right; anything left of it was written by the
client and is ignored. With no proxy configured the header is ignored entirely.
"""

from __future__ import annotations

import contextvars
import ipaddress
import logging
import time

from django.conf import settings

_current = contextvars.ContextVar("client_ip", default="-")
access_logger = logging.getLogger("safety_academy.access")


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if hops:
            candidate = hops[-min(proxies, len(hops))]
            if _valid(candidate):
                return candidate
    return remote if _valid(remote) else "unknown"


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


class ClientIpMiddleware:
    """Makes the request's client address available to log records (`%(client_ip)s`), and writes the
    access log line when `ACCESS_LOG` is on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current.set(client_ip(request))
        started = time.monotonic()
        try:
            response = self.get_response(request)
            if settings.ACCESS_LOG:
                access_logger.info(
                    "%s %s %s %.0f ms",
                    request.method,
                    request.get_full_path(),
                    response.status_code,
                    (time.monotonic() - started) * 1000,
                )
            return response
        finally:
            _current.reset(token)


class ClientIpLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "client_ip"):
            request = getattr(record, "request", None)  # django.request logs after the middleware has returned
            record.client_ip = client_ip(request) if hasattr(request, "META") else _current.get()
        return True
