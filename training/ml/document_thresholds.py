"""Top-level thresholds the project's own unanswered requirements teach.

A model trained on a few examples per label is calibrated to that sample, not to the documents it will
tag: on PROMISE with 16 examples per label the fine-tuned model ranks functional requirements well (AUC
0.91 for "F") but calls 31% of the unanswered rows functional where 53% are, because 16 functional
examples face 176 non-functional ones spread over eleven classes, and an unseen functional requirement
lands nearer one of those. The ranking is right, the cut is not.

The unanswered requirements show where the cut belongs without a single answer: over a document, a
top-level label's logits form two groups, the requirements that have it and those that do not. A
two-component Gaussian mixture fitted to them puts the threshold where a requirement is as likely to
belong to the upper group as to the lower. Only the roots get this: their two groups are each a large
share of the document; a leaf held by 2% of the rows has no group of its own to find. And only where the
answers were not drawn like the document: when a root's share of the answered examples and its upper
group's share of the unanswered requirements agree (odds within a factor of MIN_SHIFT_ODDS), the model
learned its cut from a fair sample and keeps it (PROMISE with half the rows answered, drawn at random:
F1(F) 0.888 kept, 0.878 with the mixture's cut).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# Fewer unanswered requirements than this and the mixture's two groups are guesses.
MIN_UNANSWERED = 100
# The two groups' means must lie this many (pooled) standard deviations apart, or the scores are not
# two groups and the trained threshold stays.
MIN_SEPARATION = 2.0
# Neither group may hold less than this share of the rows: a "group" of a few outliers is not a label.
MIN_SHARE = 0.05
# A root's odds in the answered examples and in the document must differ at least this much (either way)
# before the document's cut replaces the trained one. PROMISE, 16 answers per label: F is 8% of the
# answers and about 44% of the document (odds ratio 9); half the rows answered at random: 1.1.
MIN_SHIFT_ODDS = 2.0
_EPS = 1e-6


def mixture_threshold(scores: np.ndarray, *, seed: int = 0) -> tuple[float, float] | None:
    """The score where the upper of two Gaussian groups of logits becomes the likelier, and the upper
    group's share of the rows; None when the scores are too few or do not form two groups."""
    from sklearn.mixture import GaussianMixture

    if len(scores) < MIN_UNANSWERED:
        return None
    clipped = np.clip(np.asarray(scores, dtype=np.float64), _EPS, 1 - _EPS)
    logits = np.log(clipped / (1 - clipped))[:, None]
    mixture = GaussianMixture(n_components=2, random_state=seed).fit(logits)
    means = mixture.means_[:, 0]
    spreads = np.sqrt(mixture.covariances_.reshape(2))
    low, high = int(np.argmin(means)), int(np.argmax(means))
    if low == high or min(mixture.weights_) < MIN_SHARE:
        return None
    if means[high] - means[low] < MIN_SEPARATION * float(np.sqrt((spreads**2).mean())):
        return None
    # Between the two means the upper group's posterior rises from below to above one half.
    grid = np.linspace(means[low], means[high], 512)[:, None]
    upper = mixture.predict_proba(grid)[:, high]
    crossing = int(np.argmax(upper >= 0.5))
    if upper[crossing] < 0.5:
        return None
    return float(1 / (1 + np.exp(-grid[crossing, 0]))), float(mixture.weights_[high])


def _odds(share: float) -> float:
    share = min(max(share, 0.01), 0.99)
    return share / (1 - share)


def root_thresholds(
    raw_scores: np.ndarray,
    keys: Sequence[str],
    parents: Sequence[int],
    thresholds: np.ndarray,
    *,
    answered_share: Sequence[float],
    seed: int = 0,
) -> tuple[np.ndarray, dict[str, float]]:
    """`thresholds` with a root label's replaced by its mixture threshold over `raw_scores` (the
    unanswered requirements' raw scores) where one is found and the root's share of the answered
    examples (`answered_share`, per column) is far from its share of the document; and those replaced,
    by key."""
    adjusted = thresholds.astype(np.float32).copy()
    taught: dict[str, float] = {}
    for column, parent in enumerate(parents):
        if parent >= 0:
            continue
        found = mixture_threshold(raw_scores[:, column], seed=seed)
        if found is None:
            continue
        threshold, document_share = found
        shift = _odds(document_share) / _odds(answered_share[column])
        if max(shift, 1 / shift) < MIN_SHIFT_ODDS:
            continue
        taught[keys[column]] = round(threshold, 4)
        adjusted[column] = taught[keys[column]]
    return adjusted, taught
