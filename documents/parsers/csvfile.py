"""CSV and other delimited text exports."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path

from .classify_segment import SegmentClassifier
from .errors import CorruptedFile, EmptyDocument
from .tabular import segments_from_rows
from .types import DocumentKind, ParsedDocument, Segment

_SAMPLE_CHARS = 64 * 1024
# Requirement texts are long; the csv module's 128 KiB default would reject a long cell as an error.
_FIELD_LIMIT = 16 * 1024 * 1024


def parse_csv(
    path: Path, *, classify: SegmentClassifier, on_progress: Callable[[int, int], None] | None = None
) -> ParsedDocument:
    encoding = _encoding(path)
    with path.open(encoding=encoding, newline="") as handle:
        dialect = _dialect(handle.read(_SAMPLE_CHARS))
        handle.seek(0)
        counter = _RowCounter(handle, dialect)
        try:
            segments: list[Segment] = list(
                segments_from_rows(counter.rows(), sheet=None, classify=classify, first_order=0)
            )
        except csv.Error as exc:
            raise CorruptedFile(f"The CSV file is malformed near record {counter.count + 1}: {exc}.") from exc
    if on_progress is not None:
        on_progress(1, 1)
    if not segments:
        raise EmptyDocument("The CSV file has no rows with text.")
    return ParsedDocument(kind=DocumentKind.CSV, segments=segments, row_count=counter.count)


class _RowCounter:
    def __init__(self, handle: io.TextIOBase, dialect: type[csv.Dialect] | csv.Dialect) -> None:
        self._handle = handle
        self._dialect = dialect
        self.count = 0

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        previous_limit = csv.field_size_limit(_FIELD_LIMIT)
        try:
            for values in csv.reader(self._handle, self._dialect):
                self.count += 1
                yield self.count, [value.strip() for value in values]
        finally:
            csv.field_size_limit(previous_limit)


def _encoding(path: Path) -> str:
    # Excel writes UTF-8 with a BOM or the Windows code page; try the strict one first.
    with path.open("rb") as handle:
        sample = handle.read(_SAMPLE_CHARS)
    try:
        sample.decode("utf-8")
        return "utf-8-sig"
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the sample boundary is still UTF-8.
        if exc.start >= len(sample) - 3:
            return "utf-8-sig"
    return "cp1252"


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        return csv.excel
