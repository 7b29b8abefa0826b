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


def _central(texts: Sequence[str], vectors: SummaryVectors | None, count: int) -> list[int]:
    if vectors is None:
        return central_segments(texts, count=count)
    return central_segments_embedded(texts, [vectors.get(text) for text in texts], count=count)


def summary_segments_pick(
    *, rows: list[tuple[int, list[str], str]], vectors: SummaryVectors | None = None
) -> dict[str, list[int]]:
    """(id, section path, text) in reading order -> {"": the document's ids, top-level section: its ids}.
    With `vectors` (summary_vectors of the texts) by the encoder's meaning, else by TF-IDF."""
    whole = _central([text for _, _, text in rows], vectors, DOCUMENT_SENTENCES)
    picked = {NO_SECTION: [rows[i][0] for i in whole]}
    by_section: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for requirement_id, path, text in rows:
        if path:
            by_section[path[0]].append((requirement_id, text))
    for section, members in by_section.items():
        chosen = _central([text for _, text in members], vectors, SECTION_SENTENCES)
        picked[section] = [members[i][0] for i in chosen]
    return picked


def document_summary_compute(*, document_id: int, vectors: SummaryVectors | None = None) -> DocumentSummary:
    """Store the document's summary; in the ingest's transaction, so it appears with the requirements.
    `vectors`: the texts' embeddings, computed before the transaction; None picks by TF-IDF."""
    rows = list(
        Requirement.objects.filter(document_id=document_id)
        .order_by("order", "pk")
        .values_list("pk", "section_path", "text")
    )
    method = METHOD_TFIDF if vectors is None else METHOD_ENCODER
    summary, _ = DocumentSummary.objects.update_or_create(
        document_id=document_id,
        defaults={"segments": summary_segments_pick(rows=rows, vectors=vectors), "method": method},
    )
    return summary
