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


def is_single_path(targets: np.ndarray, weights: np.ndarray, parents: Sequence[int]) -> bool:
    """True when every example's positives are exactly one path from a root down to a leaf.

    That is the shape of data where each requirement gets one category (PROMISE's F or one NFR kind):
    then the right decision is the best path, not independent yes/no per label. An unknown or a
    missing answer anywhere (a row without positives, an inner label left open) means labels can
    co-occur or be absent, and per-label thresholds decide instead.
    """
    if len(targets) == 0 or (weights == 0).any():
        return False
    children = _children_of(parents)
    positive = targets > 0.5
    for node, kids in children.items():
        rows = positive[:, node] if node >= 0 else np.ones(len(targets), dtype=bool)
        if not (positive[rows][:, kids].sum(axis=1) == 1).all():
            return False
    return True


def _children_of(parents: Sequence[int]) -> dict[int, list[int]]:
    """Columns by their parent's column (-1: the roots)."""
    children: dict[int, list[int]] = {}
    for column, parent in enumerate(parents):
        children.setdefault(parent, []).append(column)
    return children


def _walk_down(margins: np.ndarray, children: dict[int, list[int]]) -> np.ndarray:
    """Each row from the roots down: the child with the best margin while that margin is not negative."""
    decided = np.zeros(margins.shape, dtype=bool)
    for row in range(len(margins)):
        kids = children.get(-1, [])
        while kids:
            best = kids[int(np.argmax(margins[row, kids]))]
            if margins[row, best] < 0:
                break
            decided[row, best] = True
            kids = children.get(best, [])
    return decided


def decide_single_path(scores: np.ndarray, parents: Sequence[int]) -> np.ndarray:
    """From the roots down, the best-scoring child at each level until a leaf."""
    children = _children_of(parents)
    decided = np.zeros(scores.shape, dtype=bool)
    rows = np.arange(len(scores))
    current = np.full(len(scores), -1)
    while True:
        options = [children.get(int(node), []) for node in current]
        open_rows = np.array([bool(o) for o in options])
        if not open_rows.any():
            return decided
        for row in rows[open_rows]:
            kids = options[row]
            best = kids[int(np.argmax(scores[row, kids]))]
            decided[row, best] = True
            current[row] = best
        current[~open_rows] = -2  # finished rows: no node has parent -2


def decide(scores: np.ndarray, thresholds: np.ndarray, parents: Sequence[int]) -> np.ndarray:
    """Boolean decisions: above its own threshold, plus every ancestor of a label above its threshold."""
    decided = scores >= thresholds[None, :]
    for column in reversed(range(len(parents))):
        parent = parents[column]
        if parent >= 0:
            decided[:, parent] |= decided[:, column]
    return decided


def decide_per_depth(scores: np.ndarray, thresholds: np.ndarray, parents: Sequence[int]) -> np.ndarray:
    """From the roots down, the best child of the label decided one level up, while it (or a label
    below it) reaches its threshold: at most one label per depth, a child only under its decided parent.

    Give it raw scores (not clipped to the parents'): clipping would tie every sibling that scores
    above the parent, and the first would win whatever the others scored.
    """
    children = _children_of(parents)
    # A branch is as good as its best label: an inner label's own text ("Non-functional") is vaguer
    # than its children's, so siblings compete on the best score anywhere below them.
    margins = scores - thresholds[None, :]
    for column in reversed(range(len(parents))):
        parent = parents[column]
        if parent >= 0:
            np.maximum(margins[:, parent], margins[:, column], out=margins[:, parent])
    return _walk_down(margins, children)


def decide_top_down(scores: np.ndarray, thresholds: np.ndarray, parents: Sequence[int]) -> np.ndarray:
    """From the roots down, the child of the label decided one level up with the best score of its own,
    while that score reaches its threshold: at most one label per depth, a child only under its parent.

    Unlike `decide_per_depth`, a branch is judged by its own score, not by the best label below it: the
    zero-shot model gives an inner label a prototype of its whole subtree, and the best of eleven
    quality classes would otherwise outvote "Functional" on most texts (PROMISE zero-shot, hand-written
    descriptions and phrases: F1(F) 0.64 with the best-below rule, 0.76 judged on the subtree).
    Give it raw scores, as `decide_per_depth`.
    """
    children = _children_of(parents)
    margins = scores - thresholds[None, :]
    return _walk_down(margins, children)


DECISION_RULES = ("thresholds", "single_path", "per_depth", "top_down")
RAW_SCORE_RULES = ("per_depth", "top_down")  # rules that decide on scores not clipped to the parent's


def decide_by_rule(
    scores: np.ndarray, thresholds: np.ndarray, parents: Sequence[int], rule: str
) -> np.ndarray:
    if rule == "single_path":
        return decide_single_path(scores, parents)
    if rule == "per_depth":
        return decide_per_depth(scores, thresholds, parents)
    if rule == "top_down":
        return decide_top_down(scores, thresholds, parents)
    return decide(scores, thresholds, parents)
