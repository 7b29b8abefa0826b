"""Training examples: a text, the labels a user said yes to and the labels they said no to.

Anything else is unknown. A positive implies its ancestors; a negative implies its descendants (a
requirement that is not "Non-functional" is not "Performance" either).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from training.ml.errors import DataError, UnknownLabelError
from training.ml.labels import LabelTree


@dataclass(frozen=True)
class Example:
    text: str
    positives: frozenset[str]
    negatives: frozenset[str] = frozenset()


def _describe(index: int, example: Example) -> str:
    snippet = example.text.strip().replace("\n", " ")[:50]
    return f"example {index} ({snippet!r})" if snippet else f"example {index}"


def validate_examples(examples: Sequence[Example], tree: LabelTree) -> None:
    """Raise a `DataError`/`UnknownLabelError` naming the first bad example."""
    if not examples:
        raise DataError("There are no examples: label some requirements before training.")
    for i, example in enumerate(examples):
        if not isinstance(example.text, str) or not example.text.strip():
            raise DataError(f"Example {i} has an empty text.")
        for label in sorted(example.positives | example.negatives):
            if label not in tree:
                raise UnknownLabelError(
                    f"{_describe(i, example).capitalize()} uses label {label!r}, "
                    "which is not in the label tree."
                )
        positives = tree.with_ancestors(example.positives)
        negatives = tree.with_descendants(example.negatives)
        clash = sorted(positives & negatives)
        if clash:
            raise DataError(
                f"{_describe(i, example).capitalize()} is both positive and negative for {', '.join(clash)} "
                "(a positive label implies its ancestors, a negative one its descendants)."
            )


def closed_positives(example: Example, tree: LabelTree) -> frozenset[str]:
    return tree.with_ancestors(example.positives)


def open_below(positives: frozenset[str], tree: LabelTree) -> frozenset[str]:
    """Labels left open by an answer that stops at an inner label.

    "Non-functional" without a child says nothing about which kind: its descendants are unknown. With
    "Non-functional > Performance" the answer went down to a leaf, so only that leaf's own descendants
    (none) are open and the siblings are not.
    """
    closed = tree.with_ancestors(positives)
    frontier = [key for key in closed if not any(child in closed for child in tree.children(key))]
    return tree.with_descendants(frontier) - closed


def label_targets(
    examples: Sequence[Example], tree: LabelTree, *, unknown_negative_weight: float
) -> tuple[np.ndarray, np.ndarray]:
    """Targets and loss weights, shape (n_examples, n_labels) in `tree.keys` order.

    Positives (with ancestors) are 1 and explicit negatives (with descendants) are 0, both at weight 1.
    An unknown label below the deepest positive (the user said "Non-functional" but not which kind) is
    masked: any child may be right. Any other unknown label counts as a negative at `unknown_negative_weight`,
    because users label a requirement with the labels that apply and rarely click "no" on all others;
    with weight 0 a model trained only on positives would learn to say yes to everything.
    """
    targets = np.zeros((len(examples), len(tree)), dtype=np.float32)
    weights = np.full((len(examples), len(tree)), unknown_negative_weight, dtype=np.float32)
    for row, example in enumerate(examples):
        positives = tree.with_ancestors(example.positives)
        for key in open_below(positives, tree):
            weights[row, tree.index(key)] = 0.0
        for key in positives:
            targets[row, tree.index(key)] = 1.0
            weights[row, tree.index(key)] = 1.0
        for key in tree.with_descendants(example.negatives):
            weights[row, tree.index(key)] = 1.0
    return targets, weights


def data_hash(examples: Sequence[Example], tree: LabelTree) -> str:
    """sha256 of the examples in order and of the tree: two trainings on the same hash saw the same data."""
    digest = hashlib.sha256()
    digest.update(json.dumps(tree.to_parents(), sort_keys=True).encode())
    for example in examples:
        record = [example.text, sorted(example.positives), sorted(example.negatives)]
        digest.update(json.dumps(record, ensure_ascii=False).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def ensure_known(labels: Sequence[str], tree: LabelTree) -> None:
    for label in labels:
        if label not in tree:
            raise UnknownLabelError(f"Unknown label {label!r}: it is not in the label tree.")
