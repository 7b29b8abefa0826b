"""Every error on an `/api/` path answers `{"error": ...}`, 500 included, whatever DEBUG says."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from selko.tenancy.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[True, False], ids=["debug-on", "debug-off"])
def debug(request: pytest.FixtureRequest, settings: Any) -> bool:
    settings.DEBUG = request.param
    return bool(request.param)


def _client_as(user: object) -> APIClient:
    # Like a real client: an unexpected error comes back as a response, not as an exception in the test.
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(user)
    return client


def test_an_unexpected_error_answers_a_json_500_without_internals(
    debug: bool, project: Project, editor: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a view whose selector fails in a way nobody planned for
    def explode(**kwargs: object) -> None:
        raise RuntimeError("boom in /srv/selko/secret_settings.py")

    monkeypatch.setattr("selko.tenancy.api_views.project_get_for_user", explode)
    # when
    response = _client_as(editor).get(f"/api/v1/projects/{project.slug}/")
    # then
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "error": {
            "code": "server_error",
            "message": "Something went wrong on our side. The error was logged; "
            "please try again in a moment.",
            "details": {},
        }
    }
    assert b"secret_settings" not in response.content


def test_a_url_no_route_matches_answers_a_json_404(debug: bool, editor: object) -> None:
    response = _client_as(editor).get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Not found.", "details": {}}}


def test_the_drf_browsable_login_route_is_gone_and_answers_json_404(debug: bool) -> None:
    response = APIClient(raise_request_exception=False).get("/api/v1/auth/login/")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Not found.", "details": {}}}


def test_a_refused_method_keeps_the_json_shape_and_the_allow_header(debug: bool, editor: object) -> None:
    response = _client_as(editor).put("/api/v1/projects/", {})
    assert response.status_code == 405
    assert response.json() == {
        "error": {"code": "method_not_allowed", "message": 'Method "PUT" not allowed.', "details": {}}
    }
    assert response["Allow"] == "GET, POST, HEAD, OPTIONS"


def test_an_unexpected_error_on_a_page_stays_an_html_page(
    project: Project, editor: object, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    # given DEBUG off, as in production, and a page that fails
    settings.DEBUG = False

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("frontend.views.projects.project_get_for_user", explode)
    client = APIClient(raise_request_exception=False)
    client.force_login(editor)
    # when
    response = client.get(f"/p/{project.slug}/")
    # then
    assert response.status_code == 500
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert b"Something went wrong" in response.content
