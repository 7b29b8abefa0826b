"""Documents and requirements API: upload, list, retrieve, download, re-ingest, delete, filters,
pagination, tenant isolation and roles."""

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from documents.models import Document, DocumentStatus, Requirement
from documents.services.ingest import document_ingest
from selko.audit.models import AuditEvent
from selko.tenancy.models import Project, Role
from tests.documents.ingest_files import requirements_xlsx, spec_pdf
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: object, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")  # type: ignore[attr-defined]
    return tmp_path / "media"


def documents_url(project: Project) -> str:
    return f"/api/v1/projects/{project.slug}/documents/"


def post_file(client: APIClient, project: Project, name: str, data: bytes) -> object:
    return client.post(documents_url(project), {"file": SimpleUploadedFile(name, data)}, format="multipart")


def uploaded_and_ingested(client: APIClient, project: Project, name: str, data: bytes) -> Document:
    response = post_file(client, project, name, data)
    assert response.status_code == 201, response.json()  # type: ignore[attr-defined]
    document = Document.objects.get(pk=response.json()["id"])  # type: ignore[attr-defined]
    if document.status == DocumentStatus.UPLOADED:
        document_ingest(document_id=document.pk, revision_id=document.current_revision_id)
    document.refresh_from_db()
    return document


def test_upload_returns_at_once_with_the_queued_document(editor_api: APIClient, project: Project) -> None:
    data = spec_pdf()

    response = post_file(editor_api, project, "spec.pdf", data)

    assert response.status_code == 201
    body = response.json()
    document = Document.objects.get()
    assert body == {
        "id": document.pk,
        "name": "spec.pdf",
        "kind": "pdf",
        "status": "uploaded",
        "status_label": "Queued",
        "error_message": "",
        "progress_done": 0,
        "progress_total": 0,
        "page_count": None,
        "row_count": None,
        "requirement_count": 0,
        "parse_seconds": None,
        "parse_warnings": [],
        "findings_pending": False,
        "revision": 1,
        "parsed_revision": None,
        "original_filename": "spec.pdf",
        "size": len(data),
        "sha256": document.current_revision.sha256,
        "download_url": f"/api/v1/projects/{project.slug}/documents/{document.pk}/file/",
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
        "created_revision": True,
    }


def test_list_retrieve_and_download(editor_api: APIClient, project: Project) -> None:
    data = requirements_xlsx()
    document = uploaded_and_ingested(editor_api, project, "reqs.xlsx", data)
    uploaded_and_ingested(editor_api, project, "a-spec.pdf", spec_pdf())

    listed = editor_api.get(documents_url(project)).json()
    detail = editor_api.get(f"{documents_url(project)}{document.pk}/").json()
    download = editor_api.get(f"{documents_url(project)}{document.pk}/file/")

    assert listed["count"] == 2
    assert [(d["name"], d["status"], d["requirement_count"]) for d in listed["results"]] == [
        ("a-spec.pdf", "parsed", 4),
        ("reqs.xlsx", "parsed", 3),
    ]
    assert (detail["status"], detail["row_count"], detail["kind"]) == ("parsed", 4, "xlsx")
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="reqs.xlsx"'
    assert b"".join(download.streaming_content) == data  # type: ignore[attr-defined]


def test_identical_upload_answers_200_without_a_new_revision(editor_api: APIClient, project: Project) -> None:
    uploaded_and_ingested(editor_api, project, "reqs.xlsx", requirements_xlsx())

    response = post_file(editor_api, project, "reqs.xlsx", requirements_xlsx())

    assert response.status_code == 200
    assert (response.json()["created_revision"], response.json()["revision"]) == (False, 1)


def test_bad_input_is_reported_failed_with_its_message(editor_api: APIClient, project: Project) -> None:
    document = uploaded_and_ingested(editor_api, project, "locked.pdf", spec_pdf(password="secret"))

    body = editor_api.get(f"{documents_url(project)}{document.pk}/").json()

    assert (body["status"], body["requirement_count"]) == ("failed", 0)
    assert body["error_message"] == (
        "The document is password-protected. Remove the password (for example, save an unprotected copy) "
        "and upload it again."
    )
    assert editor_api.get(f"/api/v1/projects/{project.slug}/requirements/").json()["count"] == 0


def test_upload_above_the_limit_is_a_413_and_nothing_is_stored(
    editor_api: APIClient, project: Project, settings: object, media: Path
) -> None:
    settings.SELKO_MAX_UPLOAD_BYTES = 2000  # type: ignore[attr-defined]

    response = post_file(editor_api, project, "spec.pdf", spec_pdf())

    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "file_too_large"
    assert error["details"]["limit"] == 2000
    assert "the upload limit is 2 KB" in error["message"]
    assert Document.objects.count() == 0
    assert not (media / "documents").exists() or list((media / "documents").iterdir()) == []


def test_upload_without_a_file_is_a_validation_error(editor_api: APIClient, project: Project) -> None:
    response = editor_api.post(documents_url(project), {}, format="multipart")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_failed"
    assert list(response.json()["error"]["details"]) == ["file"]


def test_reingest_queues_a_new_parse(editor_api: APIClient, project: Project) -> None:
    document = uploaded_and_ingested(editor_api, project, "reqs.xlsx", requirements_xlsx())

    response = editor_api.post(f"{documents_url(project)}{document.pk}/reingest/")

    assert response.status_code == 202
    assert (response.json()["status"], response.json()["requirement_count"]) == ("uploaded", 3)
    document_ingest(document_id=document.pk, revision_id=document.current_revision_id)
    document.refresh_from_db()
    assert (document.status, document.requirements.count()) == ("parsed", 3)


def test_delete_removes_the_document(editor_api: APIClient, project: Project) -> None:
    document = uploaded_and_ingested(editor_api, project, "reqs.xlsx", requirements_xlsx())

    response = editor_api.delete(f"{documents_url(project)}{document.pk}/")

    assert response.status_code == 204
    assert Document.objects.count() == 0
    assert Requirement.objects.count() == 0
    assert editor_api.get(f"{documents_url(project)}{document.pk}/").status_code == 404


def test_requirements_are_listed_in_reading_order_with_filters(
    editor_api: APIClient, project: Project
) -> None:
    spec = uploaded_and_ingested(editor_api, project, "a-spec.pdf", spec_pdf())
    sheet = uploaded_and_ingested(editor_api, project, "reqs.xlsx", requirements_xlsx())
    url = f"/api/v1/projects/{project.slug}/requirements/"

    def ids(**params: object) -> list[str]:
        response = editor_api.get(url, params)
        assert response.status_code == 200, response.json()
        return [r["external_id"] or r["text"][:12] for r in response.json()["results"]]

    assert ids() == ["REQ-001", "REQ-002", "REQ-003", "REQ-004", "Note: this c", "SYS-1", "SYS-2", "SYS-3"]
    assert ids(document=sheet.pk) == ["SYS-1", "SYS-2", "SYS-3"]
    assert ids(section="2 Doors") == ["REQ-003", "REQ-004", "Note: this c"]
    assert ids(section="2 Doo") == []
    assert ids(text="LOCK") == ["REQ-003", "SYS-2"]
    assert ids(text="sys-3") == ["SYS-3"]
    assert ids(is_requirement="false") == ["Note: this c"]
    assert ids(document=spec.pk, is_requirement="true", text="driver") == ["REQ-001", "REQ-002", "REQ-004"]
    first = editor_api.get(url, {"document": spec.pk}).json()["results"][0]
    assert first == {
        "id": first["id"],
        "document": spec.pk,
        "document_name": "a-spec.pdf",
        "order": 1,
        "external_id": "REQ-001",
        "text": "The train shall apply the emergency brake when the driver presses the red button.",
        "is_requirement": True,
        "obligation": "mandatory",
        "section_path": ["1 Braking"],
        "section_title": "Braking",
        "page": 1,
        "bbox": first["bbox"],
        "sheet": "",
        "row": None,
        "column": "",
        "attributes": {},
    }
    assert editor_api.get(f"{url}{first['id']}/").json() == first


def test_requirement_pages_neither_repeat_nor_skip(editor_api: APIClient, project: Project) -> None:
    rows = [[f"R-{n:03d}", f"The unit shall support feature number {n}.", "X"] for n in range(1, 24)]
    uploaded_and_ingested(editor_api, project, "many.xlsx", requirements_xlsx(rows=rows))
    url = f"/api/v1/projects/{project.slug}/requirements/"

    seen: list[str] = []
    page = 1
    while True:
        body = editor_api.get(url, {"page": page, "page_size": 5}).json()
        seen += [r["external_id"] for r in body["results"]]
        if body["next"] is None:
            break
        page += 1

    assert (page, body["count"]) == (5, 23)
    assert seen == [f"R-{n:03d}" for n in range(1, 24)]


def test_an_invalid_filter_is_a_validation_error(editor_api: APIClient, project: Project) -> None:
    response = editor_api.get(f"/api/v1/projects/{project.slug}/requirements/", {"document": "abc"})

    assert response.status_code == 400
    assert list(response.json()["error"]["details"]) == ["document"]


def test_another_organizations_documents_and_requirements_are_404(
    editor_api: APIClient, project: Project, member_of: Callable[..., object]
) -> None:
    foreign = ProjectFactory()
    foreign_editor = member_of(foreign, Role.EDITOR)
    foreign_client = APIClient()
    foreign_client.force_authenticate(foreign_editor)
    document = uploaded_and_ingested(foreign_client, foreign, "secret.xlsx", requirements_xlsx())
    requirement = document.requirements.first()
    assert requirement is not None
    base = f"/api/v1/projects/{foreign.slug}"
    before = (Document.objects.count(), Requirement.objects.count(), AuditEvent.objects.count())

    responses = [
        editor_api.get(f"{base}/documents/"),
        post_file(editor_api, foreign, "intruder.xlsx", requirements_xlsx()),
        editor_api.get(f"{base}/documents/{document.pk}/"),
        editor_api.get(f"{base}/documents/{document.pk}/file/"),
        editor_api.post(f"{base}/documents/{document.pk}/reingest/"),
        editor_api.delete(f"{base}/documents/{document.pk}/"),
        editor_api.get(f"{base}/requirements/"),
        editor_api.get(f"{base}/requirements/{requirement.pk}/"),
        # The document's id through the editor's own project does not reach it either.
        editor_api.get(f"/api/v1/projects/{project.slug}/documents/{document.pk}/"),
        editor_api.delete(f"/api/v1/projects/{project.slug}/documents/{document.pk}/"),
        editor_api.get(f"/api/v1/projects/{project.slug}/requirements/{requirement.pk}/"),
    ]

    assert [r.status_code for r in responses] == [404] * len(responses)  # type: ignore[attr-defined]
    assert {r.json()["error"]["code"] for r in responses} == {"not_found"}  # type: ignore[attr-defined]
    assert (Document.objects.count(), Requirement.objects.count(), AuditEvent.objects.count()) == before
    assert editor_api.get(f"/api/v1/projects/{project.slug}/requirements/").json()["count"] == 0


def test_a_viewer_reads_and_downloads_but_cannot_upload_reingest_or_delete(
    editor_api: APIClient, project: Project, member_of: Callable[..., object], media: Path
) -> None:
    document = uploaded_and_ingested(editor_api, project, "reqs.xlsx", requirements_xlsx())
    viewer = APIClient()
    viewer.force_authenticate(member_of(project, Role.VIEWER))
    before = (
        Document.objects.count(),
        Requirement.objects.count(),
        AuditEvent.objects.count(),
        sorted(p.name for p in (media / "documents").iterdir()),
    )

    assert viewer.get(documents_url(project)).json()["count"] == 1
    assert viewer.get(f"{documents_url(project)}{document.pk}/file/").status_code == 200
    assert viewer.get(f"/api/v1/projects/{project.slug}/requirements/").json()["count"] == 3
    refused = [
        post_file(viewer, project, "other.pdf", spec_pdf()),
        viewer.post(f"{documents_url(project)}{document.pk}/reingest/"),
        viewer.delete(f"{documents_url(project)}{document.pk}/"),
    ]

    assert [r.status_code for r in refused] == [403, 403, 403]  # type: ignore[attr-defined]
    assert [r.json()["error"]["message"] for r in refused] == [  # type: ignore[attr-defined]
        "You need the editor role to upload documents.",
        "You need the editor role to re-ingest documents.",
        "You need the editor role to delete documents.",
    ]
    after = (
        Document.objects.count(),
        Requirement.objects.count(),
        AuditEvent.objects.count(),
        sorted(p.name for p in (media / "documents").iterdir()),
    )
    assert after == before
    document.refresh_from_db()
    assert document.status == DocumentStatus.PARSED


def test_anonymous_requests_are_refused(api_client: APIClient, project: Project) -> None:
    response = api_client.get(documents_url(project))

    assert response.status_code in (401, 403)
    assert Document.objects.count() == 0
