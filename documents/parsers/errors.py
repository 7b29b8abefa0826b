"""Parse failures, each with a message written for the person who uploaded the file.

The ingest task stores ``user_message`` on the failed document as is, so it must say what is wrong and,
where possible, what to do about it, without stack traces or library jargon.
"""

from __future__ import annotations


def format_size(size: int) -> str:
    """A byte count as people read it in an error message: "3,072 MB", "1.2 MB", "850 KB"."""
    # Megabytes even for gigabyte sizes: upload limits are set and quoted in MB.
    for unit, scale in (("MB", 1024**2), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:,.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


class ParseError(Exception):
    """Base class: the document cannot be turned into segments."""

    default_message = "The document could not be read."

    def __init__(self, user_message: str | None = None) -> None:
        self.user_message = user_message or self.default_message
        super().__init__(self.user_message)


class FileTooLarge(ParseError):
    default_message = "The file is larger than the upload limit."


class EmptyDocument(ParseError):
    default_message = "The document is empty: it contains no text to split into requirements."


class UnsupportedFormat(ParseError):
    default_message = (
        "This file type is not supported. Upload a PDF, a Word document (.docx), an HTML page, an Excel "
        "workbook (.xlsx or .xls) or a CSV file."
    )


class ContentTypeMismatch(ParseError):
    default_message = "The file's name does not match its content."


class CorruptedFile(ParseError):
    default_message = "The file is damaged or incomplete and cannot be read. Upload the original file again."


class EncryptedDocument(ParseError):
    default_message = (
        "The document is password-protected. Remove the password (for example, save an unprotected copy) "
        "and upload it again."
    )


class NoTextLayer(ParseError):
    default_message = (
        "The PDF has no text layer; it looks like a scanned image. Run it through OCR (text recognition) "
        "and upload the searchable PDF."
    )


class UnsafeArchive(ParseError):
    default_message = (
        "The workbook was refused because it expands to far more data than its size suggests "
        "(a possible zip bomb). Re-save it in Excel and upload it again."
    )


class UnsafeXml(ParseError):
    default_message = (
        "The file was refused because its XML declares a DOCTYPE or entities, which XML attacks use."
    )


class LegacyFormatUnsupported(ParseError):
    default_message = (
        "This legacy Excel file (.xls) could not be read. Open it in Excel or LibreOffice, "
        "save it as .xlsx and upload it again."
    )
