"""What every API endpoint shares: pagination, and one error format for every 4xx.

Every error body is `{"error": {"status": …, "code": …, "detail": …, "fields": {…}}}`.
"""

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.views import exception_handler as drf_exception_handler

from safety_academy.api_guards import RequestTooLarge


def error_response(status: int, code: str, detail: str) -> JsonResponse:
    """The API's one error format, for errors answered outside DRF (middleware, the 404/500 handlers)."""
    return JsonResponse({"error": {"status": status, "code": code, "detail": detail, "fields": {}}}, status=status)


class StandardPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def _flatten(detail):
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [str(item) if not isinstance(item, dict | list) else _flatten(item) for item in detail]
    return [str(detail)]


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):  # a service's rule, shown with its field as it is
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or "Not found.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    fields = {}
    detail = "Request failed."
    code = getattr(exc, "default_code", "error")
    if isinstance(exc, exceptions.ValidationError):
        data = exc.detail
        if isinstance(data, dict):
            non_field = data.get("non_field_errors")
            fields = {k: _flatten(v) for k, v in data.items() if k != "non_field_errors"}
            detail = str(non_field[0]) if non_field else "Some fields are invalid."
        else:
            items = _flatten(data)
            detail = items[0] if items else "Invalid input."
            fields = {"non_field_errors": items}
        code = "invalid"
    elif isinstance(exc, exceptions.APIException):
        detail = str(exc.detail)
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else code
    response.data = {"error": {"status": response.status_code, "code": code, "detail": detail, "fields": fields}}
    return response


class ErrorBodySerializer(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField()
    detail = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class ErrorSerializer(serializers.Serializer):
    error = ErrorBodySerializer()


def errors(*statuses: int) -> dict:
    """OpenAPI responses in the shared error format, for extend_schema(responses=…)."""
    text = {
        400: "Invalid input",
        401: "Not authenticated",
        403: "Forbidden",
        404: "Not found",
        409: "Conflict",
        413: "Request body too large",
        429: "Throttled",
    }
    return {s: OpenApiResponse(ErrorSerializer, description=text.get(s, "Error")) for s in statuses}
