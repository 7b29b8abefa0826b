"""Request-wide safety nets: the API's error shape on every error, a 503 for a busy database, and the CSP.

The API exception handler (`selko/api/errors.py`) shapes the errors DRF views raise on purpose. What it
cannot see (a 404 for a URL no route matches, an unexpected exception, an error in another middleware)
reaches Django's own handling, which answers an HTML page, with settings and paths in it when DEBUG is
on. `ApiErrorShapeMiddleware` sits outside all of that and rewrites any such answer on `/api/` paths into
`{"error": ...}`, so clients can rely on the shape whatever DEBUG says.
"""

import json
import logging
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template import loader

from selko.api.errors import error_body
from selko.logs import CONTEXT_FIELDS, log_context_bind, log_context_clear

logger = logging.getLogger("selko.requests")

API_PATH_PREFIX = "/api/"
# Interactive API docs are HTML pages for people, not API answers.
API_HTML_PATHS = ("/api/docs/", "/api/redoc/")
BUSY_RETRY_AFTER_SECONDS = 5
# URL parameters named otherwise than their log field.
URL_CONTEXT_FIELDS = {"project_slug": "project", "number": "model_version"}

_CODES_BY_STATUS = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    429: "throttled",
    500: "server_error",
    503: "unavailable",
}
_MESSAGES_BY_STATUS = {
    404: "Not found.",
    500: "Something went wrong on our side. The error was logged; please try again in a moment.",
}
# Headers an error answer keeps when its body is replaced: they tell the client what to do next.
_KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "Vary")


def is_database_busy(error: BaseException) -> bool:
    """SQLite's answer when another writer kept the lock past the busy timeout."""
    return isinstance(error, OperationalError) and "locked" in str(error)


def _is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith(API_PATH_PREFIX) and not request.path.startswith(API_HTML_PATHS)


def _json_error(status: int, code: str, message: str) -> HttpResponse:
    return HttpResponse(json.dumps(error_body(code, message)), status=status, content_type="application/json")


class ApiErrorShapeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if response.status_code < 400 or not _is_api_request(request):
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        status = response.status_code
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Error"
        shaped = _json_error(
            status, _CODES_BY_STATUS.get(status, "error"), _MESSAGES_BY_STATUS.get(status, f"{phrase}.")
        )
        for header in _KEPT_HEADERS:
            if header in response:
                shaped[header] = response[header]
        shaped.cookies = response.cookies
        return shaped

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_busy(exception):
            return None
        # Not a bug to page anyone about: the client retries and the write goes through.
        logger.warning("database busy on %s %s: answered 503", request.method, request.path)
        message = "The database is busy with other changes. Please retry in a few seconds."
        if _is_api_request(request):
            response = _json_error(503, "database_busy", message)
        else:
            response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(BUSY_RETRY_AFTER_SECONDS)
        response._has_been_logged = True  # type: ignore[attr-defined]  # the warning above; not an ERROR
        return response


class ContentSecurityPolicyMiddleware:
    """Adds `settings.SELKO_CONTENT_SECURITY_POLICY` to every answer (Django < 6 has no CSP of its own)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        policy = settings.SELKO_CONTENT_SECURITY_POLICY
        if request.path.startswith(API_HTML_PATHS):
            # Swagger UI and Redoc inject <style> elements and Redoc runs a blob: worker; scripts stay 'self'.
            policy = settings.SELKO_CONTENT_SECURITY_POLICY_API_DOCS
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response


class LogContextMiddleware:
    """A request's log context: method, path and the ids in its URL (project, document, job, …).

    Set when the view is known (the URL's parameters are resolved then), and cleared when the next request
    arrives rather than when this one's response leaves: Django logs an error response ("Not Found: …")
    after the middleware has returned it, and that line should say which project it was about.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        log_context_clear()
        log_context_bind(http_method=request.method, path=request.path)
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: dict[str, Any]
    ) -> None:
        ids = {URL_CONTEXT_FIELDS.get(name, name): value for name, value in kwargs.items()}
        log_context_bind(**{name: value for name, value in ids.items() if name in CONTEXT_FIELDS})
