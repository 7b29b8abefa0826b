"""Responses the API shares beyond JSON bodies."""

from django.http import HttpResponse


def attachment_response(content: bytes | str, *, content_type: str, filename: str) -> HttpResponse:
    """A file download: the browser saves it under `filename` instead of showing it."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
