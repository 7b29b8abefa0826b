"""Precision, recall and F1 for every node of the label tree, and their macro/micro/per-depth summaries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from training.ml.labels import LabelTree


def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def classification_metrics(
    *,
    truth: Sequence[frozenset[str]],
    predicted: Sequence[frozenset[str]],
    tree: LabelTree,
    ignored: Sequence[frozenset[str]] | None = None,
) -> dict[str, Any]:
    """Metrics over label sets closed under ancestors.

    `ignored[i]` are labels whose truth is unknown for row i (they count neither way). Macro averages
    (over leaves, and per depth over the nodes at that depth) include only labels that occur in `truth`:
    a label with no test example has no defined recall.
    """
    if len(truth) != len(predicted):
        raise ValueError("truth and predicted must have the same length.")
    counts = {key: [0, 0, 0] for key in tree.keys}
    for i, (true_set, pred_set) in enumerate(zip(truth, predicted, strict=True)):
        skip = ignored[i] if ignored is not None else frozenset()
        for key in (true_set | pred_set) - skip:
            if key not in counts:
                continue
            if key in true_set and key in pred_set:
                counts[key][0] += 1
            elif key in pred_set:
                counts[key][1] += 1
            else:
                counts[key][2] += 1
    per_label: dict[str, dict[str, float | int]] = {}
    for key in tree.keys:
        tp, fp, fn = counts[key]
        precision, recall, f1 = _f1(tp, fp, fn)
        per_label[key] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": tp + fn,
            "depth": tree.depth(key),
        }
    supported = [key for key in tree.keys if per_label[key]["support"]]
    leaves = [key for key in tree.leaves if key in supported]
    # Micro-F1 counts every leaf, so false alarms on a label absent from `truth` still cost precision.
    tp, fp, fn = (sum(counts[key][j] for key in tree.leaves) for j in range(3))
    per_level: dict[str, float] = {}
    for depth in sorted({tree.depth(key) for key in tree.keys}):
        nodes = [key for key in supported if tree.depth(key) == depth]
        if nodes:
            per_level[str(depth)] = round(_mean([float(per_label[key]["f1"]) for key in nodes]), 4)
    return {
        "macro_f1": round(_mean([float(per_label[key]["f1"]) for key in leaves]), 4),
        "micro_f1": round(_f1(tp, fp, fn)[2], 4),
        "per_label": per_label,
        "per_level": per_level,
        "n_examples": len(truth),
    }
