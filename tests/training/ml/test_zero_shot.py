"""The zero-shot classifier: built from the labels' meaning, loaded by the usual inference code."""

from pathlib import Path

import numpy as np
import pytest

from training.ml.errors import ConfigError
from training.ml.hierarchy import decide_per_depth, decide_top_down
from training.ml.inference import load_classifier
from training.ml.labels import LabelTree
from training.ml.zero_shot import LabelMeaning, ZeroShotConfig, build_zero_shot, meaning_sha256

TREE = LabelTree.from_paths(["Functional", "Non-functional > Security", "Non-functional > Performance"])
MEANINGS = {
    "Functional": LabelMeaning(description="what the system does"),
    "Non-functional > Security": LabelMeaning(description="access control and encryption"),
    "Non-functional > Performance": LabelMeaning(
        description="response times", examples=("answers within two seconds",)
    ),
}


def _config(encoder: Path) -> ZeroShotConfig:
    # A random tiny encoder puts every text close to every other (cosines near 0.99): a flat sigmoid
    # and no floor keep their scores apart instead of all rounding to 1.0.
    return ZeroShotConfig(base_model_path=encoder, device="cpu", min_similarity=(0.0,), scale=1.0)


def test_a_text_that_says_what_a_label_means_gets_that_label_and_its_parent(
    tiny_encoder: Path, tmp_path: Path
) -> None:
    build_zero_shot(
        tree=TREE,
        meanings=MEANINGS,
        config=_config(tiny_encoder),
        output_dir=tmp_path / "v0",
    )
    classifier = load_classifier(tmp_path / "v0", device="cpu")

    [prediction] = classifier.classify(["Non-functional > Security: access control and encryption"])

    assert classifier.decision_rule == "top_down"
    assert prediction.labels == {"Non-functional", "Non-functional > Security"}
    assert classifier.metrics["kind"] == "zero_shot"


def test_the_onnx_and_torch_runtimes_decide_alike(tiny_encoder: Path, tmp_path: Path) -> None:
    build_zero_shot(
        tree=TREE,
        meanings=MEANINGS,
        config=_config(tiny_encoder),
        output_dir=tmp_path / "v0",
    )
    texts = ["The system shall encrypt every file.", "Pages load within two seconds.", "Print a report."]

    by_torch = load_classifier(tmp_path / "v0", device="cpu", runtime="torch").classify(texts)
    by_onnx = load_classifier(tmp_path / "v0", device="cpu").classify(texts)

    assert [p.labels for p in by_onnx] == [p.labels for p in by_torch]


def test_the_hash_changes_with_a_description_and_not_with_whitespace() -> None:
    changed = {**MEANINGS, "Functional": LabelMeaning(description="what the system shall do")}
    padded = {**MEANINGS, "Functional": LabelMeaning(description="  what the system does ")}

    assert meaning_sha256(TREE, changed) != meaning_sha256(TREE, MEANINGS)
    assert meaning_sha256(TREE, padded) == meaning_sha256(TREE, MEANINGS)


def test_an_empty_tree_is_refused_and_nothing_is_written(tiny_encoder: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="at least one label"):
        build_zero_shot(
            tree=LabelTree.from_parents({}),
            meanings={},
            config=ZeroShotConfig(base_model_path=tiny_encoder),
            output_dir=tmp_path / "v0",
        )

    assert list(tmp_path.iterdir()) == []


def test_per_depth_decides_one_label_per_level_under_the_decided_parent() -> None:
    # Columns: A, A > a1, A > a2, B. Parents first.
    parents = [-1, 0, 0, -1]
    thresholds = np.full(4, 0.5)
    scores = np.array(
        [
            [0.2, 0.9, 0.6, 0.7],  # A's branch holds the best label (a1): A then a1
            [0.6, 0.3, 0.4, 0.55],  # A best, no child reaches 0.5: A alone
            [0.1, 0.2, 0.3, 0.4],  # nothing reaches its threshold: no label
        ]
    )

    decided = decide_per_depth(scores, thresholds, parents)

    assert decided.tolist() == [
        [True, True, False, False],
        [True, False, False, False],
        [False, False, False, False],
    ]


def test_top_down_judges_a_branch_by_its_own_score_not_by_its_best_label() -> None:
    # Columns: A, A > a1, A > a2, B. Parents first. The subtree prototype of A scores A itself.
    parents = [-1, 0, 0, -1]
    thresholds = np.full(4, 0.5)
    scores = np.array(
        [
            [0.6, 0.9, 0.6, 0.7],  # B beats A on their own scores, though a1 is the best label anywhere
            [0.8, 0.4, 0.7, 0.55],  # A, then its better child a2
            [0.6, 0.3, 0.4, 0.2],  # A, no child reaches 0.5: A alone
            [0.1, 0.9, 0.3, 0.4],  # no root reaches its threshold: no label, whatever lies below
        ]
    )

    decided = decide_top_down(scores, thresholds, parents)

    assert decided.tolist() == [
        [False, False, False, True],
        [True, False, True, False],
        [True, False, False, False],
        [False, False, False, False],
    ]
