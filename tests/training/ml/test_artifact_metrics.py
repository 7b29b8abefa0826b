"""The artifact's metrics.json never presents figures measured on the model's own training rows as its
quality: they are kept only under an explicit name."""

import json
from pathlib import Path

from training.ml.artifact import FIT_ON_TRAINING_ROWS, metrics_record
from training.ml.examples import Example
from training.ml.inference import load_classifier
from training.ml.labels import LabelTree
from training.ml.train import TrainConfig, train_classifier

TREE = LabelTree.from_paths(["Safety > Braking", "Comfort"])


def _config(tiny_encoder: Path, **overrides: object) -> TrainConfig:
    values: dict[str, object] = {
        "base_model_path": tiny_encoder,
        "epochs": 1,
        "batch_size": 8,
        "seed": 7,
        "device": "cpu",
    }
    return TrainConfig(**(values | overrides))  # type: ignore[arg-type]


def _examples(per_label: int) -> list[Example]:
    return [
        Example(text=f"The {word} shall meet requirement {i}.", positives=frozenset({label}))
        for label, word in (("Safety > Braking", "brake"), ("Comfort", "seat"))
        for i in range(per_label)
    ]


def _metrics_file(folder: Path) -> dict[str, object]:
    return json.loads((folder / "metrics.json").read_text(encoding="utf-8"))


def test_without_a_validation_split_the_training_fit_figures_are_named_as_such(
    tmp_path: Path, tiny_encoder: Path
) -> None:
    # given too few examples for a validation split
    result = train_classifier(
        examples=_examples(4), tree=TREE, config=_config(tiny_encoder), output_dir=tmp_path / "m"
    )

    # then no figure stands at the top level; the fit is there under its own name, with the same values
    written = _metrics_file(tmp_path / "m")
    assert result.validation_indices == []
    assert "macro_f1" not in written and "per_label" not in written
    assert written["evaluated_on"] == "training (too few examples for a split)"
    fit = written[FIT_ON_TRAINING_ROWS]
    assert isinstance(fit, dict)
    assert (fit["macro_f1"], fit["micro_f1"], fit["n_examples"]) == (
        result.metrics["macro_f1"],
        result.metrics["micro_f1"],
        8,
    )
    assert "macro_f1" not in load_classifier(tmp_path / "m", device="cpu").metrics


def test_with_a_validation_split_the_figures_are_the_validation_ones(
    tmp_path: Path, tiny_encoder: Path
) -> None:
    result = train_classifier(
        examples=_examples(15),
        tree=TREE,
        config=_config(tiny_encoder, min_examples_for_validation=20),
        output_dir=tmp_path / "m",
    )

    written = _metrics_file(tmp_path / "m")
    assert result.validation_indices != []
    assert written["evaluated_on"] == "validation"
    assert (written["macro_f1"], written["n_examples"]) == (
        result.metrics["macro_f1"],
        len(result.validation_indices),
    )
    assert FIT_ON_TRAINING_ROWS not in written


def test_recording_the_measured_figures_keeps_the_fit_under_its_name(
    tmp_path: Path, tiny_encoder: Path
) -> None:
    train_classifier(
        examples=_examples(4), tree=TREE, config=_config(tiny_encoder), output_dir=tmp_path / "m"
    )
    fit = _metrics_file(tmp_path / "m")[FIT_ON_TRAINING_ROWS]
    measured = {"macro_f1": 0.5, "quality": {"summary": "≈ 0.50 ± 0.10, 5-fold"}}

    metrics_record(tmp_path / "m", measured)

    assert _metrics_file(tmp_path / "m") == measured | {FIT_ON_TRAINING_ROWS: fit}
