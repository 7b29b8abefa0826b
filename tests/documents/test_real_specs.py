"""The parser on real specifications with truth rows (../shared/data/truth), scored as the data README says.

The floors are the figures measured when the rules were written, less a little slack, and the ceiling on
flagged segments that match no requirement a little above: a change that loses requirements, IDs or flags,
or flags what is not a requirement, on a real document fails here. ``bench/ingest.py`` prints the full table.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from documents.parsers import parse_document
from documents.parsers.evaluation import RowFilter, TruthRow, read_truth, score

from .conftest import SHARED_DATA

pytestmark = pytest.mark.slow

_SUBSET026 = ("truth/subset026_v330_ch4-8_objects.csv", ("label=ordinary", r"id!~\[t\]"))
# The annotation errors the data README lists for the PURE XML (data rows of the CSV).
_PURE_ERRORS = (2, 129, 130, 149, 157, 171)
# The texts of those rows as the PDFs print them (the data README): requirements, so no extras.
_PURE_FIXED = {
    "cctns": ("The help should be accessible to the users both in the offline and online mode",),
    "keepass": (
        "An entry must be selected to be viewed or modified",
        "When the password field is changed the repeat password field must be Changed and be identical "
        "with password field",
        "An entry must be selected to be deleted",
    ),
    "peering": (
        "The format of the initiation request is defined.",
        "Administrative policies are deployed for operations in a peering arrangement.",
    ),
}


@pytest.mark.parametrize(
    ("document", "truth", "filters", "floors"),
    [
        (
            "subset026_v330_ch4.pdf",
            *_SUBSET026[:1],
            (*_SUBSET026[1], "project_id~chapter4$"),
            (0.98, 0.98, 0.97, 0.045),
        ),
        (
            "subset026_v330_ch5.pdf",
            *_SUBSET026[:1],
            (*_SUBSET026[1], "project_id~chapter5$"),
            (0.97, 0.965, 0.96, 0.045),
        ),
        (
            "subset026_v330_ch6.pdf",
            *_SUBSET026[:1],
            (*_SUBSET026[1], "project_id~chapter6$"),
            (0.98, 0.98, 0.98, 0.045),
        ),
        (
            "subset026_v330_ch7.pdf",
            *_SUBSET026[:1],
            (*_SUBSET026[1], "project_id~chapter7$"),
            (0.99, 0.99, 0.99, 0.025),
        ),
        (
            "subset026_v330_ch8.pdf",
            *_SUBSET026[:1],
            (*_SUBSET026[1], "project_id~chapter8$"),
            (0.98, 0.99, 0.96, 0.05),
        ),
        (
            "pure/cctns.pdf",
            "truth/pure_cctns_keepass_peering.csv",
            ("doc=cctns",),
            (0.965, 0.965, 0.955, 0.04),
        ),
        (
            "pure/keepass.pdf",
            "truth/pure_cctns_keepass_peering.csv",
            ("doc=keepass",),
            (0.96, 0.96, 0.96, 0.035),
        ),
        (
            "pure/peering.pdf",
            "truth/pure_cctns_keepass_peering.csv",
            ("doc=peering",),
            (1.0, 1.0, 1.0, 0.045),
        ),
    ],
)
def test_real_specification_against_truth(
    document: str, truth: str, filters: tuple[str, ...], floors: tuple[float, float, float, float]
) -> None:
    path, truth_path = SHARED_DATA / "documents" / document, SHARED_DATA / truth
    if not path.is_file() or not truth_path.is_file():
        pytest.skip(f"{document} or its truth rows not found under {SHARED_DATA}")
    rows = read_truth(
        truth_path,
        filters=[RowFilter.parse(expression) for expression in filters],
        exclude_lines=_PURE_ERRORS if "pure" in truth else (),
    )

    # Requirement objects of the document that are not scored (inside tables, annotation errors): a
    # flagged segment matching one is no extra.
    known = read_truth(
        truth_path,
        filters=[RowFilter.parse(expression) for expression in filters if not expression.startswith("id!~")],
    )
    known += [TruthRow(line=0, id="", text=text) for text in _PURE_FIXED.get(path.stem, ())]

    result = score(parse_document(Path(path), filename=path.name).segments, rows, known)

    found, id_equal, flagged, extra = floors
    assert result.found / result.rows >= found
    assert result.id_equal / result.id_rows >= id_equal
    assert result.flagged / result.rows >= flagged
    assert result.extra / result.flagged_segments <= extra
