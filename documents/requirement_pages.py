"""Keyset (cursor) pages of requirements in reading order: documents by name, then each document's
order. A page starts where the previous one stopped and reads each document's rows through its
(project, document, order, id) index, so any depth costs what the first page costs, and nothing is
counted. The cursor names the last row by (document name, document id, order, id): a document added,
renamed or deleted between two pages moves nothing already passed.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

from django.db.models import QuerySet

from documents.models import Document, Requirement
from selko.errors import ValidationFailed
from selko.ids import MAX_ID

# (document name, document id, order, requirement id) of the last row of a page
RowKey = tuple[str, int, int, int]
BAD_CURSOR = "The page cursor is not valid; start again from the first page (an empty cursor)."


@dataclass(frozen=True)
class KeysetPage:
    rows: list[Requirement]
    next_cursor: str | None  # None on the last page


def requirement_cursor_encode(key: RowKey) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode()


def requirement_cursor_decode(cursor: str) -> RowKey | None:
    """The row a cursor names; None for the empty cursor (the first page). A forged one is refused."""
    if not cursor:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, binascii.Error) as error:
        raise ValidationFailed(BAD_CURSOR) from error
    if not (
        isinstance(key, list)
        and len(key) == 4
        and isinstance(key[0], str)
        and all(type(value) is int and 0 <= value <= MAX_ID for value in key[1:])
    ):
        raise ValidationFailed(BAD_CURSOR)
    return key[0], key[1], key[2], key[3]


def requirement_page_after(
    *, requirements: QuerySet[Requirement], documents: QuerySet[Document], key: RowKey | None, size: int
) -> KeysetPage:
    """Up to `size` of `requirements` (already filtered) after the row `key`, in reading order.
    `documents`: the documents the list may hold (the project's, or the one filtered on)."""
    order = list(documents.order_by("name", "id").values_list("pk", "name"))
    if key is not None:  # from the cursor's document on, by the same (name, id) order
        order = [(pk, name) for pk, name in order if (name, pk) >= (key[0], key[1])]
    found: list[Requirement] = []
    rows = requirements.order_by().select_related("document")
    for document_id, _name in order:
        in_document = rows.filter(document_id=document_id)
        if key is not None and document_id == key[1]:
            # `order >= …` bounds the index range; the few rows of the same order at or before the
            # cursor's id are dropped by the filter.
            in_document = in_document.filter(order__gte=key[2]).exclude(order=key[2], pk__lte=key[3])
        found += in_document.order_by("order", "id")[: size + 1 - len(found)]
        if len(found) > size:
            break
    if len(found) <= size:
        return KeysetPage(rows=found, next_cursor=None)
    last = found[size - 1]
    return KeysetPage(
        rows=found[:size],
        next_cursor=requirement_cursor_encode((last.document.name, last.document_id, last.order, last.pk)),
    )
