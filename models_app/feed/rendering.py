"""The feed's rows written as CSV or JSON, a chunk at a time, for a streaming response.

The CSV is what "From Web" in Power BI, Excel and Tableau reads without a connector: UTF-8 with a BOM,
one header line, lists joined with "; " and scores as "path=0.93". The JSON keeps lists and numbers typed
and says when it was generated: the next incremental refresh asks for `updated_since` that time.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from models_app.exports.rendering import csv_safe
from models_app.feed.selectors import FEED_COLUMNS

LIST_SEPARATOR = "; "
# Rows per chunk handed to the response: large enough to keep the per-chunk overhead small.
ROWS_PER_CHUNK = 200


def iso_utc(value: datetime.datetime) -> str:
    """UTC with a "Z" and full microseconds: pasted into `?updated_since=` as is, where a "+00:00" would
    need escaping (a bare "+" reads as a space), and exact (Django's JSON encoder keeps milliseconds)."""
    return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def _json_value(value: Any) -> str:
    if isinstance(value, datetime.datetime):
        return iso_utc(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return iso_utc(value)
    if isinstance(value, list):
        return csv_safe(LIST_SEPARATOR.join(value))
    if isinstance(value, dict):
        return csv_safe(LIST_SEPARATOR.join(f"{key}={score}" for key, score in value.items()))
    return csv_safe(value)


def _csv_chunks(rows: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(FEED_COLUMNS)
    pending = 0
    for row in rows:
        writer.writerow([_csv_cell(row[column]) for column in FEED_COLUMNS])
        pending += 1
        if pending == ROWS_PER_CHUNK:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    yield buffer.getvalue().encode()


def feed_csv_stream(rows: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    yield "\ufeff".encode()  # the BOM tells Excel and Power BI it is UTF-8
    yield from _csv_chunks(rows)


def feed_json_stream(rows: Iterable[dict[str, Any]], *, header: dict[str, Any]) -> Iterator[bytes]:
    """`{...header, "columns": [...], "requirements": [row, ...]}`, without holding the rows in memory."""
    head = json.dumps({**header, "columns": list(FEED_COLUMNS)}, default=_json_value)
    yield (head[:-1] + ', "requirements": [').encode()
    separator = ""
    chunk: list[str] = []
    for row in rows:
        chunk.append(separator + json.dumps(row, default=_json_value, ensure_ascii=False))
        separator = ","
        if len(chunk) == ROWS_PER_CHUNK:
            yield "".join(chunk).encode()
            chunk = []
    yield ("".join(chunk) + "]}").encode()
