"""Site-wide views: friendly error pages, liveness and readiness checks, the admin's way in."""

import logging

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_safe

from safety_academy.api_support import error_response

logger = logging.getLogger(__name__)


def page_not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return error_response(404, "not_found", "No such endpoint.")
    message = ""
    if exception is not None and exception.args and isinstance(exception.args[0], str):
        message = exception.args[0]
    return render(request, "404.html", {"message": message}, status=404)


def bad_request(request, exception=None):
    if request.path.startswith("/api/"):
        return error_response(400, "invalid", "The request could not be understood.")
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    if request.path.startswith("/api/"):
        return error_response(403, "permission_denied", "You do not have permission to perform this action.")
    return render(request, "403.html", status=403)


def server_error(request):
    if request.path.startswith("/api/"):
        return error_response(500, "server_error", "Something went wrong on our side; the error has been logged.")
    return render(request, "500.html", status=500)


@require_safe
def livez(request):
    """Liveness: the process answers. Touches nothing else, so a dependency outage never restarts it."""
    return JsonResponse({"status": "ok"})


@require_safe
def healthz(request):
    """Readiness: each dependency by name, and a 503 while any is down (the load balancer stops routing)."""
    checks = {"database": _database_status(), "cache": _cache_status(), "broker": _broker_status()}
    ready = all(state in ("ok", "not used") for state in checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        logger.error("readiness: the database is unreachable: %s", exc)
        return "unavailable"
    return "ok"


def _cache_status() -> str:
    is_available = getattr(cache, "is_available", None)
    if is_available is None:  # the local-memory cache of the embedded default
        return "ok"
    if is_available():
        return "ok"
    logger.error("readiness: the cache is unreachable")
    return "unavailable"


def _broker_status() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "not used"
    from safety_academy.celery import app

    try:
        with app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
    except Exception as exc:
        logger.error("readiness: the broker is unreachable: %s", exc)
        return "unavailable"
    return "ok"


@require_safe
def admin_login(request):
    """The admin signs in through the site's own sign-in (allauth): one set of rate limits and lockouts,
    and the second factor, for everyone."""
    target = request.GET.get("next") or reverse("admin:index")
    if request.user.is_authenticated:  # signed in, but the admin refused them: say so instead of looping
        return render(request, "403.html", {"message": "This account has no access to the admin."}, status=403)
    return redirect_to_login(target, login_url=reverse("account_login"))


@require_safe
def admin_password_change(request):
    """The admin's own password change is the site's, which also revokes the API token."""
    return redirect("account_change_password")


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; send them to the real icon."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
