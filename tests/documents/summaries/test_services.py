"""Summaries are computed in the ingest task and stored with the requirements; the real cFS specification
gets a summary that covers it in well under a second."""

import time
from pathlib import Path

import pytest

from documents.models import Requirement
from documents.services.corrections import requirement_mark
from documents.summaries.counts import section_keys_compute, segment_groups_compute
from documents.summaries.models import DocumentCounts, DocumentSummary
from documents.summaries.services import METHOD_TFIDF, summary_segments_pick
from selko.tenancy.models import Project
from tests.documents.ingest_files import spec_pdf
from tests.documents.services.test_ingest import upload_and_ingest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: object, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")  # type: ignore[attr-defined]


def test_the_ingest_stores_the_summary_of_the_document_and_of_each_top_level_section(
    project: Project, editor: object
) -> None:
    document = upload_and_ingest(editor, project, "spec.pdf", spec_pdf())

    summary = DocumentSummary.objects.get(document=document)
    ids = set(Requirement.objects.filter(document=document).values_list("pk", flat=True))
    tops = {
        path[0]
        for path in Requirement.objects.filter(document=document).values_list("section_path", flat=True)
        if path
    }
    assert summary.method == METHOD_TFIDF  # the suite picks by word overlap (tests/conftest.py)
    assert set(summary.segments) == {"", *tops}
    assert summary.segments[""]
    assert all(set(picked) <= ids for picked in summary.segments.values())


@pytest.mark.slow
def test_the_cfs_specification_is_summarised_fast(shared_data: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = shared_data / "documents" / "nasa_cfs_requirements.xlsx"
    if not path.exists():
        pytest.skip(f"{path} is not here")
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    texts = [
        str(cell)
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if isinstance(cell, str) and len(cell.split()) > 5
    ]
    rows = [(index, ["cFS"], text, True) for index, text in enumerate(texts)]

    started = time.perf_counter()
    picked = summary_segments_pick(rows=rows)
    seconds = time.perf_counter() - started

    assert len(picked[""]) == 5
    assert seconds < 2.0, f"{len(rows)} segments took {seconds:.2f} s"


def test_the_ingest_stores_the_counts_of_the_segments_and_a_correction_counts_them_again(
    project: Project, editor: object
) -> None:
    document = upload_and_ingest(editor, project, "spec.pdf", spec_pdf())
    counts = DocumentCounts.objects.get(document=document)
    assert counts.rows == Requirement.objects.filter(document=document).count()
    assert [tuple(group) for group in counts.groups] == segment_groups_compute(document_id=document.pk)
    assert counts.section_keys == section_keys_compute(document_id=document.pk)
    generation = counts.generation
    first = Requirement.objects.filter(document=document, is_requirement=True).order_by("order").first()
    assert first is not None

    requirement_mark(user=editor, requirement=first, is_requirement=False)  # type: ignore[arg-type]

    counts.refresh_from_db()
    assert counts.generation == generation + 1
    assert [tuple(group) for group in counts.groups] == segment_groups_compute(document_id=document.pk)
    informative = sum(group[4] for group in counts.groups if not group[2])
    assert informative == Requirement.objects.filter(document=document, is_requirement=False).count()
