"""What the OpenAPI schema says beyond the views' own annotations: Bearer tokens and the error answers.

Every API error has one shape (`selko.api.errors`), so the schema describes it once, as the `Error`
schema and one response component per status, and each operation refers to the ones it can answer.
`manage.py spectacular --fail-on-warn --validate` runs in the test suite, so a new warning fails it.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {
                "code": {"type": "string", "description": "Stable, for programs: `not_found`, …"},
                "message": {"type": "string", "description": "For people."},
                "details": {
                    "type": "object",
                    "additionalProperties": {},
                    "description": "For `validation_failed`: each invalid field and what is wrong with it.",
                },
            },
        }
    },
}
RETRY_AFTER = {
    "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait before trying again."}
}
# status: (component name, description, who can answer it)
ERROR_RESPONSES: dict[str, tuple[str, str]] = {
    "400": ("BadRequest", "Invalid input: `details` names each invalid field."),
    "401": ("Unauthorized", "No valid credentials: send `Authorization: Bearer <token>`."),
    "403": ("Forbidden", "Your role in this project does not allow it."),
    "404": ("NotFound", "No such object in a project you are a member of (or no such page of a list)."),
    "409": ("Conflict", "The object's current state refuses this change."),
    "415": ("UnsupportedMediaType", "The body is not in a content type this operation reads."),
    "429": ("TooManyRequests", "Too many requests or failed logins: wait `Retry-After` seconds."),
    "503": ("ServiceUnavailable", "The database is busy for a moment: wait `Retry-After` seconds."),
}
READ_METHODS = ("get", "head", "options")


class ApiTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "selko.accounts.authentication.ApiTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "selko_…",
            "description": "A personal API token (`/api/v1/tokens/`), as `Authorization: Bearer <token>`.",
        }


def _error_codes(method: str, operation: dict[str, Any]) -> list[str]:
    codes = ["401", "403", "404", "429", "503"]
    has_query = any(p.get("in") == "query" for p in operation.get("parameters", []))
    if method not in READ_METHODS or has_query:
        codes.append("400")
    if method not in READ_METHODS:
        codes.append("409")
    if "requestBody" in operation:
        codes.append("415")
    return sorted(codes)


def add_error_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: the shared `Error` answers, on every operation of the API."""
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    responses = components.setdefault("responses", {})
    for code, (name, description) in ERROR_RESPONSES.items():
        responses[name] = {
            "description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            **({"headers": RETRY_AFTER} if code in ("429", "503") else {}),
        }
    for path, operations in result.get("paths", {}).items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in operations.items():
            answers = operation.setdefault("responses", {})
            for code in _error_codes(method, operation):
                if code not in answers:
                    answers[code] = {"$ref": f"#/components/responses/{ERROR_RESPONSES[code][0]}"}
    return result
