"""The sentence vectors a summary is picked with: the project's base encoder (the one training
fine-tunes), called by the ingest task before it opens its transaction, since a forward pass per
segment takes seconds on a long document and must not hold the document's row lock."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from django.conf import settings

from documents.summaries.extractive import is_summary_candidate

logger = logging.getLogger(__name__)

# By text: a text repeated in the document is embedded once, and the rows written later find theirs.
SummaryVectors = dict[str, np.ndarray]


def summary_vectors(segments: Sequence[tuple[str, bool]]) -> SummaryVectors | None:
    """Unit embeddings of the (text, reads as a requirement) segments a summary may pick: the
    requirements when there are any, since a summary is chosen among them (services.py), else every
    segment; None: pick by TF-IDF instead."""
    if settings.SELKO_SUMMARY_METHOD != "encoder":
        return None
    pickable = [text for text, is_requirement in segments if is_requirement] or [t for t, _ in segments]
    wanted = _evenly_spaced(
        list(dict.fromkeys(text for text in pickable if is_summary_candidate(text))),
        settings.SELKO_SUMMARY_MAX_EMBEDDED,
    )
    try:
        # Imported here: torch loads only in a process that embeds (an ingest worker), never in the web.
        from training.ml.sentence_encoder import sentence_encoder

        base = Path(settings.SELKO_BASE_MODEL) if settings.SELKO_BASE_MODEL else None
        matrix = sentence_encoder(base).embed(wanted)
    except Exception:
        # A worker without torch, a base model folder that is gone, a checkpoint that does not load: the
        # summary is a convenience, never a reason to fail the document's ingest, and word overlap
        # still gives a usable gist.
        logger.warning("Summaries fall back to TF-IDF: the sentence encoder is unavailable", exc_info=True)
        return None
    return dict(zip(wanted, matrix, strict=True))


def _evenly_spaced(texts: list[str], limit: int) -> list[str]:
    """`texts` (in document order) when there are at most `limit`, else `limit` of them spread evenly
    over the document, so every section keeps candidates; the others are simply not picked."""
    if len(texts) <= limit:
        return texts
    step = len(texts) / limit
    return [texts[int(i * step)] for i in range(limit)]
