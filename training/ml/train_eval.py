"""Train on part of a labelled CSV and measure on the rest, with the product's own code paths.

Used by `manage.py train_eval`, `bench/classify.py` and the slow tests.
"""

from __future__ import annotations

import csv
import dataclasses
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from training.ml.config import TrainResult
from training.ml.device import describe, resolve_device
from training.ml.errors import DataError, UnknownLabelError
from training.ml.examples import Example, open_below
from training.ml.inference import load_classifier
from training.ml.labels import LabelTree, split_path
from training.ml.meanings import LabelMeaning
from training.ml.metrics import classification_metrics
from training.ml.splits import shots_split, stratified_split
from training.ml.train import TrainConfig, TrainingEvent, train_classifier


@dataclass(frozen=True)
class LabelledCsv:
    texts: list[str]
    labels: list[frozenset[str]]  # resolved keys, closed under ancestors
    tree: LabelTree
    skipped_empty_rows: list[int]  # 1-based data row numbers


def load_labelled_csv(
    path: Path,
    *,
    text_col: str = "text",
    label_col: str = "label",
    sep: str = "|",
    hierarchy: Path | None = None,
    tree: LabelTree | None = None,
) -> LabelledCsv:
    """Read a CSV whose label column holds leaf names or paths ("NFR > PE", "cFE/ES"), `sep`-joined.

    The label tree is `tree` (e.g. from a taxonomy file), else the `hierarchy` file of paths, else the
    labels the CSV uses. Rows with an empty text are skipped and reported (real exports have them). An
    empty label is a "none of these labels" row: every label is a no. A label that is not in the tree
    is an error naming the row.
    """
    if tree is not None and hierarchy is not None:
        raise ValueError("Give a label tree or a hierarchy file, not both.")
    path = Path(path)
    if not path.is_file():
        raise DataError(f"Data file {str(path)!r} does not exist.")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        columns = reader.fieldnames or []
        for column in (text_col, label_col):
            if column not in columns:
                raise DataError(f"{path.name} has no column {column!r} (columns: {', '.join(columns)}).")
        rows = list(reader)
    if tree is not None:
        pass
    elif hierarchy is not None:
        lines = Path(hierarchy).read_text(encoding="utf-8").splitlines()
        tree = LabelTree.from_paths(line for line in lines if line.strip() and not line.startswith("#"))
    else:
        seen = {v.strip() for row in rows for v in (row[label_col] or "").split(sep) if v.strip()}
        tree = LabelTree.from_paths(sorted(seen))
    texts: list[str] = []
    labels: list[frozenset[str]] = []
    skipped: list[int] = []
    for number, row in enumerate(rows, start=1):
        text = (row[text_col] or "").strip()
        if not text:
            skipped.append(number)
            continue
        values = [v for v in (row[label_col] or "").split(sep) if v.strip()]
        keys = []
        for value in values:
            try:
                keys.append(tree.resolve(" > ".join(split_path(value))))
            except UnknownLabelError as error:
                raise UnknownLabelError(f"{path.name} row {number}: {error}") from None
        texts.append(text)
        labels.append(tree.with_ancestors(keys))
    if not texts:
        raise DataError(f"{path.name} has no rows with a text.")
    return LabelledCsv(texts=texts, labels=labels, tree=tree, skipped_empty_rows=skipped)


def complete_example(text: str, positives: frozenset[str], tree: LabelTree) -> Example:
    """A CSV row is a complete annotation: every label it does not carry is an explicit no, except the
    descendants of an inner label given without a child (those stay unknown)."""
    negatives = frozenset(tree.keys) - positives - open_below(positives, tree)
    return Example(text=text, positives=positives, negatives=negatives)


NONE_ROWS = "(none of these labels)"  # a pseudo-label for sampling: the rows whose every answer is no


def split_rows(
    data: LabelledCsv, *, shots: int | None, train_frac: float | None, seed: int
) -> tuple[list[int], list[int]]:
    """Training and test rows. K shots: K rows per leaf label, and K "none of these labels" rows when
    the data has them (they are answers too); 0 shots: every row is a test row."""
    if (shots is None) == (train_frac is None):
        raise ValueError("Give exactly one of shots or train_frac.")
    if shots == 0:
        return [], list(range(len(data.texts)))
    if shots is not None:
        if shots < 0:
            raise ValueError(f"shots must be 0 or more, got {shots}.")
        leaves = frozenset(data.tree.leaves)
        leaf_sets = [labels & leaves or frozenset({NONE_ROWS}) for labels in data.labels]
        wanted = [*data.tree.leaves, *([NONE_ROWS] if any(not labels for labels in data.labels) else [])]
        return shots_split(leaf_sets, labels=wanted, shots=shots, seed=seed)
    assert train_frac is not None
    if not 0.0 < train_frac < 1.0:
        raise ValueError(f"train_frac must be between 0 and 1, got {train_frac}.")
    return stratified_split(data.labels, second_fraction=1.0 - train_frac, seed=seed)


def run_train_eval(
    data: LabelledCsv,
    *,
    shots: int | None = None,
    train_frac: float | None = None,
    seed: int = 0,
    config: TrainConfig | None = None,
    quantize: bool = False,
    on_event: Callable[[TrainingEvent], None] | None = None,
    keep_dir: Path | None = None,
    meanings: Mapping[str, LabelMeaning] | None = None,
) -> dict[str, Any]:
    """Train on the split's training rows and measure on its test rows. `shots=0` builds the zero-shot
    model from the labels' names and `meanings` instead, and measures it on every row."""
    config = dataclasses.replace(config or TrainConfig(), seed=seed)
    train_idx, test_idx = split_rows(data, shots=shots, train_frac=train_frac, seed=seed)
    examples = [complete_example(data.texts[i], data.labels[i], data.tree) for i in train_idx]
    with tempfile.TemporaryDirectory(prefix="selko-train-eval-") as scratch:
        output = keep_dir or Path(scratch) / "model"
        started = time.perf_counter()
        if shots == 0:
            result = _zero_shot(data, config=config, meanings=meanings or {}, output=output)
        else:
            result = train_classifier(
                examples=examples,
                tree=data.tree,
                config=config,
                output_dir=output,
                on_event=on_event,
                meanings=meanings,
                # The rows it is measured on stand for the project's unanswered requirements, which
                # the product hands to every training: their texts, never their labels.
                unanswered_texts=[data.texts[i] for i in test_idx],
            )
        train_seconds = time.perf_counter() - started
        classifier = load_classifier(output, quantize=quantize)
        test_texts = [data.texts[i] for i in test_idx]
        started = time.perf_counter()
        _scores, decided = classifier.score_and_decide(test_texts)
        predict_seconds = time.perf_counter() - started
    keys = classifier.label_keys
    predicted = [frozenset(k for k, yes in zip(keys, row, strict=True) if yes) for row in decided]
    metrics = classification_metrics(
        truth=[data.labels[i] for i in test_idx], predicted=predicted, tree=data.tree
    )
    return {
        "macro_f1": metrics["macro_f1"],
        "micro_f1": metrics["micro_f1"],
        "per_label": metrics["per_label"],
        "per_level": metrics["per_level"],
        "n_train": len(train_idx),
        "n_test": len(test_idx),
        "seed": seed,
        "protocol": f"shots={shots}" if shots is not None else f"train_frac={train_frac}",
        "train_seconds": round(train_seconds, 2),
        "predict_per_second": round(len(test_idx) / max(predict_seconds, 1e-9), 1),
        "quantized": classifier.quantized,
        "runtime": classifier.runtime,
        "device": result.device,
        "trained_labels": result.trained_labels,
        "skipped_labels": result.skipped_labels,
        "from_meaning": result.from_meaning,
        "descriptions": meanings is not None and any(m.described for m in meanings.values()),
        "validation_macro_f1": result.metrics["macro_f1"],
        "thresholds": result.thresholds,
        "skipped_empty_rows": len(data.skipped_empty_rows),
        "test_indices": test_idx,
    }


def _zero_shot(
    data: LabelledCsv, *, config: TrainConfig, meanings: Mapping[str, LabelMeaning], output: Path
) -> TrainResult:
    from training.ml.zero_shot import ZeroShotConfig, build_zero_shot

    built = build_zero_shot(
        tree=data.tree,
        meanings=meanings,
        config=ZeroShotConfig(base_model_path=config.base_model_path, device=config.device),
        output_dir=output,
    )
    return TrainResult(
        output_dir=output,
        metrics={"macro_f1": None, "evaluated_on": "nothing (zero-shot)"},
        trained_labels=built.label_keys,
        skipped_labels={},
        train_indices=[],
        validation_indices=[],
        thresholds={},
        device=describe(resolve_device(config.device)),
    )


def mean_over(results: Sequence[dict[str, Any]], key: str) -> float:
    return float(np.mean([r[key] for r in results]))
