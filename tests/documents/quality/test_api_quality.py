"""Quality where people look: the project's summary through the API, isolation and roles."""

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from documents.quality.services import document_quality_check
from selko.tenancy.models import Project, Role
from tests.factories import ProjectFactory
from tests.models_app.factories import DocumentFactory, RequirementFactory

pytestmark = pytest.mark.django_db


def checked_project(project: Project) -> tuple[int, int]:
    spec = DocumentFactory(project=project, name="A-spec.pdf")
    sheet = DocumentFactory(project=project, name="B-sheet.xlsx")
    for order, (text, section) in enumerate(
        (
            ("The brakes shall release fast.", "3 Safety"),  # vague: 90
            ("The door timeout shall be TBD.", "4 Doors"),  # placeholder: 75
            ("The train shall stop at red signals.", "3 Safety"),  # 100
        )
    ):
        RequirementFactory(document=spec, order=order, text=text, section_key=section)
    RequirementFactory(
        document=sheet, order=0, text="It shall be fast, etc.", section_key=""
    )  # pronoun, vague, open-ended: 75
    RequirementFactory(document=sheet, order=1, text="Informative, etc.", is_requirement=False)
    for document in (spec, sheet):
        document_quality_check(document_id=document.pk)
    return spec.pk, sheet.pk


def test_the_project_summary_counts_rules_and_names_the_worst_sections_and_documents(
    project: Project, editor_api: APIClient
) -> None:
    spec, sheet = checked_project(project)

    response = editor_api.get(f"/api/v1/projects/{project.slug}/quality/summary/")

    assert response.status_code == 200
    assert response.json() == {
        "checked": 4,
        "average_score": 85.0,
        "by_rule": [
            {"rule": "vague_term", "title": "Vague or subjective term", "requirements": 2},
            {"rule": "open_ended", "title": "Open-ended list", "requirements": 1},
            {"rule": "pronoun_without_referent", "title": "Pronoun without a referent", "requirements": 1},
            {"rule": "placeholder", "title": "TBD / TBC placeholder", "requirements": 1},
        ],
        "worst_sections": [
            {"document": spec, "document_name": "A-spec.pdf", "section": "4 Doors",
             "average_score": 75.0, "requirements": 1},
            {"document": sheet, "document_name": "B-sheet.xlsx", "section": "(no section)",
             "average_score": 75.0, "requirements": 1},
            {"document": spec, "document_name": "A-spec.pdf", "section": "3 Safety",
             "average_score": 95.0, "requirements": 2},
        ],
        "worst_documents": [
            {"document": sheet, "document_name": "B-sheet.xlsx", "average_score": 75.0,
             "requirements": 1, "findings": 3},
            {"document": spec, "document_name": "A-spec.pdf", "average_score": 88.3,
             "requirements": 3, "findings": 2},
        ],
    }  # fmt: skip


def test_a_viewer_reads_the_summary_and_another_organization_gets_a_404(
    project: Project, member_of: Callable[..., object]
) -> None:
    checked_project(project)
    viewer = APIClient()
    viewer.force_authenticate(member_of(project, Role.VIEWER))
    other = ProjectFactory()

    assert viewer.get(f"/api/v1/projects/{project.slug}/quality/summary/").json()["checked"] == 4
    assert viewer.get(f"/api/v1/projects/{other.slug}/quality/summary/").status_code == 404
    assert APIClient().get(f"/api/v1/projects/{project.slug}/quality/summary/").status_code in (401, 403)
