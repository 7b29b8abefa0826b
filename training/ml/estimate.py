"""How good is a model? A figure measured on examples it was not trained on, with its method and spread.

At or above the validation-split size (`TrainConfig.min_examples_for_validation`) the figure is the
model's own score on the held-out split. Below it the model is trained on every answered example, so
nothing is left to measure it on: its score on its own training examples says nothing (it reads 1.000).
The estimate is then k-fold cross-validation of a cheap stand-in: in each fold, the linear probe that
initialises the fine-tune (per-label logistic regression on the frozen, normalised embeddings of the same
encoder, fit.linear_probe's settings) is fitted on the other folds and decides the held-out fold with the
same 0.5 thresholds and hierarchy rule. Cross-validating the fine-tune itself would cost k trainings, on a
laptop CPU tens of minutes; bench/estimate.py measures how close this estimate comes to the fine-tuned
model's macro-F1 on the rows nobody answered.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from training.ml.examples import Example, label_targets
from training.ml.hierarchy import RAW_SCORE_RULES, consistent_scores, decide_by_rule, parent_indices
from training.ml.labels import LabelTree
from training.ml.meanings import MeaningExample
from training.ml.metrics import classification_metrics

FOLDS = 5
# Fewer answered examples than this and each fold would hold a handful of rows: the spread would be as
# large as the figure, so the product says "not enough examples to estimate" instead of a number.
MIN_EXAMPLES_TO_ESTIMATE = 20
NOT_ENOUGH = "not enough examples to estimate"


@dataclass(frozen=True)
class CrossValidation:
    folds: int
    fold_of: list[int]  # the fold each example was held out in
    predicted: list[frozenset[str]]  # each example's labels, decided by a probe that never saw it
    fold_macro_f1: list[float]
    metrics: dict[str, Any] = field(default_factory=dict)  # pooled over every held-out prediction

    @property
    def spread(self) -> float:
        """Standard deviation of the folds' macro-F1: how much the figure moves with the rows drawn."""
        values = np.array(self.fold_macro_f1, dtype=float)
        return float(values.std(ddof=1)) if len(values) > 1 else 0.0


def predicted_metrics(
    examples: Sequence[Example], predicted: Sequence[frozenset[str]], tree: LabelTree
) -> dict[str, Any]:
    """Metrics of label sets decided for `examples` against their answers (as evaluate.evaluate_artifact)."""
    targets, weights = label_targets(examples, tree, unknown_negative_weight=1.0)
    truth = [frozenset(tree.keys[j] for j in np.flatnonzero(row > 0.5)) for row in targets]
    ignored = [frozenset(tree.keys[j] for j in np.flatnonzero(row == 0)) for row in weights]
    closed = [tree.with_ancestors([k for k in labels if k in tree]) for labels in predicted]
    return classification_metrics(truth=truth, predicted=closed, tree=tree, ignored=ignored)


def artifact_predictions(
    artifact_dir: Path, examples: Sequence[Example], tree: LabelTree
) -> list[frozenset[str]]:
    """The labels a saved model (trained or zero-shot) decides for each example; labels of `tree` it
    does not predict count as never predicted."""
    from training.ml.inference import load_classifier

    classifier = load_classifier(artifact_dir)
    _scores, decided = classifier.score_and_decide([e.text for e in examples], batch_size=64)
    keys = classifier.label_keys
    return [frozenset(k for k, yes in zip(keys, row, strict=True) if yes and k in tree) for row in decided]


def fold_assignment(label_sets: Sequence[frozenset[str]], *, folds: int, seed: int) -> list[int]:
    """Stratified folds: rows grouped by their rarest label, each group shuffled and dealt round-robin,
    so every label is spread over the folds as evenly as its count allows."""
    rng = np.random.RandomState(seed)
    counts: dict[str, int] = {}
    for labels in label_sets:
        for label in labels:
            counts[label] = counts.get(label, 0) + 1
    groups: dict[str, list[int]] = {}
    for i, labels in enumerate(label_sets):
        rarest = min(labels, key=lambda label: (counts[label], label)) if labels else ""
        groups.setdefault(rarest, []).append(i)
    fold_of = [0] * len(label_sets)
    dealt = int(rng.randint(folds))
    for key in sorted(groups, key=lambda key: (len(groups[key]), key)):
        for i in rng.permutation(groups[key]):
            fold_of[int(i)] = dealt % folds
            dealt += 1
    return fold_of


def _probe_scores(
    train_x: np.ndarray, train_y: np.ndarray, train_w: np.ndarray, test_x: np.ndarray, seed: int
) -> np.ndarray:
    from sklearn.linear_model import LogisticRegression

    scores = np.zeros((len(test_x), train_y.shape[1]), dtype=np.float32)
    for label in range(train_y.shape[1]):
        known = train_w[:, label] > 0
        y = train_y[known, label]
        if len(np.unique(y)) < 2:
            # As fit.linear_probe: every known example agrees, so the prior is all there is.
            scores[:, label] = float(np.clip(y.mean() if len(y) else 0.5, 0.02, 0.98))
            continue
        probe = LogisticRegression(C=10.0, max_iter=1000, class_weight="balanced", random_state=seed)
        probe.fit(train_x[known], y, sample_weight=train_w[known, label])
        scores[:, label] = probe.predict_proba(test_x)[:, 1]
    return scores


def cross_validate_embeddings(
    *,
    embeddings: np.ndarray,
    examples: Sequence[Example],
    tree: LabelTree,
    trained_keys: Sequence[str],
    meaning_rows: Sequence[MeaningExample] = (),
    meaning_embeddings: np.ndarray | None = None,
    folds: int = FOLDS,
    seed: int = 0,
    decision_rule: str = "thresholds",
) -> CrossValidation | None:
    """K-fold cross-validation of the linear probe on precomputed embeddings; None when there are too
    few examples to estimate anything (see MIN_EXAMPLES_TO_ESTIMATE). `meaning_rows` (with their
    `meaning_embeddings`), the label meanings the model trained on, join the probe's training rows in
    every fold, with their weights, as they joined the model's; they are never measured on."""
    if len(examples) < max(MIN_EXAMPLES_TO_ESTIMATE, folds) or not trained_keys:
        return None
    sub_tree = LabelTree.from_parents({key: tree.parent(key) for key in trained_keys})
    keys = list(sub_tree.keys)
    parents = parent_indices(sub_tree, keys)
    targets, weights = label_targets(examples, tree, unknown_negative_weight=1.0)
    columns = [tree.index(key) for key in keys]
    targets, weights = targets[:, columns], weights[:, columns]
    closed = [frozenset(keys[j] for j in np.flatnonzero(row > 0.5)) for row in targets]
    fold_of = fold_assignment(closed, folds=folds, seed=seed)
    extra_x, extra_y, extra_w = _meaning_training_rows(
        meaning_rows, meaning_embeddings, tree, columns, dim=embeddings.shape[1]
    )
    predicted: list[frozenset[str]] = [frozenset()] * len(examples)
    fold_macro = []
    for fold in range(folds):
        test = [i for i, f in enumerate(fold_of) if f == fold]
        train = [i for i, f in enumerate(fold_of) if f != fold]
        if not test:
            continue
        scores = _probe_scores(
            np.concatenate([embeddings[train], extra_x]),
            np.concatenate([targets[train], extra_y]),
            np.concatenate([weights[train], extra_w]),
            embeddings[test],
            seed,
        )
        if decision_rule not in RAW_SCORE_RULES:  # top-down rules compare siblings on raw scores
            scores = consistent_scores(scores, parents)
        decided = decide_by_rule(scores, np.full(len(keys), 0.5, dtype=np.float32), parents, decision_rule)
        for row, i in enumerate(test):
            predicted[i] = frozenset(keys[j] for j in np.flatnonzero(decided[row]))
        fold_examples = [examples[i] for i in test]
        fold_macro.append(predicted_metrics(fold_examples, [predicted[i] for i in test], tree)["macro_f1"])
    return CrossValidation(
        folds=folds,
        fold_of=fold_of,
        predicted=predicted,
        fold_macro_f1=fold_macro,
        metrics=predicted_metrics(examples, predicted, tree),
    )


def _meaning_training_rows(
    rows: Sequence[MeaningExample],
    embeddings: np.ndarray | None,
    tree: LabelTree,
    columns: list[int],
    dim: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The meaning texts as probe rows: embeddings, targets and weights over `columns` (no rows: empty)."""
    if not rows or embeddings is None:
        return (
            np.zeros((0, dim), np.float32),
            np.zeros((0, len(columns)), np.float32),
            np.zeros((0, len(columns)), np.float32),
        )
    targets, weights = label_targets(
        [Example(text=row.text, positives=frozenset({row.label})) for row in rows],
        tree,
        unknown_negative_weight=1.0,
    )
    row_weights = np.array([row.weight for row in rows], dtype=np.float32)[:, None]
    return embeddings, targets[:, columns], (weights * row_weights)[:, columns]


def encode_frozen(texts: Sequence[str], *, base_model_path: Path, max_length: int, device: Any) -> np.ndarray:
    """Normalised mean-pooled embeddings of the untouched encoder, as the linear probe sees them."""
    from transformers import AutoModel, AutoTokenizer

    from training.ml.model import LabelScorer, run_batches, tokenize

    tokenizer = AutoTokenizer.from_pretrained(str(base_model_path))
    encoder = AutoModel.from_pretrained(str(base_model_path))
    net = LabelScorer(encoder, int(encoder.config.hidden_size), 1).to(device)
    token_ids = tokenize(tokenizer, texts, max_length)
    return run_batches(
        net, token_ids, pad_id=int(tokenizer.pad_token_id or 0), batch_size=64, device=device, embed_only=True
    )


def cross_validate(
    *,
    examples: Sequence[Example],
    tree: LabelTree,
    trained_keys: Sequence[str],
    base_model_path: Path,
    device: Any,
    meaning_rows: Sequence[MeaningExample] = (),
    max_length: int = 128,
    folds: int = FOLDS,
    seed: int = 0,
    decision_rule: str = "thresholds",
) -> CrossValidation | None:
    if len(examples) < max(MIN_EXAMPLES_TO_ESTIMATE, folds) or not trained_keys:
        return None
    embeddings = encode_frozen(
        [e.text for e in examples] + [row.text for row in meaning_rows],
        base_model_path=base_model_path,
        max_length=max_length,
        device=device,
    )
    return cross_validate_embeddings(
        embeddings=embeddings[: len(examples)],
        examples=examples,
        tree=tree,
        trained_keys=trained_keys,
        meaning_rows=meaning_rows,
        meaning_embeddings=embeddings[len(examples) :],
        folds=folds,
        seed=seed,
        decision_rule=decision_rule,
    )


# --- The `quality` record a version carries: one figure, how it was measured, and how uncertain it is.


def quality_cross_validated(cv: CrossValidation, *, encoder: str) -> dict[str, Any]:
    macro = float(cv.metrics["macro_f1"])
    return {
        "method": "cross_validation",
        "macro_f1": round(macro, 4),
        "micro_f1": cv.metrics["micro_f1"],
        "uncertainty": round(cv.spread, 4),
        "folds": cv.folds,
        "examples": len(cv.predicted),
        "summary": f"≈ {macro:.2f} ± {cv.spread:.2f}, {cv.folds}-fold",
        "how": f"{cv.folds}-fold cross-validation on the {len(cv.predicted)} answered examples: a linear "
        f"probe on frozen {encoder} embeddings, fitted on {cv.folds - 1} folds and scored on the "
        "fifth, in turn (± is the spread across folds). The model itself trained on every example.",
    }


def holdout_uncertainty(
    examples: Sequence[Example], predicted: Sequence[frozenset[str]], tree: LabelTree, *, seed: int = 0
) -> float:
    """Bootstrap standard deviation of macro-F1 over the held-out rows (200 resamples)."""
    rng = np.random.RandomState(seed)
    n = len(examples)
    values = []
    for _ in range(200):
        rows = rng.randint(0, n, size=n)
        values.append(
            predicted_metrics([examples[i] for i in rows], [predicted[i] for i in rows], tree)["macro_f1"]
        )
    return float(np.std(values, ddof=1)) if len(values) > 1 else 0.0


def quality_held_out(metrics: dict[str, Any], *, examples: int, uncertainty: float | None) -> dict[str, Any]:
    macro = float(metrics["macro_f1"])
    spread = f" ± {uncertainty:.2f}" if uncertainty is not None and math.isfinite(uncertainty) else ""
    return {
        "method": "held_out",
        "macro_f1": round(macro, 4),
        "micro_f1": metrics.get("micro_f1"),
        "uncertainty": round(uncertainty, 4) if uncertainty is not None else None,
        "folds": None,
        "examples": examples,
        "summary": f"{macro:.2f}{spread}, {examples} held-out examples",
        "how": f"Measured on {examples} answered examples held out from training (± is a bootstrap "
        "standard deviation).",
    }


def quality_not_estimated(*, examples: int, reason: str = "") -> dict[str, Any]:
    return {
        "method": "none",
        "macro_f1": None,
        "micro_f1": None,
        "uncertainty": None,
        "folds": None,
        "examples": examples,
        "summary": NOT_ENOUGH,
        "how": reason
        or f"{examples} answered examples: at least {MIN_EXAMPLES_TO_ESTIMATE} are needed to measure a "
        "model on examples it was not trained on.",
    }
