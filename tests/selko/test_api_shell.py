"""Tokens, schema and docs, health endpoints."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from selko.accounts.models import ApiToken
from selko.tenancy.models import Project

pytestmark = pytest.mark.django_db


def test_token_is_shown_once_authenticates_and_stops_working_when_revoked(
    project: Project, editor_api: APIClient
) -> None:
    created = editor_api.post("/api/v1/tokens/", {"name": "import script"}).json()
    assert created["key"].startswith("selko_")
    stored = ApiToken.objects.get(pk=created["id"])
    assert created["key"] not in (stored.secret_hash, stored.prefix)  # only a hash is stored

    bearer = APIClient()
    bearer.credentials(HTTP_AUTHORIZATION=f"Bearer {created['key']}")
    assert bearer.get("/api/v1/projects/").json()["count"] == 1

    listed = editor_api.get("/api/v1/tokens/").json()["results"]
    assert [t["name"] for t in listed] == ["import script"]
    assert "key" not in listed[0]

    assert editor_api.delete(f"/api/v1/tokens/{created['id']}/").status_code == 204
    refused = bearer.get("/api/v1/projects/")
    assert refused.status_code == 401
    assert refused.json()["error"]["message"] == "Invalid or revoked API token."


def test_a_forged_token_is_refused(project: Project) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer selko_abcdef123456_notthesecret")
    assert client.get("/api/v1/projects/").status_code == 401


def test_cannot_revoke_someone_elses_token(editor_api: APIClient) -> None:
    from selko.accounts.services import api_token_create
    from tests.factories import UserFactory

    other = api_token_create(user=UserFactory(), name="theirs")
    response = editor_api.delete(f"/api/v1/tokens/{other.token.pk}/")
    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=other.token.pk).exists()


def test_openapi_schema_lists_the_project_endpoints(editor_api: APIClient) -> None:
    response = editor_api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/projects/", "/api/v1/projects/{project_slug}/", "/api/v1/tokens/"} <= set(
        schema["paths"]
    )


@pytest.mark.parametrize("page", ["/api/docs/", "/api/redoc/"])
def test_api_docs_pages_load_their_assets_locally(page: str, editor_browser: Client) -> None:
    html = editor_browser.get(page).content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert "cdn." not in html and "unpkg" not in html and "jsdelivr" not in html


def test_healthz_answers_without_login() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_database_broker_and_storage() -> None:
    response = Client().get("/readyz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "broker", "storage"}
    assert all(check["ok"] for check in body["checks"].values())


def test_readyz_says_which_dependency_is_down(settings: object, monkeypatch: pytest.MonkeyPatch) -> None:
    from selko import health

    def broken_broker() -> str:
        raise ConnectionError("connection refused")

    monkeypatch.setitem(health.CHECKS, "broker", broken_broker)
    response = Client().get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert (checks["broker"]["ok"], checks["broker"]["detail"]) == (
        False,
        "ConnectionError: connection refused",
    )
    assert checks["database"]["ok"] is True


def test_login_and_logout_in_the_browser(editor: object) -> None:
    from tests.factories import PASSWORD

    client = Client(enforce_csrf_checks=True)
    page = client.get("/login/")
    token = page.cookies["csrftoken"].value
    response = client.post(
        "/login/", {"username": editor.username, "password": PASSWORD, "csrfmiddlewaretoken": token}
    )  # type: ignore[attr-defined]
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/logout/", {"csrfmiddlewaretoken": client.cookies["csrftoken"].value})
    assert client.get("/").status_code == 302
