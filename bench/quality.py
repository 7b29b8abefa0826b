"""Requirement-quality checks on the shared requirement sets: the share of requirements each rule flags
and the time per thousand requirements on one core.

Baseline, measured in the same run: a single case-insensitive regular expression of every vague term over
the same texts (the cheapest check one could run), so the cost of the twelve rules reads against it.
Run: .venv/bin/python bench/quality.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from documents.quality.rules import RULES, VAGUE_TERMS, _words_pattern, requirement_check  # noqa: E402

DATA = REPO.parent / "shared" / "data" / "classification"
SETS = {"promise_exp": DATA / "promise_exp.csv", "nasa_cfs": DATA / "nasa_cfs_requirements.csv"}


def best_seconds(run: object, repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()  # type: ignore[operator]
        timings.append(time.perf_counter() - started)
    return min(timings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    vague = _words_pattern(VAGUE_TERMS)
    for name, path in SETS.items():
        if not path.exists():
            print(f"{name}: {path} not found, skipped")
            continue
        with path.open(newline="", encoding="utf-8") as handle:
            texts = [row["text"] for row in csv.DictReader(handle)]
        flagged: Counter[str] = Counter()
        for text in texts:
            flagged.update({finding.rule for finding in requirement_check(text)})
        rules_s = best_seconds(lambda texts=texts: [requirement_check(t) for t in texts], args.repeat)
        base_s = best_seconds(lambda texts=texts: [vague.findall(t) for t in texts], args.repeat)
        per_thousand = 1000 / len(texts)
        print(f"{name}: {len(texts)} requirements")
        for rule in RULES:
            print(f"  {rule:26s} {flagged[rule] / len(texts):6.1%}")
        any_finding = sum(1 for t in texts if requirement_check(t))
        print(f"  {'any rule':26s} {any_finding / len(texts):6.1%}")
        print(
            f"  time per 1000: {rules_s * per_thousand * 1000:.0f} ms (12 rules)"
            f" vs {base_s * per_thousand * 1000:.0f} ms (baseline: one vague-term regex)"
        )


if __name__ == "__main__":
    main()
