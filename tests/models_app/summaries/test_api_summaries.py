"""A document's gist through the API: counts by obligation, label and rule, the requirements with the most
findings and the central segments, for the document and each top-level section; isolation."""

import pytest
from rest_framework.test import APIClient

from documents.quality.services import document_quality_check
from documents.summaries.models import DocumentSummary
from documents.summaries.services import document_summary_compute
from models_app.annotations.models import Annotation
from selko.tenancy.models import Project
from tests.factories import ProjectFactory
from tests.models_app.factories import (
    DocumentFactory,
    LabelFactory,
    ModelVersionFactory,
    PredictionFactory,
    RequirementFactory,
)

pytestmark = pytest.mark.django_db

BRAKES = [
    "The train shall apply the service brake when the driver moves the brake handle to brake.",
    "The brake controller shall release the service brake when the brake handle is in neutral.",
    "The emergency brake shall stop the train when the brake loop opens, etc.",
]
DOORS = [
    "The doors shall close quickly when the driver presses the door close button on the desk.",
    "The doors shall stay locked while the train moves faster than three kilometres per hour.",
]


def test_the_gist_of_a_document_and_of_each_section(
    project: Project, editor_api: APIClient, editor: object
) -> None:
    document = DocumentFactory(project=project, name="Spec.pdf")
    rows = []
    for order, (section, text, obligation) in enumerate(
        [("3 Brakes", t, "mandatory") for t in BRAKES] + [("4 Doors", t, "recommended") for t in DOORS],
        start=1,
    ):
        rows.append(
            RequirementFactory(
                document=document, order=order, text=text, section_path=[section], section_key=section,
                obligation=obligation, external_id=f"R-{order}",
            )
        )  # fmt: skip
    RequirementFactory(document=document, order=9, text="Heading", section_path=[], is_requirement=False)
    document_quality_check(document_id=document.pk)
    document_summary_compute(document_id=document.pk)
    brakes = LabelFactory(project=project, name="Brakes")
    version = ModelVersionFactory(project=project)
    Annotation.objects.create(project=project, requirement=rows[0], label=brakes, value=True, user=editor)
    PredictionFactory(model_version=version, requirement=rows[1], label=brakes, score=0.9)
    PredictionFactory(model_version=version, requirement=rows[3], label=brakes, score=0.1)

    response = editor_api.get(f"/api/v1/projects/{project.slug}/documents/{document.pk}/summary/")

    assert response.status_code == 200
    body = response.json()
    whole, (brake_section, door_section) = body["document"], body["sections"]
    assert body["model_version"] == version.number
    assert (whole["section"], whole["requirements"]) == ("", 5)
    assert whole["by_obligation"] == {"mandatory": 3, "recommended": 2}
    assert whole["by_label"] == [{"label": brakes.pk, "path": "Brakes", "requirements": 2}]
    assert whole["by_rule"] == [
        {"rule": "vague_term", "title": "Vague or subjective term", "requirements": 1},
        {"rule": "open_ended", "title": "Open-ended list", "requirements": 1},
    ]
    assert [(r["external_id"], r["findings"]) for r in whole["most_findings"]] == [("R-3", 1), ("R-4", 1)]
    assert len(whole["summary"]) == 5
    assert [s["order"] for s in whole["summary"]] == sorted(s["order"] for s in whole["summary"])
    assert (brake_section["section"], brake_section["requirements"]) == ("3 Brakes", 3)
    assert brake_section["by_obligation"] == {"mandatory": 3}
    assert brake_section["by_label"] == [{"label": brakes.pk, "path": "Brakes", "requirements": 2}]
    assert [s["external_id"] for s in brake_section["summary"]] == ["R-1", "R-2", "R-3"]
    assert door_section["by_label"] == []
    assert door_section["by_rule"] == [
        {"rule": "vague_term", "title": "Vague or subjective term", "requirements": 1}
    ]
    assert [s["section"] for s in door_section["summary"]] == ["4 Doors", "4 Doors"]


def test_a_document_without_a_stored_summary_gets_one_computed_without_writing(
    project: Project, editor_api: APIClient
) -> None:
    document = DocumentFactory(project=project)
    for order, text in enumerate(DOORS, start=1):
        RequirementFactory(document=document, order=order, text=text, section_path=["4 Doors"])

    body = editor_api.get(f"/api/v1/projects/{project.slug}/documents/{document.pk}/summary/").json()

    assert [s["order"] for s in body["document"]["summary"]] == [1, 2]
    assert not DocumentSummary.objects.exists()


def test_another_organizations_document_is_a_404(editor_api: APIClient) -> None:
    other = DocumentFactory(project=ProjectFactory())

    response = editor_api.get(f"/api/v1/projects/{other.project.slug}/documents/{other.pk}/summary/")

    assert response.status_code == 404
