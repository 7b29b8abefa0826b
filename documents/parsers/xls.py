"""Legacy Excel workbooks (.xls, BIFF) read with xlrd: visible sheets and rows, merged cells filled."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import xlrd

from .classify_segment import SegmentClassifier
from .errors import EmptyDocument, EncryptedDocument, LegacyFormatUnsupported
from .tabular import cell_text, segments_from_rows
from .types import DocumentKind, ParsedDocument, Segment


def parse_xls(
    path: Path, *, classify: SegmentClassifier, on_progress: Callable[[int, int], None] | None = None
) -> ParsedDocument:
    try:
        # formatting_info is what makes xlrd report hidden rows and merged ranges.
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except xlrd.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise EncryptedDocument() from exc
        raise LegacyFormatUnsupported() from exc
    except (
        xlrd.compdoc.CompDocError,
        AssertionError,
        IndexError,
        ValueError,
        KeyError,
        OSError,
        EOFError,
    ) as exc:
        # xlrd signals many kinds of damaged BIFF with bare assertions and index errors.
        raise LegacyFormatUnsupported() from exc
    segments: list[Segment] = []
    warnings: list[str] = []
    row_count = 0
    try:
        total = book.nsheets
        for index in range(total):
            sheet = book.sheet_by_index(index)
            if sheet.visibility != 0:
                warnings.append(f"Sheet {sheet.name!r} is hidden and was skipped.")
            else:
                row_count += sheet.nrows
                segments.extend(
                    segments_from_rows(
                        _visible_rows(book, sheet),
                        sheet=sheet.name,
                        classify=classify,
                        first_order=len(segments),
                    )
                )
            book.unload_sheet(index)
            if on_progress is not None:
                on_progress(index + 1, total)
    finally:
        book.release_resources()
    if not segments:
        raise EmptyDocument("The workbook has no rows with text in its visible sheets.")
    return ParsedDocument(kind=DocumentKind.XLS, segments=segments, row_count=row_count, warnings=warnings)


def _visible_rows(book: xlrd.Book, sheet: xlrd.sheet.Sheet) -> Iterator[tuple[int, list[str]]]:
    # A merged range shows its value in every cell it covers, so each covered cell gets the top-left value.
    merged_origin: dict[tuple[int, int], tuple[int, int]] = {}
    for row_low, row_high, col_low, col_high in sheet.merged_cells:
        for row in range(row_low, row_high):
            for col in range(col_low, col_high):
                merged_origin[(row, col)] = (row_low, col_low)
    for row in range(sheet.nrows):
        info = sheet.rowinfo_map.get(row)
        if info is not None and info.hidden:
            continue
        values = []
        for col in range(sheet.ncols):
            origin_row, origin_col = merged_origin.get((row, col), (row, col))
            values.append(_value(book, sheet.cell(origin_row, origin_col)))
        yield row + 1, values


def _value(book: xlrd.Book, cell: xlrd.sheet.Cell) -> str:
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return cell_text(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell_text(cell.value)
    if cell.ctype in (xlrd.XL_CELL_ERROR, xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    return cell_text(cell.value)
