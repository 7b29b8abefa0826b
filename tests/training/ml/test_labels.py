import pytest

from training.ml.errors import LabelTreeError, UnknownLabelError
from training.ml.labels import LabelTree


def test_from_paths_builds_every_prefix_with_parents_first() -> None:
    # given / when
    tree = LabelTree.from_paths(["NFR > PE", "F", "NFR > SE", "cFE/ES"])

    # then
    assert tree.keys == ("NFR", "NFR > PE", "NFR > SE", "F", "cFE", "cFE > ES")
    assert tree.parent("NFR > PE") == "NFR"
    assert tree.name("NFR > PE") == "PE"
    assert tree.leaves == ("NFR > PE", "NFR > SE", "F", "cFE > ES")
    assert tree.depth("cFE > ES") == 1


def test_from_parents_orders_parents_before_children() -> None:
    tree = LabelTree.from_parents({"c": "b", "b": "a", "a": None})

    assert tree.keys == ("a", "b", "c")
    assert tree.ancestors("c") == ["b", "a"]
    assert tree.descendants("a") == ["b", "c"]
    assert tree.with_ancestors({"c"}) == frozenset({"a", "b", "c"})


def test_a_cycle_is_refused_naming_its_labels() -> None:
    with pytest.raises(LabelTreeError, match=r"cycle through: a, b"):
        LabelTree.from_parents({"a": "b", "b": "a", "root": None})


def test_an_unknown_parent_is_refused() -> None:
    with pytest.raises(LabelTreeError, match=r"Label 'x' has parent 'ghost', which is not in the tree"):
        LabelTree.from_parents({"x": "ghost"})


def test_resolve_accepts_keys_paths_and_unambiguous_names() -> None:
    tree = LabelTree.from_paths(["NFR > PE", "cFE > ES", "Other > ES"])

    assert tree.resolve("NFR/PE") == "NFR > PE"
    assert tree.resolve("NFR > PE") == "NFR > PE"
    assert tree.resolve("PE") == "NFR > PE"
    with pytest.raises(UnknownLabelError, match="ambiguous"):
        tree.resolve("ES")
    with pytest.raises(UnknownLabelError, match="Unknown label 'XX'"):
        tree.resolve("XX")
