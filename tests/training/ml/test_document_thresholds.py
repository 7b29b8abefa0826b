"""Top-level thresholds from the project's unanswered requirements (training/ml/document_thresholds.py)."""

import json
from pathlib import Path

import numpy as np
import pytest

from training.ml.document_thresholds import MIN_UNANSWERED, mixture_threshold, root_thresholds
from training.ml.examples import Example
from training.ml.hierarchy import parent_indices
from training.ml.labels import LabelTree
from training.ml.train import TrainConfig, train_classifier


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def _two_groups(n_low: int, n_high: int, *, low: float = -5.0, high: float = 1.5) -> np.ndarray:
    rng = np.random.RandomState(0)
    return _sigmoid(np.concatenate([rng.normal(low, 1.2, n_low), rng.normal(high, 1.2, n_high)]))


def test_an_under_called_label_gets_the_cut_between_its_two_groups() -> None:
    # given: the upper group (the label's requirements) mostly scores under 0.5, as a few-shot model
    # scores a label it has seen only a few examples of
    scores = _two_groups(300, 300, low=-5.0, high=-0.5)
    truth = np.arange(600) >= 300

    # when
    found = mixture_threshold(scores)

    # then: the cut lies between the groups, far under 0.5, and separates them; half the rows are above it
    assert found is not None
    threshold, share = found
    assert share == pytest.approx(0.5, abs=0.05)
    assert _sigmoid(np.array(-5.0)) < threshold < 0.3
    assert ((scores >= threshold) == truth).mean() > 0.9
    assert ((scores >= 0.5) == truth).mean() < 0.75


def test_scores_that_are_one_group_or_too_few_keep_the_trained_threshold() -> None:
    one_group = _sigmoid(np.random.RandomState(1).normal(0.0, 1.0, 500))
    assert mixture_threshold(one_group) is None
    assert mixture_threshold(_two_groups(40, 40)[: MIN_UNANSWERED - 1]) is None
    assert mixture_threshold(_two_groups(590, 10)) is None  # a handful of outliers is not a group


def test_only_top_level_labels_the_answers_under_represent_are_set() -> None:
    tree = LabelTree.from_paths(["F", "NFR > PE", "NFR > SE"])
    keys = list(tree.keys)  # F, NFR, NFR > PE, NFR > SE
    parents = parent_indices(tree, keys)
    upper = _two_groups(300, 300)
    raw = np.stack([upper, 1 - upper, upper, 1 - upper], axis=1)
    trained = np.full(4, 0.5, np.float32)

    # 16 answers per leaf: F is 1 answer in 12, half of the document
    thresholds, taught = root_thresholds(
        raw, keys, parents, trained, answered_share=[1 / 12, 11 / 12, 0.5, 0.5]
    )
    # answers drawn like the document: the trained cut stays
    kept, none = root_thresholds(raw, keys, parents, trained, answered_share=[0.45, 0.55, 0.25, 0.3])

    assert set(taught) == {"F", "NFR"}
    assert thresholds[0] == np.float32(taught["F"]) and thresholds[1] == np.float32(taught["NFR"])
    assert thresholds[2:].tolist() == [0.5, 0.5]
    assert none == {} and kept.tolist() == trained.tolist()


def test_training_sets_the_top_level_thresholds_from_the_unanswered_requirements(
    tmp_path: Path, tiny_encoder: Path
) -> None:
    # given: one category per requirement (decided top-down), no validation split, as many answers on
    # braking as on seats, and a project whose unanswered requirements are mostly about seats
    tree = LabelTree.from_paths(["Safety > Braking", "Comfort"])
    examples = [
        Example(text=f"The {word} shall meet requirement {i}.", positives=frozenset({label}))
        for label, word in (("Safety > Braking", "brake"), ("Comfort", "seat"))
        for i in range(8)
    ]
    unanswered = [
        f"The {word} must work in case {i}." for word, n in (("brake", 30), ("seat", 120)) for i in range(n)
    ]
    config = TrainConfig(
        base_model_path=tiny_encoder, epochs=6, batch_size=8, learning_rate=1e-3, seed=3, device="cpu"
    )

    # when
    result = train_classifier(
        examples=examples, tree=tree, config=config, output_dir=tmp_path / "m", unanswered_texts=unanswered
    )

    # then: the roots' thresholds are the ones the unanswered requirements taught; the leaf keeps 0.5
    card = json.loads((tmp_path / "m" / "training_card.json").read_text())
    assert card["counts"]["unanswered_texts"] == 150
    taught = card["thresholds_from_unanswered"]
    assert taught and set(taught) <= {"Safety", "Comfort"}
    assert all(result.thresholds[key] == value for key, value in taught.items())
    assert result.thresholds["Safety > Braking"] == 0.5
