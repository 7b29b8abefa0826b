import numpy as np
import pytest

from training.ml.errors import DataError, UnknownLabelError
from training.ml.examples import Example, data_hash, label_targets, validate_examples
from training.ml.labels import LabelTree

TREE = LabelTree.from_paths(["F", "NFR > PE", "NFR > SE"])  # keys: F, NFR, NFR > PE, NFR > SE


def test_targets_close_positives_upward_and_negatives_downward() -> None:
    # given a leaf positive, and an explicit "not NFR"
    examples = [
        Example(text="fast", positives=frozenset({"NFR > PE"})),
        Example(text="a feature", positives=frozenset({"F"}), negatives=frozenset({"NFR"})),
    ]

    # when
    targets, weights = label_targets(examples, TREE, unknown_negative_weight=0.5)

    # then the parent is positive; unknown siblings are soft negatives; explicit negatives weigh 1
    assert targets.tolist() == [[0, 1, 1, 0], [1, 0, 0, 0]]
    assert weights.tolist() == [[0.5, 1, 1, 0.5], [1, 1, 1, 1]]


def test_children_of_an_inner_positive_are_unknown() -> None:
    examples = [Example(text="some quality", positives=frozenset({"NFR"}))]

    targets, weights = label_targets(examples, TREE, unknown_negative_weight=1.0)

    assert targets.tolist() == [[0, 1, 0, 0]]
    assert weights.tolist() == [[1, 1, 0, 0]]


def test_no_examples_is_refused() -> None:
    with pytest.raises(DataError, match="There are no examples"):
        validate_examples([], TREE)


def test_an_empty_text_is_refused_naming_the_example() -> None:
    examples = [
        Example(text="ok", positives=frozenset({"F"})),
        Example(text="  ", positives=frozenset({"F"})),
    ]

    with pytest.raises(DataError, match="Example 1 has an empty text"):
        validate_examples(examples, TREE)


def test_an_unknown_label_is_refused_naming_it() -> None:
    examples = [Example(text="ok", positives=frozenset({"Legal"}))]

    with pytest.raises(UnknownLabelError, match="uses label 'Legal', which is not in the label tree"):
        validate_examples(examples, TREE)


def test_a_label_both_positive_and_negative_is_refused() -> None:
    examples = [Example(text="ok", positives=frozenset({"NFR > PE"}), negatives=frozenset({"NFR"}))]

    with pytest.raises(DataError, match="both positive and negative for NFR, NFR > PE"):
        validate_examples(examples, TREE)


def test_data_hash_depends_on_content_only() -> None:
    a = [Example(text="x", positives=frozenset({"F", "NFR"}))]
    b = [Example(text="x", positives=frozenset({"NFR", "F"}))]
    c = [Example(text="y", positives=frozenset({"F"}))]

    assert data_hash(a, TREE) == data_hash(b, TREE)
    assert data_hash(a, TREE) != data_hash(c, TREE)
    assert len(data_hash(a, TREE)) == 64
    assert np.array_equal(label_targets(a, TREE, unknown_negative_weight=1.0)[0], [[1, 1, 0, 0]])
