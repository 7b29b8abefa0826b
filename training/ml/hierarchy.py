"""Hierarchy-consistent scores and decisions: a child never scores above its parent, and a predicted
child brings its ancestors with it."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from training.ml.labels import LabelTree


def parent_indices(tree: LabelTree, keys: Sequence[str]) -> list[int]:
    """For each of `keys` (a topologically ordered, ancestor-closed subset), its parent's position or -1."""
    position = {key: i for i, key in enumerate(keys)}
    result = []
    for key in keys:
        parent = tree.parent(key)
        result.append(position[parent] if parent is not None else -1)
    return result


def consistent_scores(scores: np.ndarray, parents: Sequence[int]) -> np.ndarray:
    """Clip every column to its parent's column; parents come first, so one pass reaches the leaves."""
    scores = scores.copy()
    for column, parent in enumerate(parents):
        if parent >= 0:
            np.minimum(scores[:, column], scores[:, parent], out=scores[:, column])
    return scores


def decide(scores: np.ndarray, thresholds: np.ndarray, parents: Sequence[int]) -> np.ndarray:
    """Boolean decisions: above its own threshold, plus every ancestor of a label above its threshold."""
    decided = scores >= thresholds[None, :]
    for column in reversed(range(len(parents))):
        parent = parents[column]
        if parent >= 0:
            decided[:, parent] |= decided[:, column]
    return decided
