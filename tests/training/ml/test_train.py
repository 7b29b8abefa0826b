"""train_classifier on a tiny random BERT: the contract (artifact, events, cancel, labels below the minimum,
determinism), not the quality. Quality is tested with the real MiniLM in the slow tests."""

import json
from pathlib import Path

import pytest
import torch

from training.ml.errors import ArtifactError, ConfigError, DataError, TrainingCancelled
from training.ml.examples import Example
from training.ml.inference import load_classifier
from training.ml.labels import LabelTree
from training.ml.meanings import LabelMeaning
from training.ml.train import TrainConfig, TrainingEvent, train_classifier

TREE = LabelTree.from_paths(["Safety > Braking", "Safety > Doors", "Comfort", "Rare"])
TOPICS = {
    "Safety > Braking": ["brake", "deceleration", "stopping distance"],
    "Safety > Doors": ["door", "platform gap", "door interlock"],
    "Comfort": ["seat", "air conditioning", "lighting"],
}


def _examples() -> list[Example]:
    examples = [
        Example(text=f"The {word} shall meet requirement {i}.", positives=frozenset({label}))
        for label, words in TOPICS.items()
        for i in range(8)
        for word in words[i % 3 : i % 3 + 1]
    ]
    # "Rare" has 2 examples: below the minimum of 5, it is still trained, and reported as such.
    examples += [Example(text=f"A rare topic {i}.", positives=frozenset({"Rare"})) for i in range(2)]
    return examples


def _config(tiny_encoder: Path, **overrides: object) -> TrainConfig:
    values: dict[str, object] = {
        "base_model_path": tiny_encoder,
        "epochs": 2,
        "batch_size": 8,
        "learning_rate": 1e-3,
        "seed": 7,
        "device": "cpu",
        "min_examples_for_validation": 20,  # exercise the validation split on this small set
    }
    values.update(overrides)
    return TrainConfig(**values)  # type: ignore[arg-type]


def test_training_writes_a_complete_artifact_and_reports_progress(tmp_path: Path, tiny_encoder: Path) -> None:
    # given
    events: list[TrainingEvent] = []

    # when
    result = train_classifier(
        examples=_examples(),
        tree=TREE,
        config=_config(tiny_encoder),
        output_dir=tmp_path / "model",
        on_event=events.append,
    )

    # then
    assert result.output_dir == tmp_path / "model"
    assert result.trained_labels == ["Safety", "Safety > Braking", "Safety > Doors", "Comfort", "Rare"]
    assert result.skipped_labels == {}
    assert result.from_meaning == {"Rare": 2}
    assert sorted(result.train_indices + result.validation_indices) == list(range(26))
    assert len(result.validation_indices) == 5  # 20% of 26
    assert set(result.metrics) >= {"macro_f1", "micro_f1", "per_label", "per_level"}
    assert result.device.startswith("cpu")
    assert [e.phase for e in events] == ["snapshot", "epoch", "epoch", "evaluating", "saving", "saving"]
    assert "resting on their few examples (fewer than 5 examples): Rare (2)" in events[0].message
    assert events[-1].progress == 1.0
    files = {p.name for p in (tmp_path / "model").iterdir()}
    assert {"model.safetensors", "config.json", "tokenizer.json", "labels.json", "thresholds.json"} <= files
    assert {"metrics.json", "training_card.json", "selko_model.json", "model.onnx"} <= files
    assert [p.name for p in tmp_path.iterdir()] == ["model"]  # no temp folder left behind
    card = json.loads((tmp_path / "model" / "training_card.json").read_text())
    assert len(card["data_sha256"]) == 64
    assert len(card["base_model"]["weights_sha256"]) == 64
    assert card["seed"] == 7
    assert card["hyperparameters"]["epochs_run"] == 2
    assert set(card["libraries"]) >= {"torch", "transformers", "python"}
    assert card["durations"]["total_seconds"] > 0


def test_a_failed_onnx_export_keeps_the_model_for_pytorch(
    tmp_path: Path, tiny_encoder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given an exporter that breaks (as it would on an encoder it cannot trace)
    def broken_export(*args: object, **kwargs: object) -> None:
        raise RuntimeError("cannot trace this encoder")

    monkeypatch.setattr(torch.onnx, "export", broken_export)

    # when
    train_classifier(examples=_examples(), tree=TREE, config=_config(tiny_encoder), output_dir=tmp_path / "m")

    # then the model is complete, without an export, and predicts with PyTorch
    assert not (tmp_path / "m" / "model.onnx").exists()
    assert json.loads((tmp_path / "m" / "selko_model.json").read_text())["onnx_sha256"] is None
    classifier = load_classifier(tmp_path / "m", device="cpu")
    assert classifier.runtime == "torch"
    assert len(classifier.predict(["The brake shall hold."])) == 1


def test_same_seed_gives_the_same_model(tmp_path: Path, tiny_encoder: Path) -> None:
    texts = ["The brake shall hold.", "The door shall open.", "Seats shall be soft."]

    scores = []
    for name in ("a", "b"):
        train_classifier(
            examples=_examples(), tree=TREE, config=_config(tiny_encoder), output_dir=tmp_path / name
        )
        scores.append(load_classifier(tmp_path / name, device="cpu").predict(texts))

    assert scores[0] == scores[1]


def test_predictions_are_hierarchy_consistent(tmp_path: Path, tiny_encoder: Path) -> None:
    train_classifier(examples=_examples(), tree=TREE, config=_config(tiny_encoder), output_dir=tmp_path / "m")
    classifier = load_classifier(tmp_path / "m", device="cpu")

    predictions = classifier.classify(["The brake shall hold.", "x", "Seats and doors."] * 5, batch_size=4)

    for prediction in predictions:
        for child in ("Safety > Braking", "Safety > Doors"):
            assert prediction.scores[child] <= prediction.scores["Safety"]
            if child in prediction.labels:
                assert "Safety" in prediction.labels
        assert classifier.decide(prediction.scores) == set(prediction.labels)


def test_cancelling_stops_training_and_writes_nothing(tmp_path: Path, tiny_encoder: Path) -> None:
    calls = []

    def should_stop() -> bool:
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(TrainingCancelled, match="cancelled at epoch 1, step 2"):
        train_classifier(
            examples=_examples(),
            tree=TREE,
            config=_config(tiny_encoder),
            output_dir=tmp_path / "model",
            should_stop=should_stop,
        )
    assert list(tmp_path.iterdir()) == []


def test_no_positive_example_at_all_is_a_clear_error(tmp_path: Path, tiny_encoder: Path) -> None:
    examples = [Example(text="None of these.", positives=frozenset())]

    with pytest.raises(DataError, match="No label has a positive example"):
        train_classifier(
            examples=examples, tree=TREE, config=_config(tiny_encoder), output_dir=tmp_path / "m"
        )
    assert list(tmp_path.iterdir()) == []


def test_a_missing_base_model_is_a_clear_error(tmp_path: Path) -> None:
    config = TrainConfig(base_model_path=tmp_path / "nowhere")

    with pytest.raises(ConfigError, match=r"Base model folder .*nowhere' does not exist"):
        train_classifier(examples=_examples(), tree=TREE, config=config, output_dir=tmp_path / "m")


def test_an_existing_output_folder_is_not_overwritten(tmp_path: Path, tiny_encoder: Path) -> None:
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "keep.txt").write_text("x")

    with pytest.raises(ArtifactError, match="already exists and is not empty"):
        train_classifier(
            examples=_examples(), tree=TREE, config=_config(tiny_encoder), output_dir=tmp_path / "m"
        )
    assert (tmp_path / "m" / "keep.txt").read_text() == "x"


def test_a_label_with_two_examples_learns_from_its_description_too(
    tmp_path: Path, tiny_encoder: Path
) -> None:
    # given "Rare" with 2 examples and a description, "Safety > Doors" with a description only, and
    # requirements whose answer is "none of these labels"
    examples = [e for e in _examples() if "Doors" not in str(e.positives)]
    examples += [Example(text=f"Nothing to tag here {i}.", positives=frozenset()) for i in range(3)]
    meanings = {
        "Rare": LabelMeaning(description="Rare topics nobody writes about.", examples=("an odd topic",)),
        "Safety > Doors": LabelMeaning(description="Doors, door interlocks and the platform gap."),
    }

    # when
    result = train_classifier(
        examples=examples,
        tree=TREE,
        config=_config(tiny_encoder, min_examples_for_validation=1000),
        output_dir=tmp_path / "m",
        meanings=meanings,
    )

    # then every label is trained; those below the minimum are reported as resting on their meaning
    assert result.trained_labels == list(TREE.keys)
    assert result.skipped_labels == {}
    assert result.from_meaning == {"Safety > Doors": 0, "Rare": 2}
    card = json.loads((tmp_path / "m" / "training_card.json").read_text())
    assert card["from_meaning"] == {"Safety > Doors": 0, "Rare": 2}
    assert card["counts"]["meaning_texts"] == 6  # one per label (5), plus Rare's phrase
    # the "none" rows were training examples and are measured: no label is their truth
    assert result.metrics["n_examples"] == len(examples)
    classifier = load_classifier(tmp_path / "m", device="cpu")
    assert set(classifier.label_keys) == set(TREE.keys)


def test_tiny_data_falls_back_to_no_validation_split(tmp_path: Path, tiny_encoder: Path) -> None:
    examples = [Example(text=f"Brake {i}.", positives=frozenset({"Safety > Braking"})) for i in range(6)]

    result = train_classifier(
        examples=examples, tree=TREE, config=_config(tiny_encoder), output_dir=tmp_path / "m"
    )

    assert result.validation_indices == []
    assert result.thresholds == {"Safety": 0.5, "Safety > Braking": 0.5}
    assert result.metrics["evaluated_on"] == "training (too few examples for a split)"
