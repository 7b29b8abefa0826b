"""Writes of summaries: pick and store the central segments of a document and of its top-level sections."""

from collections import defaultdict

from documents.models import Requirement
from documents.summaries.extractive import central_segments
from documents.summaries.models import DocumentSummary

METHOD = "tfidf-centroid-mmr-1"
DOCUMENT_SENTENCES = 5
SECTION_SENTENCES = 3
NO_SECTION = ""  # the key of the whole document's summary, and of segments before any heading


def summary_segments_pick(*, rows: list[tuple[int, list[str], str]]) -> dict[str, list[int]]:
    """(id, section path, text) in reading order -> {"": the document's ids, top-level section: its ids}."""
    whole = central_segments([text for _, _, text in rows], count=DOCUMENT_SENTENCES)
    picked = {NO_SECTION: [rows[i][0] for i in whole]}
    by_section: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for requirement_id, path, text in rows:
        if path:
            by_section[path[0]].append((requirement_id, text))
    for section, members in by_section.items():
        chosen = central_segments([text for _, text in members], count=SECTION_SENTENCES)
        picked[section] = [members[i][0] for i in chosen]
    return picked


def document_summary_compute(*, document_id: int) -> DocumentSummary:
    """Store the document's summary; in the ingest's transaction, so it appears with the requirements."""
    rows = list(
        Requirement.objects.filter(document_id=document_id)
        .order_by("order", "pk")
        .values_list("pk", "section_path", "text")
    )
    summary, _ = DocumentSummary.objects.update_or_create(
        document_id=document_id, defaults={"segments": summary_segments_pick(rows=rows), "method": METHOD}
    )
    return summary
