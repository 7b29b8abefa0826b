"""Warnings about a parse as a whole, judged on its segments whatever the format."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from .types import Segment

_SHOWN = 10


def duplicate_id_warnings(segments: Sequence[Segment]) -> list[str]:
    """One warning naming the IDs given to more than one segment: a trace link to them is ambiguous."""
    counts = Counter(segment.external_id for segment in segments if segment.external_id)
    repeated = [(identifier, count) for identifier, count in counts.items() if count > 1]
    if not repeated:
        return []
    shown = ", ".join(f"{identifier} ({count} times)" for identifier, count in repeated[:_SHOWN])
    more = f" and {len(repeated) - _SHOWN} more" if len(repeated) > _SHOWN else ""
    subject = "IDs appear" if len(repeated) > 1 else "ID appears"
    return [
        f"{len(repeated)} {subject} more than once: {shown}{more}. "
        "Check the document, or correct the IDs below."
    ]
