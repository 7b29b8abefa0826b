"""A view too large to export while the browser waits is written by a worker as an export job that keeps
the view's filter; the link it gives downloads exactly the view's rows, for its own organization only."""

import csv
import io

import pytest
from django.test import Client
from openpyxl import load_workbook
from pytest_django.fixtures import Settings
from rest_framework.test import APIClient

from models_app.exports.models import ExportJob, ExportStatus
from models_app.exports.rendering import ExportOptions, export_rows
from models_app.exports.services import export_job_run
from selko.audit.models import AuditEvent
from selko.tenancy.models import Role
from tests.factories import MembershipFactory, UserFactory
from tests.models_app.explorer.test_api_explorer import World, url
from tests.worker import CeleryWorker, wait_for


def _full_export_header(world: World) -> list[str]:
    return [str(cell) for cell in next(export_rows(project=world.project, options=ExportOptions()))]


@pytest.mark.integration
def test_a_view_above_the_limit_is_exported_by_a_worker_with_exactly_its_rows(
    editor_api: APIClient, world: World, celery_worker: CeleryWorker, settings: Settings
) -> None:
    # given a limit below the view's two rows, so the worker path runs without thousands of them
    settings.SELKO_EXPORT_SYNC_MAX_ROWS = 1
    view = {"label": str(world.brakes.pk), "source": "model", "file_type": "csv"}

    queued = editor_api.get(url(world.project, "export"), view)

    assert queued.status_code == 202
    job_id = queued.json()["id"]
    assert queued.json()["filters"] == {"label": world.brakes.pk, "source": "model", "sort": "order"}
    assert queued.json()["download_url"] is None
    requested = AuditEvent.objects.get(action="export.requested")
    assert requested.details == {"filters": queued.json()["filters"]}
    wait_for(lambda: ExportJob.objects.get(pk=job_id).status == ExportStatus.SUCCEEDED, worker=celery_worker)
    base = f"/api/v1/projects/{world.project.slug}/exports/"
    status = editor_api.get(f"{base}{job_id}/").json()
    assert (status["status"], status["row_count"]) == ("succeeded", 2)
    assert status["download_url"] == f"{base}{job_id}/download/"
    download = editor_api.get(status["download_url"])
    assert download.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == _full_export_header(world)
    assert [row[2] for row in rows[1:]] == ["SAF-1", "SAF-2"]

    # and a user of another organization cannot see or download it
    outsider = UserFactory()
    MembershipFactory(user=outsider, role=Role.ADMIN)
    stranger = APIClient()
    stranger.force_authenticate(outsider)
    assert stranger.get(status["download_url"]).status_code == 404
    assert stranger.get(f"{base}{job_id}/").status_code == 404


@pytest.mark.integration
def test_the_explorer_page_sends_a_large_view_to_a_worker_and_the_export_page_links_its_file(
    editor_browser: Client, world: World, celery_worker: CeleryWorker, settings: Settings
) -> None:
    settings.SELKO_EXPORT_SYNC_MAX_ROWS = 1
    page = f"/p/{world.project.slug}/explorer/"
    explorer = editor_browser.get(page, {"label": world.brakes.pk, "source": "model"})
    export_href = f"/p/{world.project.slug}/explorer/export?label={world.brakes.pk}&amp;source=model"
    assert f'href="{export_href}&file_type=xlsx" id="export-xlsx"' in explorer.content.decode()

    sent = editor_browser.get(
        f"/p/{world.project.slug}/explorer/export",
        {"label": world.brakes.pk, "source": "model", "file_type": "xlsx"},
        follow=True,
    )

    assert sent.redirect_chain[-1][0] == f"/p/{world.project.slug}/export/"
    assert "This view is large" in sent.content.decode()
    job = ExportJob.objects.get()
    wait_for(lambda: ExportJob.objects.get(pk=job.pk).status == ExportStatus.SUCCEEDED, worker=celery_worker)
    listing = editor_browser.get(f"/p/{world.project.slug}/export/").content.decode()
    link = f"/p/{world.project.slug}/export/{job.pk}/download"
    assert f'href="{link}"' in listing
    assert "Explorer view" in listing
    download = editor_browser.get(link)
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True)["Requirements"]
    assert [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["SAF-1", "SAF-2"]


@pytest.mark.django_db
def test_a_small_view_still_downloads_at_once(
    editor_api: APIClient, world: World, settings: Settings
) -> None:
    settings.SELKO_EXPORT_SYNC_MAX_ROWS = 2
    response = editor_api.get(
        url(world.project, "export"), {"file_type": "csv", "label": world.brakes.pk, "source": "model"}
    )
    assert response.status_code == 200
    assert [row[2] for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))][1:] == [
        "SAF-1",
        "SAF-2",
    ]
    assert ExportJob.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"file_type": "reqif"}, "file_type"),
        ({"file_type": "pdf"}, "file_type"),
        ({"file_type": "csv", "rule": "no_such_rule"}, "rule"),
        ({"file_type": "csv", "colour": "red"}, "filters"),
    ],
)
def test_a_bad_export_request_is_refused_and_queues_nothing(
    editor_api: APIClient, world: World, settings: Settings, params: dict[str, str], field: str
) -> None:
    settings.SELKO_EXPORT_SYNC_MAX_ROWS = 1
    response = editor_api.get(url(world.project, "export"), params)
    assert response.status_code == 400
    assert field in response.json()["error"]["details"]
    assert ExportJob.objects.count() == 0
    assert not AuditEvent.objects.filter(action__in=["export.requested", "requirements.exported"]).exists()


@pytest.mark.django_db
def test_a_queued_view_whose_label_was_deleted_fails_with_the_reason_and_writes_no_file(
    editor_api: APIClient, world: World, settings: Settings
) -> None:
    settings.SELKO_EXPORT_SYNC_MAX_ROWS = 1
    queued = editor_api.get(
        url(world.project, "export"), {"file_type": "csv", "label": world.brakes.pk, "source": "model"}
    )
    label_id = world.brakes.pk
    world.brakes.delete()

    job = export_job_run(export_id=queued.json()["id"])

    assert job is not None
    assert job.status == ExportStatus.FAILED
    assert job.error_message == f"The filter is not valid: No label {label_id} in this project."
    assert job.file_path == ""


@pytest.mark.django_db
def test_a_job_whose_stored_filter_is_not_an_object_fails_instead_of_exporting_everything(
    world: World,
) -> None:
    job = ExportJob.objects.create(project=world.project, file_type="csv", options={"explorer_filters": [1]})

    finished = export_job_run(export_id=job.pk)

    assert finished is not None
    assert (finished.status, finished.file_path) == (ExportStatus.FAILED, "")
    assert finished.error_message == "The export's explorer filter is not an object."
