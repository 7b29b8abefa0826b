"""One exception handler: every API error is `{"error": {"code", "message", "details"}}`."""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from selko.errors import DomainError


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or {}}}


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        return Response(error_body(exc.code, exc.message, exc.details), status=exc.http_status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("Not found.")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response  # an unexpected error: Django's 500 handling takes over
    if isinstance(exc, exceptions.ValidationError):
        body = error_body("validation_failed", "The request has invalid fields.", response.data)
    else:
        detail = exc.detail
        message = str(detail) if not isinstance(detail, dict | list) else "Request refused."
        body = error_body(str(getattr(detail, "code", exc.default_code)), message)
    if response.status_code == status.HTTP_404_NOT_FOUND:
        body["error"]["code"] = "not_found"
    response.data = body
    return response
