"""Loading and predicting with an artifact folder, including refusals of broken folders."""

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from tests.tiny_model import build_tiny_encoder
from training.ml.evaluate import evaluate_artifact
from training.ml.examples import Example
from training.ml.inference import ArtifactError, load_classifier
from training.ml.labels import LabelTree
from training.ml.train import TrainConfig, train_classifier

TREE = LabelTree.from_parents({"1": None, "2": "1", "3": "1", "4": None})


def _examples() -> list[Example]:
    return [
        Example(text=f"The brake {i} shall hold.", positives=frozenset({"2"}), negatives=frozenset({"4"}))
        for i in range(6)
    ] + [Example(text=f"The door {i} shall open.", positives=frozenset({"3"})) for i in range(6)]


@pytest.fixture(scope="module")
def artifact(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("inference")
    encoder = build_tiny_encoder(root / "encoder")
    # One category per example would choose the top-down rule; these tests are about per-label thresholds.
    config = TrainConfig(
        base_model_path=encoder,
        epochs=1,
        seed=1,
        device="cpu",
        min_positive_examples=5,
        decision_rule="thresholds",
    )
    return train_classifier(
        examples=_examples(), tree=TREE, config=config, output_dir=root / "model"
    ).output_dir


@pytest.fixture
def broken_copy(artifact: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "copy"
    shutil.copytree(artifact, copy)
    return copy


def test_predict_gives_a_hierarchy_consistent_score_per_trained_label(artifact: Path) -> None:
    # given
    classifier = load_classifier(artifact, device="cpu")

    # when
    scores = classifier.predict(["The brake shall hold.", "Doors.", "Something else entirely."], batch_size=2)

    # then "4" had no positive example, so it is not a trained label
    assert classifier.label_keys == ["1", "2", "3"]
    assert set(classifier.thresholds) == {"1", "2", "3"}
    assert len(scores) == 3
    for row in scores:
        assert set(row) == {"1", "2", "3"}
        assert 0.0 <= row["2"] <= row["1"] <= 1.0
        assert row["3"] <= row["1"]
    assert classifier.predict([]) == []


def test_decide_brings_the_parent_with_a_child(artifact: Path) -> None:
    classifier = load_classifier(artifact, device="cpu")
    thresholds = classifier.thresholds

    # a child just above its threshold and a parent far below its own
    decided = classifier.decide({"1": 0.0, "2": thresholds["2"], "3": 0.0})

    assert decided == {"1", "2"}


def test_int8_quantised_scores_stay_close_to_fp32(artifact: Path) -> None:
    texts = [f"The brake {i} shall hold." for i in range(10)]

    fp32 = load_classifier(artifact, device="cpu").score_array(texts)
    int8 = load_classifier(artifact, device="cpu", quantize=True)

    assert int8.quantized is True
    assert abs(int8.score_array(texts) - fp32).max() < 0.05


def test_evaluate_artifact_reports_metrics_in_the_training_format(artifact: Path) -> None:
    metrics = evaluate_artifact(artifact_dir=artifact, examples=_examples(), tree=TREE)

    assert set(metrics) >= {"macro_f1", "micro_f1", "per_label", "per_level"}
    assert set(metrics["per_label"]) == {"1", "2", "3", "4"}
    assert metrics["per_label"]["2"]["support"] == 6


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(ArtifactError, match=r"Model folder '.*nowhere' does not exist"):
        load_classifier(tmp_path / "nowhere")


def test_a_missing_file_is_named(broken_copy: Path) -> None:
    (broken_copy / "thresholds.json").unlink()

    with pytest.raises(ArtifactError, match=re.escape("is incomplete: missing thresholds.json")):
        load_classifier(broken_copy)


def test_corrupted_weights_are_detected(broken_copy: Path) -> None:
    weights = broken_copy / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:-100])

    with pytest.raises(
        ArtifactError, match=re.escape("model.safetensors does not match its recorded sha256")
    ):
        load_classifier(broken_copy)


def test_invalid_json_is_named(broken_copy: Path) -> None:
    (broken_copy / "labels.json").write_text("{not json")

    with pytest.raises(ArtifactError, match=re.escape("labels.json is not valid JSON")):
        load_classifier(broken_copy)


def test_labels_that_do_not_match_the_weights_are_refused(broken_copy: Path) -> None:
    (broken_copy / "labels.json").write_text('{"label_keys": ["1"], "parents": {"1": null}}')

    with pytest.raises(ArtifactError, match=re.escape("labels.json does not match the model")):
        load_classifier(broken_copy)


def test_onnx_runtime_scores_like_pytorch_on_padded_batches(artifact: Path) -> None:
    # given texts of very different lengths, so every batch of two is padded
    long_text = "The brake 3 shall hold the train on a slope of forty per mille."
    texts = ["Brake.", long_text, "Door 2.", "x " * 60]

    # when
    onnx = load_classifier(artifact, device="cpu")
    torch_scores = load_classifier(artifact, device="cpu", runtime="torch").score_array(texts, batch_size=2)
    onnx_scores = onnx.score_array(texts, batch_size=2)

    # then the default CPU runtime is ONNX, with the same scores and decisions
    assert (artifact / "model.onnx").is_file()
    assert onnx.runtime == "onnx"
    assert abs(onnx_scores - torch_scores).max() < 1e-4
    assert (onnx.decide_array(onnx_scores) == onnx.decide_array(torch_scores)).all()


def test_corrupted_onnx_export_is_detected(broken_copy: Path) -> None:
    export = broken_copy / "model.onnx"
    export.write_bytes(export.read_bytes()[:-100])

    with pytest.raises(ArtifactError, match=re.escape("model.onnx does not match its recorded sha256")):
        load_classifier(broken_copy)


def test_missing_onnx_export_is_named(broken_copy: Path) -> None:
    (broken_copy / "model.onnx").unlink()

    with pytest.raises(ArtifactError, match=re.escape("is incomplete: model.onnx is missing")):
        load_classifier(broken_copy)


def test_a_model_without_onnx_export_scores_with_pytorch(broken_copy: Path) -> None:
    # given an artifact written without an export (as before ONNX, or when the export failed)
    manifest = json.loads((broken_copy / "selko_model.json").read_text())
    (broken_copy / "selko_model.json").write_text(json.dumps(manifest | {"onnx_sha256": None}))
    (broken_copy / "model.onnx").unlink()

    # then auto falls back to PyTorch, and insisting on ONNX says why it cannot
    assert load_classifier(broken_copy, device="cpu").runtime == "torch"
    with pytest.raises(ArtifactError, match="cannot be scored with ONNX: it has no ONNX export"):
        load_classifier(broken_copy, device="cpu", runtime="onnx")


def test_an_unknown_runtime_is_refused(artifact: Path) -> None:
    with pytest.raises(ValueError, match="Unknown runtime 'tensorrt'"):
        load_classifier(artifact, runtime="tensorrt")


def test_an_export_onnx_runtime_cannot_open_falls_back_to_pytorch(broken_copy: Path) -> None:
    # given an export whose checksum is right but which ONNX Runtime cannot read (e.g. a newer opset)
    export = broken_copy / "model.onnx"
    export.write_bytes(b"not an onnx graph")
    manifest = json.loads((broken_copy / "selko_model.json").read_text())
    manifest["onnx_sha256"] = hashlib.sha256(export.read_bytes()).hexdigest()
    (broken_copy / "selko_model.json").write_text(json.dumps(manifest))

    # then auto still predicts, with PyTorch, and insisting on ONNX names the problem
    classifier = load_classifier(broken_copy, device="cpu")
    assert classifier.runtime == "torch"
    assert len(classifier.predict(["The brake shall hold."])) == 1
    expected = "cannot be scored with ONNX: ONNX Runtime cannot open model.onnx"
    with pytest.raises(ArtifactError, match=re.escape(expected)):
        load_classifier(broken_copy, device="cpu", runtime="onnx")
