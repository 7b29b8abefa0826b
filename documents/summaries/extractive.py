"""Extractive summaries: the segments that best cover a text, by centrality with a redundancy penalty.

Two ways to say what a segment is about, one selection rule. With the project's sentence encoder
(`central_segments_embedded`) each segment is its unit embedding; without it (`central_segments`) a
TF-IDF vector over the document's own words. Either way the centroid of all of them is what the
document is about, and segments are picked greedily by their similarity to the centroid minus their
similarity to what was already picked (maximal marginal relevance), so three near-identical "shall log"
requirements do not fill the summary. The encoder sees that "the brake shall hold the train" and "the
vehicle must not roll away" say the same thing, which word overlap misses; it costs a forward pass per
candidate segment (bench/summaries.py measures both), so the vectors are computed before the ingest's
transaction and TF-IDF remains for a worker that cannot load the encoder. TF-IDF costs about 65 ms for
the 915 longer cFS requirements and 0.55 s for ten times as many on one core here.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

_WORD = re.compile(r"[^\W\d_]{3,}")
STOP_WORDS = frozenset(
    (
        "the", "and", "for", "are", "but", "not", "you", "all", "any", "can", "had", "her", "was", "one",
        "our", "out", "has", "him", "his", "how", "its", "may", "new", "now", "old", "see", "two", "way",
        "who", "did", "get", "let", "put", "say", "she", "too", "use", "shall", "must", "should", "will",
        "would", "could", "with", "this", "that", "these", "those", "from", "into", "onto", "upon", "than",
        "then", "them", "they", "their", "there", "where", "when", "which", "while", "what", "been", "being",
        "have", "having", "each", "such", "only", "also", "other", "more", "most", "some", "same", "very",
        "within", "without", "under", "over", "after", "before", "between", "about", "above", "below",
        "during", "through", "per", "via",
    )
)  # fmt: skip
MIN_WORDS = 6  # a heading or a fragment says little on its own
MAX_WORDS = 80  # a whole table flattened into one segment is not a sentence to read
REDUNDANCY = 0.6  # weight of the similarity to segments already picked
POOL_PER_PICK = 10


def is_summary_candidate(text: str) -> bool:
    return MIN_WORDS <= len(text.split()) <= MAX_WORDS


def _terms(text: str) -> list[str]:
    return [word for word in _WORD.findall(text.lower()) if word not in STOP_WORDS]


def _normalised(weights: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(value * value for value in weights.values()))
    return {term: value / norm for term, value in weights.items()} if norm else {}


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(value * b.get(term, 0.0) for term, value in a.items())


def central_segments(texts: Sequence[str], *, count: int) -> list[int]:
    """Indices of up to `count` texts that best cover all of them, in their original order."""
    terms = [_terms(text) for text in texts]
    frequency = Counter(term for words in terms for term in set(words))
    total = len(texts)
    vectors = [
        _normalised(
            {
                term: n * (1.0 + math.log((1 + total) / (1 + frequency[term])))
                for term, n in Counter(words).items()
            }
        )
        for words in terms
    ]
    summed: Counter[str] = Counter()
    for vector in vectors:
        summed.update(vector)
    centroid = _normalised(dict(summed))
    candidates = [index for index, text in enumerate(texts) if is_summary_candidate(text) and vectors[index]]
    relevance = {index: _dot(vectors[index], centroid) for index in candidates}
    # Only the most central segments compete for a place: the redundancy term then costs picks x pool.
    pool = sorted(candidates, key=lambda i: (-relevance[i], i))[: POOL_PER_PICK * count]
    overlap = dict.fromkeys(pool, 0.0)  # each candidate's highest similarity to a picked segment
    picked: list[int] = []
    while pool and len(picked) < count:
        best = max(pool, key=lambda i: (relevance[i] - REDUNDANCY * overlap[i], -i))
        picked.append(best)
        pool.remove(best)
        for index in pool:
            overlap[index] = max(overlap[index], _dot(vectors[index], vectors[best]))
    return sorted(picked)


def central_segments_embedded(
    texts: Sequence[str], vectors: Sequence[np.ndarray | None], *, count: int
) -> list[int]:
    """Like `central_segments`, with each text's unit embedding (None: not a candidate) as its meaning."""
    candidates = [
        index for index, text in enumerate(texts) if vectors[index] is not None and is_summary_candidate(text)
    ]
    if not candidates or count <= 0:
        return []
    matrix = np.stack([np.asarray(vectors[index], dtype=np.float32) for index in candidates])
    centroid = matrix.mean(axis=0)
    centroid /= max(float(np.linalg.norm(centroid)), 1e-12)
    relevance = matrix @ centroid
    overlap = np.zeros(len(candidates), dtype=np.float32)  # highest similarity to a picked segment
    available = np.ones(len(candidates), dtype=bool)
    picked: list[int] = []
    while len(picked) < min(count, len(candidates)):
        score = np.where(available, relevance - REDUNDANCY * overlap, -np.inf)
        best = int(np.argmax(score))  # the first of equals: the earlier segment
        picked.append(candidates[best])
        available[best] = False
        overlap = np.maximum(overlap, matrix @ matrix[best])
    return sorted(picked)
