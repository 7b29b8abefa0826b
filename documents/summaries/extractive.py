"""Extractive summaries as plain Python: the segments that best cover a text, by TF-IDF centrality.

Each segment is a TF-IDF vector over the document's own words; the centroid of all of them is what the
document is about. Segments are picked greedily by their similarity to the centroid minus their
similarity to what was already picked (maximal marginal relevance), so three near-identical "shall log"
requirements do not fill the summary. Cost is linear in the words of the document: the 915 longer cFS
requirements take about 65 ms and ten times as many about 0.55 s on one core here (see the module's
test), inside the ingest task with no model to load. The project's sentence encoder would cost a forward
pass per segment (about 150 sentences/s here) for a gist that word overlap already gives.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

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
    candidates = [
        index
        for index, text in enumerate(texts)
        if MIN_WORDS <= len(text.split()) <= MAX_WORDS and vectors[index]
    ]
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
