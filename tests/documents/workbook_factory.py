"""Workbooks written with openpyxl, shaped like real requirement exports."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

from openpyxl import Workbook

HEADER = ["Req ID", "Summary", "Requirement Text", "Rationale", "Component"]
ROWS = [
    [
        "PMP-001",
        "Start",
        "The pump shall start within 2 s of a start command.",
        "Operators expect it.",
        "Pump",
    ],
    ["PMP-002", "Stop", "The pump shall stop within 1 s of a stop command.", "Safety.", "Pump"],
    ["PMP-003", "Alarm", "The panel shall show a low-pressure alarm.", "Visibility.", "Panel"],
]


def requirements_workbook(path: Path, *, hidden_row: int | None = None, hidden_sheet: bool = False) -> Path:
    """A sheet with a merged title row, a note row and a blank row above the header, like real exports."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Pump"
    sheet.append(["Pump controller requirements"])
    sheet.merge_cells("A1:E1")
    sheet.append(["Exported for review; rationale is informative."])
    sheet.append([])
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    if hidden_row is not None:
        sheet.row_dimensions[hidden_row].hidden = True
    if hidden_sheet:
        secret = workbook.create_sheet("Internal")
        secret.append(HEADER)
        secret.append(["INT-001", "Secret", "The hidden sheet shall not be imported.", "", "None"])
        secret.sheet_state = "hidden"
    workbook.save(path)
    return path


def with_cached_formula(path: Path, *, cell: str, formula: str, cached: str) -> Path:
    """Rewrite one cell of the first sheet as a formula whose last calculated value is ``cached``.

    openpyxl writes formulas without results, as if never opened in Excel; real workbooks carry both.
    """
    patched = path.with_name(f"patched-{path.name}")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                xml = data.decode()
                xml = re.sub(
                    rf'<c r="{cell}"[^>]*>.*?</c>',
                    f'<c r="{cell}" t="str"><f>{formula}</f><v>{cached}</v></c>',
                    xml,
                    count=1,
                )
                data = xml.encode()
            target.writestr(item, data)
    shutil.move(patched, path)
    return path
