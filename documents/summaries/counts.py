"""A document's segments counted by top-level section, kind and obligation, and its section keys in
reading order: computed with grouped queries, stored in `DocumentCounts` by the services that rewrite
segments (ingest, corrections), read by the document's page and gist instead of grouping every row."""

from __future__ import annotations

from django.db.models import Count, F, Min, TextField, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce

from documents.models import Document, Requirement
from documents.summaries.models import DocumentCounts
from documents.summaries.services import NO_SECTION

# (first order, top-level section, is a requirement, obligation, segments)
SegmentGroup = tuple[int, str, bool, str, int]


def top_section(prefix: str = "") -> Coalesce:
    """A requirement's top-level section in SQL (NO_SECTION before any heading), for grouping counts by
    section; `prefix` reaches the requirement through a relation ("requirement__")."""
    first = KeyTextTransform("0", f"{prefix}section_path")  # resolves `prefix` as a join, unlike KT()
    return Coalesce(first, Value(NO_SECTION), output_field=TextField())


def top_section_of(section_path: list[str]) -> str:
    """What `top_section` computes in SQL, for a row already read."""
    return str(section_path[0]) if section_path else NO_SECTION


def segment_groups_compute(*, document_id: int) -> list[SegmentGroup]:
    """One pass over the document, sorted by each group's first segment (reading order)."""
    return sorted(
        Requirement.objects.filter(document_id=document_id)
        .values(section=top_section(), counted=F("is_requirement"), kind=F("obligation"))
        .annotate(start=Min("order"), n=Count("pk"))
        .values_list("start", "section", "counted", "kind", "n")
    )


def section_keys_compute(*, document_id: int) -> list[str]:
    # One row per distinct section (a few hundred), not per requirement (tens of thousands).
    return list(
        Requirement.objects.filter(document_id=document_id)
        .values("section_key")
        .annotate(first=Min("order"))
        .order_by("first", "section_key")
        .values_list("section_key", flat=True)
    )


def document_counts_refresh(*, document_id: int) -> DocumentCounts:
    """Store the counts of the document's segments as they are now; call in the transaction that changed
    them, so that whoever sees the segments sees their counts. Bumps the generation."""
    groups = segment_groups_compute(document_id=document_id)
    values = {
        "rows": sum(group[4] for group in groups),
        "groups": [list(group) for group in groups],
        "section_keys": section_keys_compute(document_id=document_id),
    }
    counts, created = DocumentCounts.objects.select_for_update().get_or_create(
        document_id=document_id, defaults=values
    )
    if not created:
        for name, value in values.items():
            setattr(counts, name, value)
        counts.generation += 1
        counts.save()
    return counts


def document_counts_stored(*, document: Document) -> DocumentCounts | None:
    """The stored counts (None for a document parsed before they were stored: its readers group rows)."""
    try:
        return document.counts
    except DocumentCounts.DoesNotExist:
        return None
