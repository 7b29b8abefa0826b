"""`manage.py ingest_eval`: the parser scored against a truth CSV, nothing stored."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.documents.pdf_factory import SpecPdf


def _spec(tmp_path: Path) -> Path:
    return (
        SpecPdf(tmp_path / "spec.pdf")
        .heading("1 Braking")
        .paragraph("REQ-001: The train shall brake when the driver presses the red button.")
        .paragraph("REQ-002: The train shall sound the horn before it starts to move.")
        .paragraph("This paragraph only explains how the brakes work in winter.")
        .save()
    )


def test_it_scores_the_parse_against_the_truth_rows(tmp_path: Path) -> None:
    # Given a truth CSV with a found row, a row whose ID differs, a row the PDF lacks and a filtered-out row
    truth = tmp_path / "truth.csv"
    truth.write_text(
        "id,text,doc\n"
        "REQ-001,The train shall brake when the driver presses the red button.,spec\n"
        "REQ-9,The train shall sound the horn before it starts to move.,spec\n"
        "REQ-003,The train shall never exist.,spec\n"
        "REQ-004,Another document's row.,other\n",
        encoding="utf-8",
    )
    out = StringIO()

    call_command(
        "ingest_eval",
        str(_spec(tmp_path)),
        "--truth",
        str(truth),
        "--filter",
        "doc=spec",
        "--json",
        stdout=out,
    )

    result = json.loads(out.getvalue())
    assert {key: result[key] for key in ("rows", "found", "id_rows", "id_equal", "flagged", "extra")} == {
        "rows": 3,
        "found": 2,
        "id_rows": 3,
        "id_equal": 1,
        "flagged": 2,
        "extra": 0,
    }
    assert [(miss["id"], miss["why"]) for miss in result["misses"]] == [
        ("REQ-9", "ID read as ['REQ-002']"),
        ("REQ-003", "not found"),
    ]


def test_it_refuses_a_filter_on_a_missing_column(tmp_path: Path) -> None:
    truth = tmp_path / "truth.csv"
    truth.write_text("id,text\nREQ-001,Some text.\n", encoding="utf-8")

    with pytest.raises(CommandError, match="no column 'doc'"):
        call_command("ingest_eval", str(_spec(tmp_path)), "--truth", str(truth), "--filter", "doc=spec")
