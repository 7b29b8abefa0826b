"""Summary computation per 1,000 sentences: picked with the project's sentence encoder (embedding every
candidate segment, then centrality with a redundancy penalty) against the TF-IDF selection, the
baseline and fallback, measured in the same run on the same segments of a shared specification; then
that specification's summary (the document's and each top-level section's), as the ingest stores it.

    .venv/bin/python bench/summaries.py [--document ../shared/data/documents/nasa_cfs_spec.pdf] [--repeat 3]

The encoder's load (once per worker process) is printed apart from the time per 1,000 sentences.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DOCUMENT = REPO_ROOT.parent / "shared" / "data" / "documents" / "nasa_cfs_spec.pdf"
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selko.settings")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def best_seconds(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    """The fastest of `repeat` runs: (wall seconds, CPU seconds of this process, all its threads)."""
    timings = []
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        run()
        timings.append((time.perf_counter() - started, time.process_time() - cpu_started))
    return min(timings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--document", type=Path, default=DEFAULT_DOCUMENT)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings

    from documents.parsers import parse_document
    from documents.summaries.embeddings import summary_vectors
    from documents.summaries.extractive import is_summary_candidate
    from documents.summaries.services import NO_SECTION, summary_segments_pick
    from training.ml.sentence_encoder import sentence_encoder

    settings.SELKO_SUMMARY_METHOD = "encoder"
    parsed = parse_document(args.document, filename=args.document.name)
    rows = [
        (index, list(s.section_path), s.text, s.is_requirement) for index, s in enumerate(parsed.segments)
    ]
    pickable = {text for _, _, text, flag in rows if flag} or {text for _, _, text, _ in rows}
    candidates = sum(1 for text in pickable if is_summary_candidate(text))
    print(f"{args.document.name}: {len(rows)} segments, {candidates} distinct requirements to embed")

    started = time.perf_counter()
    sentence_encoder(Path(settings.SELKO_BASE_MODEL) if settings.SELKO_BASE_MODEL else None)
    print(f"  encoder load (once per worker): {time.perf_counter() - started:.1f} s")

    def with_encoder() -> dict[str, list[int]]:
        return summary_segments_pick(
            rows=rows, vectors=summary_vectors([(text, flag) for _, _, text, flag in rows])
        )

    def with_tfidf() -> dict[str, list[int]]:
        return summary_segments_pick(rows=rows)

    encoder_s, encoder_cpu = best_seconds(with_encoder, args.repeat)
    tfidf_s, tfidf_cpu = best_seconds(with_tfidf, args.repeat)
    per_thousand = 1000 / max(candidates, 1)
    print(
        f"  per 1,000 sentences: {encoder_s * per_thousand:.2f} s with the encoder"
        f" vs {tfidf_s * per_thousand * 1000:.0f} ms by TF-IDF (baseline)"
    )
    print(
        f"  CPU per 1,000 sentences (less sensitive to a busy machine): {encoder_cpu * per_thousand:.2f} s"
        f" vs {tfidf_cpu * per_thousand * 1000:.0f} ms"
    )
    print(f"  whole document: {encoder_s:.2f} s with the encoder vs {tfidf_s:.3f} s by TF-IDF")

    picked = with_encoder()
    by_tfidf = with_tfidf()
    print("\n[whole document, by TF-IDF, for comparison]")
    for index in by_tfidf[NO_SECTION]:
        print(f"  - {rows[index][2]}")
    for section, ids in picked.items():
        print(f"\n[{section or 'whole document'}]")
        for index in ids:
            print(f"  - {rows[index][2]}")


if __name__ == "__main__":
    main()
