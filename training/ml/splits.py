"""Reproducible splits of multi-label data: a stratified split and a K-shots-per-label sampler."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def stratified_split(
    label_sets: Sequence[frozenset[str]], *, second_fraction: float, seed: int
) -> tuple[list[int], list[int]]:
    """Split indices into (first, second) with `second_fraction` of the rows in the second part.

    Iterative stratification (Sechidis et al., 2011): labels are placed rarest first, each row going to
    the part that still wants most of that label, so that every label keeps close to the same proportion
    in both parts even when rows carry several labels. Rows without labels fill the remaining sizes.
    """
    if not 0.0 < second_fraction < 1.0:
        raise ValueError(f"second_fraction must be between 0 and 1, got {second_fraction}.")
    rng = np.random.RandomState(seed)
    n = len(label_sets)
    fractions = np.array([1.0 - second_fraction, second_fraction])
    wanted_rows = fractions * n
    labels = sorted({label for labels in label_sets for label in labels})
    wanted = {label: fractions * sum(1 for labels in label_sets if label in labels) for label in labels}
    part_of = np.full(n, -1)
    remaining = set(range(n))
    while remaining and labels:
        counts = {label: sum(1 for i in remaining if label in label_sets[i]) for label in labels}
        labels = [label for label in labels if counts[label] > 0]
        if not labels:
            break
        rarest = min(labels, key=lambda label: (counts[label], label))
        rows = sorted(i for i in remaining if rarest in label_sets[i])
        for i in rng.permutation(rows):
            want = wanted[rarest]
            best = np.flatnonzero(want == want.max())
            if len(best) > 1:
                by_size = wanted_rows[best]
                best = best[by_size == by_size.max()]
            part = int(rng.choice(best))
            part_of[i] = part
            wanted_rows[part] -= 1
            for label in label_sets[i]:
                wanted[label][part] -= 1
            remaining.discard(int(i))
    for i in rng.permutation(sorted(remaining)):
        part = int(np.argmax(wanted_rows))
        part_of[i] = part
        wanted_rows[part] -= 1
    first = [i for i in range(n) if part_of[i] == 0]
    second = [i for i in range(n) if part_of[i] == 1]
    return first, second


def shots_split(
    label_sets: Sequence[frozenset[str]], *, labels: Sequence[str], shots: int, seed: int
) -> tuple[list[int], list[int]]:
    """K rows per label for training, every other row for testing.

    A label with fewer than 2K rows gives at most half of them, so that it is still tested. Labels are
    served rarest first and a row already drawn for another label counts towards each label it carries.
    """
    if shots < 1:
        raise ValueError(f"shots must be at least 1, got {shots}.")
    rng = np.random.RandomState(seed)
    rows_of = {label: [i for i, labels in enumerate(label_sets) if label in labels] for label in labels}
    chosen: set[int] = set()
    for label in sorted(labels, key=lambda label: (len(rows_of[label]), label)):
        rows = rows_of[label]
        quota = min(shots, len(rows) // 2) if len(rows) < 2 * shots else shots
        have = sum(1 for i in rows if i in chosen)
        for i in rng.permutation(rows):
            if have >= quota:
                break
            if int(i) not in chosen:
                chosen.add(int(i))
                have += 1
    train = sorted(chosen)
    test = [i for i in range(len(label_sets)) if i not in chosen]
    return train, test
