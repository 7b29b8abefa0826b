"""What a user said a label means (its description and typical phrases), as texts the encoder can read.

The zero-shot model turns these texts into prototypes; the trainer adds them as extra, weighted
training examples, so that a label with only a few examples of its own still has something to learn
from. The weight fades as the label's own examples grow: at `minimum` examples (the project's
minimum-examples setting) the meaning weighs exactly as much as the examples, above it the examples
dominate.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from training.ml.labels import LabelTree


@dataclass(frozen=True)
class LabelMeaning:
    """What a user said a label means: its description and a few typical phrases (both optional)."""

    description: str = ""
    examples: tuple[str, ...] = ()

    @property
    def described(self) -> bool:
        return bool(self.description.strip() or any(p.strip() for p in self.examples))


def label_texts(tree: LabelTree, meanings: Mapping[str, LabelMeaning], key: str) -> list[str]:
    """The texts a label's meaning is made of: its path (with the description), then each phrase."""
    meaning = meanings.get(key, LabelMeaning())
    path = tree.path_display(key)
    head = f"{path}: {meaning.description.strip()}" if meaning.description.strip() else path
    return [head, *(phrase.strip() for phrase in meaning.examples if phrase.strip())]


def meaning_mass(*, positives: int, minimum: int) -> float:
    """Total loss weight of a label's meaning texts, given how many examples of its own it has.

    2·m²/(m + n): twice the minimum for a label without examples, equal to its examples at n = m, and
    fading as 1/n beyond (16 examples with m = 5: 2.4).
    """
    m = max(1, minimum)
    return 2.0 * m * m / (m + max(0, positives))


@dataclass(frozen=True)
class MeaningExample:
    text: str
    label: str
    weight: float


def meaning_examples(
    *,
    tree: LabelTree,
    meanings: Mapping[str, LabelMeaning],
    labels: list[str],
    positives: Mapping[str, int],
    minimum: int,
) -> list[MeaningExample]:
    """One weighted example per meaning text of each of `labels` (each label's texts share its mass)."""
    rows: list[MeaningExample] = []
    for key in labels:
        texts = label_texts(tree, meanings, key)
        weight = meaning_mass(positives=positives.get(key, 0), minimum=minimum) / len(texts)
        rows.extend(MeaningExample(text=text, label=key, weight=weight) for text in texts)
    return rows
