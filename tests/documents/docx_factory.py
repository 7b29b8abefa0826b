"""Word documents for tests, written with python-docx the way Word lays them out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

# A multi-level list "1", "1.1", "1.1.1" as Word's outline numbering for headings writes it.
_OUTLINE = (
    '<w:abstractNum {ns} w:abstractNumId="90">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%3)"/></w:lvl>'
    "</w:abstractNum>"
)
_OUTLINE_NUM_ID = "90"


class SpecDocx:
    """Builder: ``SpecDocx(path).heading("1 Scope", 1).paragraph("The pump shall ...").save()``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.document: Any = docx.Document()
        self._outline = False

    def heading(self, text: str, level: int = 1, *, numbered: bool = False) -> SpecDocx:
        paragraph = self.document.add_heading(text, level)
        if numbered:
            self._number(paragraph, level - 1)
        return self

    def paragraph(self, text: str, *, style: str | None = None) -> SpecDocx:
        self.document.add_paragraph(text, style=style)
        return self

    def lettered(self, text: str) -> SpecDocx:
        """An item of the outline list's lettered level: printed "a)", "b)" with no letter in the text."""
        self._number(self.document.add_paragraph(text), 2)
        return self

    def table(self, rows: list[list[str]]) -> SpecDocx:
        table = self.document.add_table(rows=len(rows), cols=len(rows[0]))
        for cells, values in zip(table.rows, rows, strict=True):
            for cell, value in zip(cells.cells, values, strict=True):
                cell.text = value
        return self

    def page_break(self) -> SpecDocx:
        # What Word writes where it broke the page the last time it laid the document out.
        run = self.document.add_paragraph("").add_run()
        run._r.append(parse_xml(f"<w:lastRenderedPageBreak {nsdecls('w')}/>"))
        return self

    def save(self) -> Path:
        self.document.save(str(self.path))
        return self.path

    def _number(self, paragraph: Any, level: int) -> None:
        if not self._outline:
            numbering = self.document.part.numbering_part.element
            numbering.insert(0, parse_xml(_OUTLINE.format(ns=nsdecls("w"))))
            numbering.append(
                parse_xml(
                    f'<w:num {nsdecls("w")} w:numId="{_OUTLINE_NUM_ID}"><w:abstractNumId w:val="90"/></w:num>'
                )
            )
            self._outline = True
        p_pr = paragraph._p.get_or_add_pPr()
        p_pr.append(
            parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/>'
                f'<w:numId w:val="{_OUTLINE_NUM_ID}"/></w:numPr>'
            )
        )
        assert p_pr.find(qn("w:numPr")) is not None
