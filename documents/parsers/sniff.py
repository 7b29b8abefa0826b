"""Tell what a file is from its bytes, and refuse names that lie about it.

The extension is only a claim made by the uploader: a renamed file must fail with a message naming both,
not crash deep inside a parser written for another format.
"""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path, PurePath

from .errors import ContentTypeMismatch, CorruptedFile, EncryptedDocument, UnsupportedFormat
from .types import DocumentKind

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
# Office encrypts xlsx/docx by wrapping them in an OLE2 container holding a stream with this name.
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
# The stream every Word 97-2003 document holds; workbooks hold "Workbook" or "Book" instead.
_WORD_DOCUMENT = "WordDocument".encode("utf-16-le")
_RTF_MAGIC = b"{\\rtf"
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
_SAMPLE_BYTES = 64 * 1024

_KIND_BY_EXTENSION = {
    ".pdf": DocumentKind.PDF,
    ".xlsx": DocumentKind.XLSX,
    ".xlsm": DocumentKind.XLSX,
    ".xls": DocumentKind.XLS,
    ".csv": DocumentKind.CSV,
    ".tsv": DocumentKind.CSV,
    ".txt": DocumentKind.CSV,
    ".reqif": DocumentKind.REQIF,
    ".reqifz": DocumentKind.REQIF,
    ".docx": DocumentKind.DOCX,
    ".docm": DocumentKind.DOCX,
    ".doc": DocumentKind.DOC,
    ".rtf": DocumentKind.RTF,
    ".odt": DocumentKind.ODT,
    ".html": DocumentKind.HTML,
    ".htm": DocumentKind.HTML,
}

KIND_DESCRIPTION = {
    DocumentKind.PDF: "a PDF document",
    DocumentKind.XLSX: "an Excel workbook (.xlsx)",
    DocumentKind.XLS: "a legacy Excel workbook (.xls)",
    DocumentKind.CSV: "a CSV text file",
    DocumentKind.REQIF: "a ReqIF exchange file (.reqif or .reqifz)",
    DocumentKind.DOCX: "a Word document (.docx)",
    DocumentKind.DOC: "a Word 97-2003 document (.doc)",
    DocumentKind.RTF: "an RTF document",
    DocumentKind.ODT: "an OpenDocument text (.odt)",
    DocumentKind.HTML: "an HTML page (.html or .htm)",
}


def sniff_kind(path: Path) -> DocumentKind:
    """Return the kind of document in ``path`` judged from its content alone."""
    with path.open("rb") as handle:
        head = handle.read(_SAMPLE_BYTES)
    # Some producers put a few bytes of junk before the header; PDF readers accept that within 1 KiB.
    if b"%PDF-" in head[:1024]:
        return DocumentKind.PDF
    if head.startswith(_ZIP_MAGIC):
        return _sniff_zip(path)
    if head.startswith(_OLE2_MAGIC):
        if _holds_stream(path, _ENCRYPTED_PACKAGE):
            raise EncryptedDocument()
        return DocumentKind.DOC if _holds_stream(path, _WORD_DOCUMENT) else DocumentKind.XLS
    if head.startswith(_RTF_MAGIC):
        return DocumentKind.RTF
    if _looks_like_reqif(head):
        return DocumentKind.REQIF
    if _looks_like_html(head) and _looks_like_text(head):
        return DocumentKind.HTML
    if _looks_like_text(head):
        return DocumentKind.CSV
    raise UnsupportedFormat()


def check_extension(filename: str, kind: DocumentKind) -> None:
    """Refuse a file whose extension promises a different format than its content."""
    suffix = PurePath(filename).suffix.lower()
    if not suffix:
        return
    claimed = _KIND_BY_EXTENSION.get(suffix)
    if claimed is None:
        raise UnsupportedFormat(
            f"Files ending in {suffix} are not supported. "
            "Upload a PDF, a Word document (.docx), an HTML page, an Excel workbook (.xlsx or .xls) "
            "or a CSV file."
        )
    if claimed != kind:
        raise ContentTypeMismatch(
            f"The file is named {PurePath(filename).name!r}, which suggests {KIND_DESCRIPTION[claimed]}, "
            f"but its content is {KIND_DESCRIPTION[kind]}. Rename it with the right extension "
            "or upload the intended file."
        )


def _sniff_zip(path: Path) -> DocumentKind:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise CorruptedFile(
            "The file looks like an Office document but its zip structure is damaged or incomplete "
            "(was the upload cut short?). Upload the original file again."
        ) from exc
    if "xl/workbook.xml" in names:
        return DocumentKind.XLSX
    if any(name.lower().endswith(".reqif") for name in names):
        return DocumentKind.REQIF
    if "word/document.xml" in names:
        return DocumentKind.DOCX
    if "mimetype" in names and _zip_member_head(path, "mimetype").strip() == _ODT_MIMETYPE:
        return DocumentKind.ODT
    raise UnsupportedFormat()


def _zip_member_head(path: Path, name: str) -> bytes:
    try:
        with zipfile.ZipFile(path) as archive, archive.open(name) as member:
            return member.read(200)
    except (zipfile.BadZipFile, OSError, KeyError):
        return b""


def _holds_stream(path: Path, stream_name: bytes) -> bool:
    # The directory sector can sit anywhere in the container, so scan the file in overlapping chunks.
    overlap = len(stream_name)
    tail = b""
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            if stream_name in tail + chunk:
                return True
            tail = chunk[-overlap:]
    return False


def _looks_like_reqif(head: bytes) -> bool:
    # XML (after an optional BOM and blank space) whose first 64 KiB name the REQ-IF root element.
    start = head.removeprefix(codecs.BOM_UTF8).lstrip()
    return start.startswith(b"<") and b"REQ-IF" in head


def _looks_like_html(head: bytes) -> bool:
    # Text that opens (after a BOM, blank space, an XML declaration or comments) with an HTML doctype or
    # <html>: what browsers and word processors write. A CSV that merely mentions a tag stays a CSV.
    start = head.removeprefix(codecs.BOM_UTF8).lstrip().lower()
    if start.startswith(b"<?xml"):
        start = start[start.find(b"?>") + 2 :].lstrip()
    while start.startswith(b"<!--") and b"-->" in start:
        start = start[start.find(b"-->") + 3 :].lstrip()
    return start.startswith((b"<!doctype html", b"<html"))


def _looks_like_text(sample: bytes) -> bool:
    if not sample or b"\x00" in sample:
        return False
    # An incremental decoder tolerates a multi-byte character cut at the end of the sample.
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return True
    except UnicodeDecodeError:
        pass
    text = sample.decode("cp1252", errors="replace")
    printable = sum(1 for char in text if char.isprintable() or char in "\r\n\t")
    return printable / len(text) > 0.97
