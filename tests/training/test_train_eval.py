"""The train_eval command and its CSV reader, on a tiny CSV and a tiny random encoder."""

import csv
import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from training.ml.errors import DataError, UnknownLabelError
from training.ml.train_eval import load_labelled_csv, split_rows


def _write_csv(path: Path, rows: list[tuple[str, str]]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "label"])
        for i, (text, label) in enumerate(rows):
            writer.writerow([f"R{i}", text, label])
    return path


def _rows() -> list[tuple[str, str]]:
    topics = {"Safety/Braking": "brake", "Safety/Doors": "door", "Comfort": "seat"}
    return [(f"The {word} {i} shall work.", label) for label, word in topics.items() for i in range(12)]


def test_csv_labels_may_be_paths_names_or_several(tmp_path: Path) -> None:
    # given
    hierarchy = tmp_path / "tree.txt"
    hierarchy.write_text("Safety > Braking\nSafety > Doors\nComfort\n")
    data = _write_csv(
        tmp_path / "d.csv",
        [("a", "Safety/Braking"), ("b", "Doors|Comfort"), ("", "Comfort"), ("c", "Safety")],
    )

    # when
    loaded = load_labelled_csv(data, hierarchy=hierarchy)

    # then the empty text is skipped and reported, labels are closed under ancestors
    assert loaded.texts == ["a", "b", "c"]
    assert loaded.labels == [
        frozenset({"Safety", "Safety > Braking"}),
        frozenset({"Safety", "Safety > Doors", "Comfort"}),
        frozenset({"Safety"}),
    ]
    assert loaded.skipped_empty_rows == [3]


def test_an_unknown_label_names_the_row(tmp_path: Path) -> None:
    hierarchy = tmp_path / "tree.txt"
    hierarchy.write_text("A\nB\n")
    data = _write_csv(tmp_path / "d.csv", [("x", "A"), ("y", "C")])

    with pytest.raises(UnknownLabelError, match=r"d.csv row 2: Unknown label 'C'"):
        load_labelled_csv(data, hierarchy=hierarchy)


def test_a_missing_column_is_named(tmp_path: Path) -> None:
    data = _write_csv(tmp_path / "d.csv", [("x", "A")])

    with pytest.raises(DataError, match=re.escape("d.csv has no column 'category'")):
        load_labelled_csv(data, label_col="category")


def test_the_same_seed_gives_the_same_split(tmp_path: Path) -> None:
    loaded = load_labelled_csv(_write_csv(tmp_path / "d.csv", _rows()))

    assert split_rows(loaded, shots=4, train_frac=None, seed=1) == split_rows(
        loaded, shots=4, train_frac=None, seed=1
    )
    train, test = split_rows(loaded, shots=None, train_frac=0.5, seed=1)
    assert (len(train), len(test)) == (18, 18)


def test_command_prints_the_metrics_as_json(
    tmp_path: Path, tiny_encoder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    monkeypatch.setenv("SELKO_BASE_MODEL", str(tiny_encoder))
    data = _write_csv(tmp_path / "d.csv", _rows())
    out = StringIO()

    # when
    call_command("train_eval", data=str(data), shots=6, seed=3, epochs=1, json=True, stdout=out)

    # then
    report = json.loads(out.getvalue())
    assert report["n_train"] == 18
    assert report["n_test"] == 18
    assert set(report["per_label"]) == {"Safety", "Safety > Braking", "Safety > Doors", "Comfort"}
    assert set(report["per_level"]) == {"0", "1"}
    assert 0.0 <= report["macro_f1"] <= 1.0
    assert set(report) >= {"micro_f1", "train_seconds", "predict_per_second", "device"}
    assert report["runtime"] == "onnx"  # the product's CPU prediction path


def test_command_reports_bad_input_as_a_command_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"Data file '.*missing.csv' does not exist"):
        call_command("train_eval", data=str(tmp_path / "missing.csv"), shots=4)
