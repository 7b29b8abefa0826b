"""Turn an uploaded file into segments (requirements and informative text). Pure Python, no Django.

``parse_document`` is the one entry point: it checks size and content type, picks the parser from the
bytes, and raises a ``ParseError`` subclass with a ``user_message`` for every way a file can be unusable.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .classify_segment import SegmentClassifier, is_requirement
from .convert import CONVERTED_KINDS, Converter, converted_docx
from .errors import (
    ContentTypeMismatch,
    CorruptedFile,
    EmptyDocument,
    EncryptedDocument,
    FileTooLarge,
    LegacyFormatUnsupported,
    NoTextLayer,
    ParseError,
    UnsafeArchive,
    UnsafeXml,
    UnsupportedFormat,
    format_size,
)
from .sniff import check_extension, sniff_kind
from .types import BBox, DocumentKind, ParsedDocument, Segment

DEFAULT_MAX_BYTES = 100 * 1024 * 1024

__all__ = [
    "DEFAULT_MAX_BYTES",
    "BBox",
    "ContentTypeMismatch",
    "Converter",
    "CorruptedFile",
    "DocumentKind",
    "EmptyDocument",
    "EncryptedDocument",
    "FileTooLarge",
    "LegacyFormatUnsupported",
    "NoTextLayer",
    "ParseError",
    "ParsedDocument",
    "Segment",
    "SegmentClassifier",
    "UnsafeArchive",
    "UnsafeXml",
    "UnsupportedFormat",
    "parse_document",
]


def parse_document(
    path: Path,
    *,
    filename: str,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_progress: Callable[[int, int], None] | None = None,
    classify: SegmentClassifier = is_requirement,
    converter: Converter | None = None,
) -> ParsedDocument:
    """Parse and segment the file at ``path``; ``filename`` is the name the user uploaded it under.

    ``on_progress(done, total)`` reports pages for PDFs and sheets for workbooks. ``classify`` decides
    requirement vs informative for each segment; the rule-based default can be swapped for a model.
    ``converter`` turns .doc, .rtf and .odt into .docx; without one those files are refused with advice.
    Raises a ``ParseError`` subclass whose ``user_message`` explains the failure to the uploader.
    """
    size = path.stat().st_size
    if size > max_bytes:
        raise FileTooLarge(
            f"The file is {format_size(size)}, above the {format_size(max_bytes)} upload limit. "
            "Split the document or ask an administrator to raise the limit."
        )
    if size == 0:
        raise EmptyDocument("The file is empty (0 bytes).")
    kind = sniff_kind(path)
    check_extension(filename, kind)
    # Imported here so that a CSV upload does not load PDFium and a PDF upload does not load openpyxl.
    if kind is DocumentKind.PDF:
        from .pdf import parse_pdf

        return parse_pdf(path, classify=classify, on_progress=on_progress)
    if kind is DocumentKind.XLSX:
        from .excel import parse_xlsx

        return parse_xlsx(path, classify=classify, on_progress=on_progress)
    if kind is DocumentKind.XLS:
        from .xls import parse_xls

        return parse_xls(path, classify=classify, on_progress=on_progress)
    if kind is DocumentKind.REQIF:
        from .reqif import parse_reqif

        return parse_reqif(path, classify=classify, on_progress=on_progress)
    if kind is DocumentKind.HTML:
        from .html import parse_html

        return parse_html(path, classify=classify, on_progress=on_progress)
    if kind is DocumentKind.DOCX or kind in CONVERTED_KINDS:
        from .docx import parse_docx

        if kind is DocumentKind.DOCX:
            return parse_docx(path, classify=classify, on_progress=on_progress)
        with converted_docx(path, kind=kind, converter=converter) as converted:
            parsed = parse_docx(converted, classify=classify, on_progress=on_progress)
        parsed.kind = kind
        return parsed
    from .csvfile import parse_csv

    return parse_csv(path, classify=classify, on_progress=on_progress)
