"""Site-wide views: friendly error pages and a health check for the load balancer."""

from django.db import connection
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static

from safety_academy.api_support import error_response


def page_not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return error_response(404, "not_found", "No such endpoint.")
    message = ""
    if exception is not None and exception.args and isinstance(exception.args[0], str):
        message = exception.args[0]
    return render(request, "404.html", {"message": message}, status=404)


def server_error(request):
    if request.path.startswith("/api/"):
        return error_response(500, "server_error", "Something went wrong on our side; the error has been logged.")
    return render(request, "500.html", status=500)


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; send them to the real icon."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
