"""Tenant isolation and role checks for projects, in the UI and the API."""

from collections.abc import Callable

import pytest
from django.test import Client
from rest_framework.test import APIClient

from selko.audit.models import AuditEvent
from selko.tenancy.models import Project, Role
from tests.factories import MembershipFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


def _api_as(user: object) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_user_of_another_organization_gets_404_in_the_api(project: Project) -> None:
    outsider = UserFactory()
    MembershipFactory(user=outsider, role=Role.ADMIN)  # admin of a different organization
    response = _api_as(outsider).get(f"/api/v1/projects/{project.slug}/")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": f"No project '{project.slug}'.", "details": {}}
    }


def test_user_of_another_organization_gets_404_in_the_ui(project: Project) -> None:
    outsider = UserFactory()
    MembershipFactory(user=outsider)
    browser = Client()
    browser.force_login(outsider)
    response = browser.get(f"/p/{project.slug}/")
    assert response.status_code == 404
    assert project.name.encode() not in response.content


def test_project_list_shows_only_the_users_organizations(project: Project, editor: object) -> None:
    other = ProjectFactory(name="Secret other project")
    listed = _api_as(editor).get("/api/v1/projects/").json()
    assert [p["slug"] for p in listed["results"]] == [project.slug]
    assert listed["count"] == 1
    page = Client()
    page.force_login(editor)  # type: ignore[arg-type]
    html = page.get("/").content.decode()
    assert project.name in html
    assert other.name not in html


def test_anonymous_api_request_is_refused_with_the_error_envelope(project: Project) -> None:
    response = APIClient().get("/api/v1/projects/")
    assert response.status_code in (401, 403)
    assert response.json()["error"]["code"] == "not_authenticated"


def test_anonymous_page_request_redirects_to_login(project: Project) -> None:
    response = Client().get(f"/p/{project.slug}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_editor_creates_a_project_and_it_is_audited(project: Project, editor: object) -> None:
    response = _api_as(editor).post(
        "/api/v1/projects/", {"name": "Braking system", "description": "EN 50126"}
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["slug"], body["organization"]) == (
        "Braking system",
        "braking-system",
        project.organization.slug,
    )
    created = Project.objects.get(slug="braking-system")
    assert created.organization == project.organization
    event = AuditEvent.objects.get(action="project.created", target_id=str(created.pk))
    assert event.actor == editor


def test_viewer_cannot_create_a_project_and_nothing_changes(
    project: Project, member_of: Callable[..., object]
) -> None:
    viewer = member_of(project, Role.VIEWER)
    response = _api_as(viewer).post("/api/v1/projects/", {"name": "Sneaky"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert not Project.objects.filter(name="Sneaky").exists()
    assert not AuditEvent.objects.filter(action="project.created").exists()


def test_duplicate_project_name_is_a_conflict(project: Project, editor: object) -> None:
    response = _api_as(editor).post("/api/v1/projects/", {"name": project.name.upper()})
    assert response.status_code == 409
    assert Project.objects.filter(organization=project.organization).count() == 1


def test_missing_name_is_a_validation_error_with_details(editor: object) -> None:
    response = _api_as(editor).post("/api/v1/projects/", {})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_failed"
    assert error["details"] == {"name": ["This field is required."]}


def test_cannot_create_a_project_in_another_organization(project: Project, editor: object) -> None:
    foreign = ProjectFactory().organization
    response = _api_as(editor).post("/api/v1/projects/", {"name": "Intrusion", "organization": foreign.slug})
    assert response.status_code == 404
    assert not Project.objects.filter(name="Intrusion").exists()


def test_ui_create_form_creates_and_redirects_to_the_dashboard(
    project: Project, editor_browser: Client
) -> None:
    response = editor_browser.post(
        "/projects/new", {"name": "Signalling", "description": "", "organization": project.organization.pk}
    )
    assert response.status_code == 302
    assert response["Location"] == "/p/signalling/"
    page = editor_browser.get("/p/signalling/")
    assert "Signalling" in page.content.decode()
    assert "Project “Signalling” created." in page.content.decode()
