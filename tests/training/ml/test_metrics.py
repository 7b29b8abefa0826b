import numpy as np
import pytest

from training.ml.hierarchy import (
    consistent_scores,
    decide,
    decide_single_path,
    is_single_path,
    parent_indices,
)
from training.ml.labels import LabelTree
from training.ml.metrics import classification_metrics
from training.ml.thresholds import tune_thresholds

TREE = LabelTree.from_paths(["F", "NFR > PE", "NFR > SE"])


def test_metrics_per_label_leaf_macro_micro_and_per_depth() -> None:
    # given two rows: one PE predicted as SE, one F predicted as F
    truth = [frozenset({"NFR", "NFR > PE"}), frozenset({"F"})]
    predicted = [frozenset({"NFR", "NFR > SE"}), frozenset({"F"})]

    # when
    metrics = classification_metrics(truth=truth, predicted=predicted, tree=TREE)

    # then SE has no support so it is left out of the macro average
    assert metrics["per_label"]["F"]["f1"] == 1.0
    assert metrics["per_label"]["NFR"]["f1"] == 1.0
    assert metrics["per_label"]["NFR > PE"] == {
        "precision": 0.0,
        "recall": 0.0,
        "f1": 0.0,
        "support": 1,
        "depth": 1,
    }
    assert metrics["macro_f1"] == 0.5
    assert metrics["micro_f1"] == 0.5
    assert metrics["per_level"] == {"0": 1.0, "1": 0.0}


def test_scores_are_clipped_to_the_parent_and_decisions_bring_ancestors() -> None:
    keys = list(TREE.keys)  # F, NFR, NFR > PE, NFR > SE
    parents = parent_indices(TREE, keys)
    scores = np.array([[0.1, 0.4, 0.9, 0.2]], dtype=np.float32)

    consistent = consistent_scores(scores, parents)
    decided = decide(consistent, np.array([0.5, 0.5, 0.3, 0.5], dtype=np.float32), parents)

    assert consistent.tolist() == [[np.float32(0.1), np.float32(0.4), np.float32(0.4), np.float32(0.2)]]
    assert decided.tolist() == [[False, True, True, False]]


def test_thresholds_are_tuned_only_with_enough_positives() -> None:
    scores = np.array([[0.9, 0.9], [0.8, 0.1], [0.35, 0.2], [0.3, 0.2], [0.1, 0.1]], dtype=np.float32)
    targets = np.array([[1, 1], [1, 0], [1, 0], [0, 0], [0, 0]], dtype=np.float32)
    weights = np.ones_like(targets)

    thresholds, tuned = tune_thresholds(scores, targets, weights, min_positives=2)

    # label 0: any threshold in (0.30, 0.35] separates perfectly; the middle (0.33) is taken, then
    # pulled towards 0.5 by 3 positives / (3 + 20)
    assert thresholds[0] == pytest.approx(0.5 + 3 / 23 * (0.33 - 0.5), abs=1e-4)
    assert thresholds[1] == np.float32(0.5)
    assert tuned == [True, False]


def test_single_path_data_is_detected_and_decided_top_down() -> None:
    keys = list(TREE.keys)  # F, NFR, NFR > PE, NFR > SE
    parents = parent_indices(TREE, keys)
    one_path_each = np.array([[1, 0, 0, 0], [0, 1, 1, 0]], dtype=np.float32)
    two_leaves = np.array([[0, 1, 1, 1]], dtype=np.float32)
    no_label = np.array([[0, 0, 0, 0]], dtype=np.float32)

    assert is_single_path(one_path_each, np.ones_like(one_path_each), parents) is True
    assert is_single_path(two_leaves, np.ones_like(two_leaves), parents) is False
    assert is_single_path(no_label, np.ones_like(no_label), parents) is False
    # NFR's best child wins even though F alone scores higher than that child
    scores = np.array([[0.3, 0.6, 0.1, 0.2], [0.9, 0.2, 0.1, 0.1]], dtype=np.float32)
    assert decide_single_path(scores, parents).tolist() == [
        [False, True, False, True],
        [True, False, False, False],
    ]
