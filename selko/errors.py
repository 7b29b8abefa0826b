"""Domain errors: raised by services and selectors, turned into clear messages by the API and the UI."""

from typing import Any


class DomainError(Exception):
    """A refusal the user can act on. `code` is stable for API clients; `message` is for people."""

    code = "invalid"
    http_status = 400

    def __init__(self, message: str, *, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class NotFound(DomainError):
    code = "not_found"
    http_status = 404


class PermissionDenied(DomainError):
    code = "permission_denied"
    http_status = 403


class Conflict(DomainError):
    code = "conflict"
    http_status = 409


class ValidationFailed(DomainError):
    code = "validation_failed"
    http_status = 400
