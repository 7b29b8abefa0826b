"""The parser on real specifications with truth rows (../shared/data/truth), scored as the data README says.

The floors are the figures measured when the rules were written, less a little slack: a change that loses
requirements, IDs or flags on a real document fails here. ``bench/ingest.py`` prints the full table.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from documents.parsers import parse_document
from documents.parsers.evaluation import RowFilter, read_truth, score

from .conftest import SHARED_DATA

pytestmark = pytest.mark.slow

_SUBSET026 = ("truth/subset026_v330_ch4-8_objects.csv", ("label=ordinary", r"id!~\[t\]"))
# The annotation errors the data README lists for the PURE XML (data rows of the CSV).
_PURE_ERRORS = (2, 129, 130, 149, 157, 171)


@pytest.mark.parametrize(
    ("document", "truth", "filters", "floors"),
    [
        (
            "subset026_v330_ch4.pdf",
            *_SUBSET026[:1],
            (*_SUBSET026[1], "project_id~chapter4$"),
            (0.96, 0.98, 0.93),
        ),
        (
            "subset026_v330_ch5.pdf",
            *_SUBSET026[:1],
            (*_SUBSET026[1], "project_id~chapter5$"),
            (0.95, 0.96, 0.94),
        ),
        (
            "subset026_v330_ch6.pdf",
            *_SUBSET026[:1],
            (*_SUBSET026[1], "project_id~chapter6$"),
            (0.95, 0.96, 0.92),
        ),
        (
            "subset026_v330_ch7.pdf",
            *_SUBSET026[:1],
            (*_SUBSET026[1], "project_id~chapter7$"),
            (0.93, 0.99, 0.93),
        ),
        (
            "subset026_v330_ch8.pdf",
            *_SUBSET026[:1],
            (*_SUBSET026[1], "project_id~chapter8$"),
            (0.97, 0.98, 0.95),
        ),
        ("pure/cctns.pdf", "truth/pure_cctns_keepass_peering.csv", ("doc=cctns",), (0.93, 0.93, 0.92)),
        ("pure/keepass.pdf", "truth/pure_cctns_keepass_peering.csv", ("doc=keepass",), (0.96, 0.96, 0.96)),
        ("pure/peering.pdf", "truth/pure_cctns_keepass_peering.csv", ("doc=peering",), (1.0, 1.0, 1.0)),
    ],
)
def test_real_specification_against_truth(
    document: str, truth: str, filters: tuple[str, ...], floors: tuple[float, float, float]
) -> None:
    path, truth_path = SHARED_DATA / "documents" / document, SHARED_DATA / truth
    if not path.is_file() or not truth_path.is_file():
        pytest.skip(f"{document} or its truth rows not found under {SHARED_DATA}")
    rows = read_truth(
        truth_path,
        filters=[RowFilter.parse(expression) for expression in filters],
        exclude_lines=_PURE_ERRORS if "pure" in truth else (),
    )

    result = score(parse_document(Path(path), filename=path.name).segments, rows)

    found, id_equal, flagged = floors
    assert result.found / result.rows >= found
    assert result.id_equal / result.id_rows >= id_equal
    assert result.flagged / result.rows >= flagged
