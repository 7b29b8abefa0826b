"""The train_eval command and its CSV reader, on a tiny CSV and a tiny random encoder."""

import csv
import json
import re
from io import StringIO
from pathlib import Path

import pytest
import yaml
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


TAXONOMY = """\
labels:
  - name: Safety
    description: Keeping passengers safe.
    children:
      - name: Braking
        description: Brakes, deceleration and stopping distance.
        examples: [the brake shall hold]
      - name: Doors
        description: Doors, interlocks and the platform gap.
  - name: Comfort
    description: Seats, air conditioning and lighting.
"""


def _rows_with_none() -> list[tuple[str, str]]:
    return _rows() + [(f"The paint {i} shall be blue.", "") for i in range(8)]


def test_rows_without_a_label_are_none_of_these_rows(tmp_path: Path) -> None:
    # given a CSV where some rows have no label: every answer is "no" for them
    loaded = load_labelled_csv(_write_csv(tmp_path / "d.csv", _rows_with_none()))

    # when
    train, _test = split_rows(loaded, shots=3, train_frac=None, seed=0)

    # then they are rows with no label, and K of them are drawn like a label's
    assert loaded.labels[-1] == frozenset()
    assert len(loaded.texts) == 44
    assert sum(1 for i in train if not loaded.labels[i]) == 3
    assert len(train) == 12  # 3 per leaf, 3 "none"


def test_command_trains_and_evaluates_with_none_rows_and_a_taxonomy(
    tmp_path: Path, tiny_encoder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    monkeypatch.setenv("SELKO_BASE_MODEL", str(tiny_encoder))
    data = _write_csv(tmp_path / "d.csv", _rows_with_none())
    taxonomy = tmp_path / "labels.yaml"
    taxonomy.write_text(TAXONOMY)
    out = StringIO()

    # when: 2 examples per label, below the minimum of 5
    call_command(
        "train_eval", data=str(data), taxonomy=str(taxonomy), shots=2, epochs=1, json=True, stdout=out
    )

    # then every label is trained, resting on its description, and the none rows count
    report = json.loads(out.getvalue())
    assert report["n_train"] == 8  # 2 per leaf and 2 "none of these" rows
    assert report["n_test"] == 36
    assert report["skipped_labels"] == {}
    assert report["from_meaning"] == {
        "Safety": 4,
        "Safety > Braking": 2,
        "Safety > Doors": 2,
        "Comfort": 2,
    }
    assert report["descriptions"] is True
    assert set(report["per_label"]) == {"Safety", "Safety > Braking", "Safety > Doors", "Comfort"}


def test_zero_shots_measures_the_zero_shot_model_on_every_row(
    tmp_path: Path, tiny_encoder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SELKO_BASE_MODEL", str(tiny_encoder))
    data = _write_csv(tmp_path / "d.csv", _rows_with_none())
    taxonomy = tmp_path / "labels.json"
    taxonomy.write_text(json.dumps(yaml.safe_load(TAXONOMY)))
    out = StringIO()

    call_command("train_eval", data=str(data), taxonomy=str(taxonomy), shots=0, stdout=out)

    text = out.getvalue()
    assert text.startswith("shots=0 seed 0: 0 train / 44 test")
    assert "leaf macro-F1" in text
    assert re.search(r"^Safety > Braking +\d", text, re.MULTILINE)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "labels:\n  - name: Safety\n    descripton: typo\n",
            "labels.yaml: The taxonomy cannot be read: label 1 has unknown keys: descripton "
            "(known: name, description, examples, color, children).",
        ),
        (
            "labels:\n  - name: Safety\n    description: " + "x" * 1001 + "\n",
            "labels.yaml: The taxonomy cannot be read: the description of 'Safety' has 1001 characters; "
            "at most 1000.",
        ),
    ],
)
def test_a_bad_taxonomy_file_is_a_clear_error(tmp_path: Path, content: str, message: str) -> None:
    data = _write_csv(tmp_path / "d.csv", _rows())
    taxonomy = tmp_path / "labels.yaml"
    taxonomy.write_text(content)

    with pytest.raises(CommandError) as raised:
        call_command("train_eval", data=str(data), taxonomy=str(taxonomy), shots=2)

    assert str(raised.value) == message


def test_taxonomy_and_hierarchy_together_are_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="not allowed with argument"):
        call_command("train_eval", "--taxonomy", "a.yaml", "--hierarchy", "b.txt", data="d.csv", shots=2)
