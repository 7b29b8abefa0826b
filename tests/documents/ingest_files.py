"""Small requirement documents built in the test, good and bad, for the ingestion tests.

PDFs are drawn with the parser tests' SpecPdf (numbered sections, requirements that start with their ID,
an informative note); workbooks are written with openpyxl. The bad files reproduce what users really
upload: encrypted, scanned (no text layer), truncated, renamed, zip bombs and oversized sheets.
"""

import functools
import io
import struct
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

from tests.documents.docx_factory import SpecDocx
from tests.documents.pdf_factory import SpecPdf

# (section heading, [(requirement id, text), ...]) per page.
SPEC_SECTIONS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "1 Braking",
        [
            ("REQ-001", "The train shall apply the emergency brake when the driver presses the red button."),
            ("REQ-002", "The braking system shall report its status to the driver every second."),
        ],
    ),
    (
        "2 Doors",
        [
            ("REQ-003", "The doors shall stay locked while the train moves faster than 3 km/h."),
            ("REQ-004", "The driver shall be able to release the doors on either side independently."),
        ],
    ),
]
SPEC_NOTE = "Note: this chapter gives background on the door system and is provided for information."


def spec_pdf(
    sections: Sequence[tuple[str, Sequence[tuple[str, str]]]] = SPEC_SECTIONS,
    *,
    note: str = SPEC_NOTE,
    password: str | None = None,
    pages_per_section: int = 1,
) -> bytes:
    """A specification drawn with the parser tests' SpecPdf: one section per page, the note in section 2."""
    with tempfile.TemporaryDirectory() as folder:
        pdf = SpecPdf(Path(folder) / "spec.pdf", header=None, footer=None, password=password)
        for index, (heading, requirements) in enumerate(sections):
            for copy in range(pages_per_section):
                if index or copy:
                    pdf.new_page()
                pdf.heading(heading if copy == 0 else f"{heading} (continued {copy})")
                for external_id, text in requirements:
                    pdf.paragraph(f"{external_id} {text}")
                if note and heading.startswith("2"):
                    pdf.paragraph(note)
        return pdf.save().read_bytes()


def scanned_pdf(pages: int = 2) -> bytes:
    """Pages of pixels only, as a scanner produces them: no text layer."""
    with tempfile.TemporaryDirectory() as folder:
        pdf = SpecPdf(Path(folder) / "scan.pdf", header=None, footer=None)
        for page in range(pages):
            if page:
                pdf.new_page()
            pdf.image_only_page()
        return pdf.save().read_bytes()


WORKBOOK_HEADER = ["Req ID", "Requirement Text", "Component"]
WORKBOOK_ROWS = [
    ["SYS-1", "The system shall log every login attempt.", "Security"],
    ["SYS-2", "The system shall lock an account after five failed logins.", "Security"],
    ["SYS-3", "The user interface shall display the time in UTC.", "UI"],
]


def requirements_xlsx(rows: Sequence[Sequence[str]] = WORKBOOK_ROWS, *, sheet: str = "Requirements") -> bytes:
    # openpyxl stamps the save time into the file: the same rows must give the same bytes (and sha256).
    return _requirements_xlsx(tuple(tuple(row) for row in rows), sheet)


@functools.cache
def _requirements_xlsx(rows: tuple[tuple[str, ...], ...], sheet: str) -> bytes:
    workbook = Workbook()
    worksheet = workbook.active
    assert worksheet is not None
    worksheet.title = sheet
    worksheet.append(WORKBOOK_HEADER)
    for row in rows:
        worksheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bomb_xlsx() -> bytes:
    """A real workbook whose sheet XML is padded with 64 MB of blanks: compressed about 1000 times."""
    source = zipfile.ZipFile(io.BytesIO(requirements_xlsx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data += b" " * (64 * 1024 * 1024)
            bomb.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return buffer.getvalue()


def zip_bomb_docx() -> bytes:
    """A real Word document whose document XML is padded with 64 MB of blanks."""
    with tempfile.TemporaryDirectory() as folder:
        path = SpecDocx(Path(folder) / "spec.docx").paragraph("REQ-001 The pump shall start.").save()
        source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data += b" " * (64 * 1024 * 1024)
            bomb.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return buffer.getvalue()


def huge_xml_xlsx(declared_bytes: int = 3 * 1024**3) -> bytes:
    """A workbook whose sheet XML declares several gigabytes: its central directory entry says so, as a
    sheet of millions of rows would (writing the gigabytes for real would make the test slow)."""
    data = bytearray(requirements_xlsx())
    sheet_name = b"xl/worksheets/sheet1.xml"
    offset = 0
    while (offset := data.find(b"PK\x01\x02", offset)) != -1:
        name_length = struct.unpack_from("<H", data, offset + 28)[0]
        if bytes(data[offset + 46 : offset + 46 + name_length]) == sheet_name:
            struct.pack_into("<I", data, offset + 24, min(declared_bytes, 0xFFFFFFFE))
        offset += 4
    return bytes(data)
