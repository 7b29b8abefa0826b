"""A document's quality counts are stored with its findings and give the page exactly what grouping
the rows gives: after the check, after a correction, and for a document checked before they were
stored (no row: counted from the rows)."""

from pathlib import Path

import pytest

from documents.models import Document, Requirement
from documents.quality.counts import quality_counts_compute
from documents.quality.models import DocumentQualityCounts
from documents.quality.selectors import document_quality_summary
from documents.quality.services import document_quality_check
from documents.services.corrections import requirement_merge_next
from documents.summaries.selectors import document_gist
from selko.tenancy.models import Project
from tests.documents.ingest_files import spec_pdf
from tests.documents.services.test_ingest import upload_and_ingest
from tests.models_app.factories import DocumentFactory, RequirementFactory

pytestmark = pytest.mark.django_db

TEXTS = [
    ("3 Brakes", "The brakes shall release fast, etc."),
    ("3 Brakes", "The brakes shall be adequate and TBD."),
    ("3 Brakes", "The brake controller shall release the brake within 2 s."),
    ("4 Doors", "The doors should close quickly."),
    ("", "Doors are described in chapter 4."),
]


@pytest.fixture(autouse=True)
def media(settings: object, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")  # type: ignore[attr-defined]


def _as_read_from_rows(document: Document) -> tuple[object, object]:
    """The summary and the gist as a document without stored counts gets them."""
    stored = list(DocumentQualityCounts.objects.filter(document=document).values_list("counts", flat=True))
    DocumentQualityCounts.objects.filter(document=document).delete()
    read = document_quality_summary(document=document), document_gist(document=document)
    if stored:
        DocumentQualityCounts.objects.create(document=document, counts=stored[0])
    return read


def test_the_check_stores_counts_that_read_as_the_rows_do(project: Project) -> None:
    document = DocumentFactory(project=project, name="Spec.pdf")
    for order, (section, text) in enumerate(TEXTS, start=1):
        RequirementFactory(
            document=document, order=order, text=text, section_path=[section] if section else [],
            section_key=section, is_requirement=bool(section),
        )  # fmt: skip

    document_quality_check(document_id=document.pk)

    counts = DocumentQualityCounts.objects.get(document=document).counts
    assert counts == quality_counts_compute(document_id=document.pk)
    assert counts["checked"] == 4
    summary, gist = document_quality_summary(document=document), document_gist(document=document)
    assert (summary, gist) == _as_read_from_rows(document)
    assert summary.by_rule and summary.worst_sections and summary.worst_documents
    assert gist.document.most_findings and gist.sections[0].by_rule


def test_a_correction_stores_the_counts_again(project: Project, editor: object) -> None:
    document = upload_and_ingest(editor, project, "spec.pdf", spec_pdf())
    before = DocumentQualityCounts.objects.get(document=document).counts
    assert before == quality_counts_compute(document_id=document.pk)
    checked = Requirement.objects.filter(document=document, quality__isnull=False).order_by("order")
    first = checked.first()
    assert first is not None

    requirement_merge_next(user=editor, requirement=first)  # type: ignore[arg-type]

    after = DocumentQualityCounts.objects.get(document=document).counts
    assert after == quality_counts_compute(document_id=document.pk)
    assert after["checked"] == checked.count()
    assert (document_quality_summary(document=document), document_gist(document=document)) == (
        _as_read_from_rows(document)
    )
