"""The document converter the ingest task uses for .doc, .rtf and .odt, as the settings configure it."""

from django.conf import settings

from documents.parsers import Converter


def configured_converter() -> Converter | None:
    """LibreOffice as ``SELKO_CONVERTER`` names it, or None where no converter is configured."""
    command = settings.SELKO_CONVERTER.strip()
    if not command:
        return None
    return Converter(
        command=command,
        timeout_s=settings.SELKO_CONVERTER_TIMEOUT_SECONDS,
        max_output_bytes=settings.SELKO_CONVERTER_MAX_OUTPUT_BYTES,
    )
