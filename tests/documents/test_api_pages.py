"""The documents pages served to the browser: list, status JSON, requirements with filters, download,
re-ingest and delete forms, roles and tenant isolation."""

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from documents.models import Document, DocumentStatus, Requirement
from documents.services.ingest import document_ingest
from documents.services.upload import document_upload
from selko.tenancy.models import Project, Role
from tests.documents.ingest_files import requirements_xlsx, spec_pdf
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: object, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")  # type: ignore[attr-defined]
    return tmp_path / "media"


def ingested(user: object, project: Project, name: str, data: bytes) -> Document:
    result = document_upload(user=user, project=project, upload=SimpleUploadedFile(name, data), filename=name)
    if result.document.status == DocumentStatus.UPLOADED:
        document_ingest(document_id=result.document.pk, revision_id=result.revision.pk)
    result.document.refresh_from_db()
    return result.document


def viewer_browser(project: Project, member_of: Callable[..., object]) -> Client:
    client = Client()
    client.force_login(member_of(project, Role.VIEWER))  # type: ignore[arg-type]
    return client


def test_the_list_shows_status_size_pages_and_counts(
    editor_browser: Client, project: Project, editor: object
) -> None:
    ingested(editor, project, "spec.pdf", spec_pdf())
    ingested(editor, project, "broken.xlsx", requirements_xlsx()[:2000])

    page = editor_browser.get(f"/p/{project.slug}/documents/").content.decode()

    assert 'id="dropzone"' in page
    assert f'data-upload-url="/api/v1/projects/{project.slug}/documents/"' in page
    assert "2 pages" in page
    assert '<span class="badge failed" data-role="status">Failed</span>' in page
    assert "its zip structure is damaged or incomplete" in page


def test_the_status_json_reports_live_progress(
    editor_browser: Client, project: Project, editor: object
) -> None:
    result = document_upload(
        user=editor, project=project, upload=SimpleUploadedFile("spec.pdf", spec_pdf()), filename="spec.pdf"
    )
    Document.objects.filter(pk=result.document.pk).update(
        status=DocumentStatus.PARSING, progress_done=12, progress_total=175
    )

    body = editor_browser.get(f"/p/{project.slug}/documents/status.json").json()

    (status,) = body["documents"]
    assert {k: status[k] for k in ("name", "status", "progress_text", "settled", "url")} == {
        "name": "spec.pdf",
        "status": "parsing",
        "progress_text": "Parsing 12/175 pages",
        "settled": False,
        "url": f"/p/{project.slug}/documents/{result.document.pk}/",
    }


def test_the_document_page_lists_requirements_in_order_with_filters(
    editor_browser: Client, project: Project, editor: object
) -> None:
    document = ingested(editor, project, "spec.pdf", spec_pdf())
    url = f"/p/{project.slug}/documents/{document.pk}/"

    def shown(**params: str) -> list[str]:
        response = editor_browser.get(url, params)
        assert response.status_code == 200
        return [r.external_id or "note" for r in response.context["page"].object_list]

    assert shown() == ["REQ-001", "REQ-002", "REQ-003", "REQ-004", "note"]
    assert shown(section="1 Braking") == ["REQ-001", "REQ-002"]
    assert shown(q="door") == ["REQ-003", "REQ-004", "note"]
    assert shown(q="door", only="requirements") == ["REQ-003", "REQ-004"]
    page = editor_browser.get(url).content.decode()
    assert '<option value="1 Braking">1 Braking</option>' in page
    assert '<tr class="informative"' in page
    assert 'id="reingest-button"' in page


def test_download_returns_the_original_bytes_under_the_uploaded_name(
    project: Project, editor: object, member_of: Callable[..., object]
) -> None:
    data = requirements_xlsx()
    document = ingested(editor, project, "Review sheet.xlsx", data)

    response = viewer_browser(project, member_of).get(f"/p/{project.slug}/documents/{document.pk}/download")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Review sheet.xlsx"'
    assert b"".join(response.streaming_content) == data  # type: ignore[attr-defined]


def test_reingest_and_delete_forms(editor_browser: Client, project: Project, editor: object) -> None:
    document = ingested(editor, project, "spec.pdf", spec_pdf())

    reingest = editor_browser.post(f"/p/{project.slug}/documents/{document.pk}/reingest", follow=True)
    document.refresh_from_db()
    assert document.status == DocumentStatus.UPLOADED
    assert "“spec.pdf” is queued to be read again." in reingest.content.decode()

    deleted = editor_browser.post(f"/p/{project.slug}/documents/{document.pk}/delete", follow=True)
    assert deleted.redirect_chain == [(f"/p/{project.slug}/documents/", 302)]
    assert "“spec.pdf” and its requirements were deleted." in deleted.content.decode()
    assert Document.objects.count() == 0


def test_a_viewer_sees_no_upload_or_delete_and_is_refused_with_nothing_changed(
    project: Project, editor: object, member_of: Callable[..., object]
) -> None:
    document = ingested(editor, project, "spec.pdf", spec_pdf())
    viewer = viewer_browser(project, member_of)

    listing = viewer.get(f"/p/{project.slug}/documents/").content.decode()
    detail = viewer.get(f"/p/{project.slug}/documents/{document.pk}/").content.decode()
    refused = viewer.post(f"/p/{project.slug}/documents/{document.pk}/delete", follow=True)

    assert 'id="dropzone"' not in listing
    assert 'id="delete-button"' not in detail and 'id="reingest-button"' not in detail
    assert "You need the editor role to delete documents." in refused.content.decode()
    document.refresh_from_db()
    assert (document.status, Requirement.objects.count()) == (DocumentStatus.PARSED, 5)


def test_another_organizations_document_pages_are_404(
    editor_browser: Client, member_of: Callable[..., object], project: Project
) -> None:
    foreign = ProjectFactory()
    document = ingested(member_of(foreign, Role.EDITOR), foreign, "secret.pdf", spec_pdf())
    urls = [
        f"/p/{foreign.slug}/documents/",
        f"/p/{foreign.slug}/documents/status.json",
        f"/p/{foreign.slug}/documents/{document.pk}/",
        f"/p/{foreign.slug}/documents/{document.pk}/download",
        f"/p/{project.slug}/documents/{document.pk}/",
        f"/p/{project.slug}/documents/{document.pk}/download",
    ]

    statuses = [editor_browser.get(url).status_code for url in urls]
    posts = [
        editor_browser.post(f"/p/{slug}/documents/{document.pk}/{action}").status_code
        for slug in (foreign.slug, project.slug)
        for action in ("reingest", "delete")
    ]

    assert statuses == [404] * len(urls)
    assert posts == [404] * 4
    document.refresh_from_db()
    assert (document.status, document.requirements.count()) == (DocumentStatus.PARSED, 5)
