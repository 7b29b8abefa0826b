"""Database ids as they arrive from outside: digits only, and small enough for every database we run on.

An id beyond 64 bits makes SQLite raise `OverflowError` in a lookup and PostgreSQL answer "out of range":
a server error from a typo. Every path, filter and body therefore reads ids through this module: the
`<id:…>` path converter (registered by `selko.api`), `selko.api.fields.IdField` for serializers, and
`id_from_text` for the pages' query strings and forms.
"""

from __future__ import annotations

import re

# 18 digits stay below 2**63 - 1, the largest bigint of SQLite and PostgreSQL alike.
MAX_ID_DIGITS = 18
MAX_ID = 10**MAX_ID_DIGITS - 1
ID_REGEX = f"[0-9]{{1,{MAX_ID_DIGITS}}}"
_ID = re.compile(ID_REGEX)


class IdConverter:
    """`<id:document_id>`: like `<id:…>`, but a number too large for the database matches no route (404)."""

    regex = ID_REGEX

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


def id_from_text(value: object) -> int | None:
    """The id written in `value`, or None when it is not a whole number from 1 to MAX_ID."""
    text = str(value).strip() if value is not None else ""
    if not _ID.fullmatch(text):
        return None
    number = int(text)
    return number if number >= 1 else None
