"""Per-label decision thresholds tuned on validation scores."""

from __future__ import annotations

import numpy as np

DEFAULT_THRESHOLD = 0.5
# A tuned threshold is pulled towards 0.5 by n_positives / (n_positives + SHRINK_POSITIVES): with 20
# validation positives it moves halfway. Unshrunk thresholds tuned on PROMISE validation splits moved
# as far as 0.07 or 0.95 and lost test macro-F1 against plain 0.5.
SHRINK_POSITIVES = 20
_GRID = np.round(np.arange(0.05, 0.951, 0.01), 2)


def tune_thresholds(
    scores: np.ndarray, targets: np.ndarray, weights: np.ndarray, *, min_positives: int
) -> tuple[np.ndarray, list[bool]]:
    """The F1-maximising threshold per label, and whether each was tuned.

    A label with fewer than `min_positives` known validation positives keeps 0.5: a threshold fitted on
    one or two examples is noise, and 0.5 is where the (class-balanced) loss itself puts the boundary.
    When a whole range of thresholds ties for the best F1 (common on small validation sets) the middle
    of the range is taken, which keeps the margin on both sides; the result is then shrunk towards 0.5.
    """
    n_labels = scores.shape[1]
    thresholds = np.full(n_labels, DEFAULT_THRESHOLD, dtype=np.float32)
    tuned = [False] * n_labels
    for label in range(n_labels):
        known = weights[:, label] > 0
        truth = targets[known, label] > 0.5
        if truth.sum() < min_positives:
            continue
        label_scores = scores[known, label]
        predicted = label_scores[None, :] >= _GRID[:, None]
        tp = (predicted & truth[None, :]).sum(axis=1)
        fp = (predicted & ~truth[None, :]).sum(axis=1)
        fn = (~predicted & truth[None, :]).sum(axis=1)
        f1 = np.where(tp > 0, 2 * tp / np.maximum(2 * tp + fp + fn, 1), 0.0)
        best = np.flatnonzero(f1 >= f1.max() - 1e-9)
        tuned_value = float(_GRID[best[len(best) // 2]])
        trust = truth.sum() / (truth.sum() + SHRINK_POSITIVES)
        thresholds[label] = round(DEFAULT_THRESHOLD + trust * (tuned_value - DEFAULT_THRESHOLD), 4)
        tuned[label] = True
    return thresholds, tuned
