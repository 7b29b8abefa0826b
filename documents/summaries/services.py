"""Writes of summaries: pick and store the central segments of a document and of its top-level sections."""

from collections import defaultdict
from collections.abc import Sequence

from documents.models import Requirement
from documents.summaries.embeddings import SummaryVectors
from documents.summaries.extractive import central_segments, central_segments_embedded
from documents.summaries.models import DocumentSummary

METHOD_ENCODER = "encoder-centroid-mmr-1"
METHOD_TFIDF = "tfidf-centroid-mmr-1"
DOCUMENT_SENTENCES = 5
SECTION_SENTENCES = 3
NO_SECTION = ""  # the key of the whole document's summary, and of segments before any heading


# (requirement id, section path, text, reads as a requirement), in reading order.
SummaryRow = tuple[int, list[str], str, bool]


def _central(members: Sequence[tuple[str, bool]], vectors: SummaryVectors | None, count: int) -> list[int]:
    """Indices of the members that best cover them, chosen among their requirements when they have any:
    the rationales and notes between requirements are generic ("Rationale: provides the ground …"), half
    of a specification like cFS, and would otherwise fill a summary picked by meaning."""
    scope = [index for index, (_, is_requirement) in enumerate(members) if is_requirement]
    scope = scope or list(range(len(members)))
    texts = [members[index][0] for index in scope]
    embedded = [vectors.get(text) for text in texts] if vectors is not None else []
    if any(vector is not None for vector in embedded):
        chosen = central_segments_embedded(texts, embedded, count=count)
    else:
        # No vectors, or none for this scope (a section of notes in a document of requirements: only
        # requirements are embedded when there are any).
        chosen = central_segments(texts, count=count)
    return [scope[index] for index in chosen]


def summary_segments_pick(
    *, rows: Sequence[SummaryRow], vectors: SummaryVectors | None = None
) -> dict[str, list[int]]:
    """Rows in reading order -> {"": the document's ids, top-level section: its ids}.
    With `vectors` (summary_vectors of the texts) by the encoder's meaning, else by TF-IDF."""
    whole = _central([(text, flag) for _, _, text, flag in rows], vectors, DOCUMENT_SENTENCES)
    picked = {NO_SECTION: [rows[i][0] for i in whole]}
    by_section: dict[str, list[tuple[int, str, bool]]] = defaultdict(list)
    for requirement_id, path, text, flag in rows:
        if path:
            by_section[path[0]].append((requirement_id, text, flag))
    for section, members in by_section.items():
        chosen = _central([(text, flag) for _, text, flag in members], vectors, SECTION_SENTENCES)
        picked[section] = [members[i][0] for i in chosen]
    return picked


def document_summary_compute(*, document_id: int, vectors: SummaryVectors | None = None) -> DocumentSummary:
    """Store the document's summary; in the ingest's follow-up (services/findings.py), with the findings.
    `vectors`: the texts' embeddings, computed before the transaction; None picks by TF-IDF."""
    rows = list(
        Requirement.objects.filter(document_id=document_id)
        .order_by("order", "pk")
        .values_list("pk", "section_path", "text", "is_requirement")
    )
    method = METHOD_TFIDF if vectors is None else METHOD_ENCODER
    summary, _ = DocumentSummary.objects.update_or_create(
        document_id=document_id,
        defaults={"segments": summary_segments_pick(rows=rows, vectors=vectors), "method": method},
    )
    return summary
