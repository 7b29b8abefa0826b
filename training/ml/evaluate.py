"""Evaluate a saved model on labelled examples, in the same metrics format as training."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from training.ml.examples import Example, label_targets, validate_examples
from training.ml.inference import load_classifier
from training.ml.labels import LabelTree
from training.ml.metrics import classification_metrics


def evaluate_artifact(
    *,
    artifact_dir: Path,
    examples: Sequence[Example],
    tree: LabelTree,
    batch_size: int = 64,
    quantize: bool = False,
) -> dict[str, Any]:
    """Metrics of the model in `artifact_dir` on `examples` (e.g. a candidate's validation split).

    Labels of `tree` the model was not trained on count as never predicted, so a model that skipped a
    label is not rewarded for it.
    """
    validate_examples(examples, tree)
    classifier = load_classifier(artifact_dir, quantize=quantize)
    _scores, decided = classifier.score_and_decide([e.text for e in examples], batch_size=batch_size)
    keys = classifier.label_keys
    predicted = [
        frozenset(k for k, yes in zip(keys, row, strict=True) if yes and k in tree) for row in decided
    ]
    targets, weights = label_targets(examples, tree, unknown_negative_weight=1.0)
    truth = [frozenset(tree.keys[j] for j in np.flatnonzero(row > 0.5)) for row in targets]
    ignored = [frozenset(tree.keys[j] for j in np.flatnonzero(row == 0)) for row in weights]
    return classification_metrics(truth=truth, predicted=predicted, tree=tree, ignored=ignored)
