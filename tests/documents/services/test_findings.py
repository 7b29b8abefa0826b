"""The ingest's follow-up: findings and summary computed after the requirements are stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from documents import tasks
from documents.models import DocumentStatus
from documents.quality.models import RequirementQuality
from documents.services import findings
from documents.services.findings import document_findings_compute
from documents.services.ingest import document_ingest
from documents.summaries.models import DocumentSummary
from selko.tenancy.models import Project
from tests.documents.ingest_files import spec_pdf
from tests.documents.services.test_ingest import upload

pytestmark = pytest.mark.django_db


def test_a_document_is_parsed_before_its_findings_which_its_follow_up_task_computes(
    project: Project,
    editor: object,
    editor_browser: Client,
    editor_api: APIClient,
    django_capture_on_commit_callbacks: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    queued: list[tuple[int, ...]] = []
    monkeypatch.setattr(tasks.document_findings_task, "delay", lambda *args: queued.append(args))
    result = upload(editor, project, "spec.pdf", spec_pdf())
    page = reverse("frontend:document-detail", args=(project.slug, result.document.pk))
    api = reverse("api:document-detail", args=(project.slug, result.document.pk))
    listed = reverse("api:document-list", args=(project.slug,))

    with django_capture_on_commit_callbacks(execute=True):
        document = document_ingest(document_id=result.document.pk, revision_id=result.revision.pk)

    assert document is not None and document.status == DocumentStatus.PARSED
    assert document.requirements.exists()
    assert not RequirementQuality.objects.filter(requirement__document=document).exists()
    assert queued == [(document.pk, result.revision.pk)]
    assert 'id="findings-pending"' in editor_browser.get(page).content.decode()
    assert editor_api.get(api).json()["findings_pending"] is True
    assert [row["findings_pending"] for row in editor_api.get(listed).json()["results"]] == [True]

    tasks.document_findings_task(*queued[0])

    # Every requirement checked, with its score.
    checked = RequirementQuality.objects.filter(requirement__document=document).count()
    assert checked == document.requirements.filter(is_requirement=True).count() > 0
    assert DocumentSummary.objects.filter(document=document).exists()
    assert 'id="findings-pending"' not in editor_browser.get(page).content.decode()
    assert editor_api.get(api).json()["findings_pending"] is False
    assert [row["findings_pending"] for row in editor_api.get(listed).json()["results"]] == [False]


def test_a_failed_follow_up_leaves_the_document_parsed_with_its_requirements(
    project: Project, editor: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: object) -> int:
        raise RuntimeError("rules bug")

    monkeypatch.setattr(findings, "document_quality_check", broken)
    result = upload(editor, project, "spec.pdf", spec_pdf())

    document = document_ingest(
        document_id=result.document.pk, revision_id=result.revision.pk, findings_now=True
    )

    assert document is not None
    document.refresh_from_db()
    assert (document.status, document.error_message) == (DocumentStatus.PARSED, "")
    assert document.requirements.exists()
    assert not DocumentSummary.objects.filter(document=document).exists()


def test_the_follow_up_of_a_replaced_revision_does_nothing(project: Project, editor: object) -> None:
    first = upload(editor, project, "spec.pdf", spec_pdf())
    document_ingest(document_id=first.document.pk, revision_id=first.revision.pk)
    second = upload(editor, project, "spec.pdf", spec_pdf(note="Another note for the doors."))
    document_ingest(document_id=second.document.pk, revision_id=second.revision.pk)

    assert not document_findings_compute(document_id=first.document.pk, revision_id=first.revision.pk)
    assert not DocumentSummary.objects.filter(document=first.document).exists()
    assert document_findings_compute(document_id=second.document.pk, revision_id=second.revision.pk)
    assert DocumentSummary.objects.filter(document=first.document).exists()
