"""Content-Security-Policy on every page, and no template that needs an inline script."""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from selko.tenancy.models import Project, Role
from tests.labeled_project import labeled_project_create

REPO_ROOT = Path(__file__).resolve().parents[2]
STRICT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def _routes(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern) == "admin/":
                continue  # the admin's pages are checked below by their own URLs
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def _fill(route: str, *, project: Project, requirement_id: int, document_id: int, label_id: int) -> str:
    values = {
        "project_slug": project.slug,
        "document_id": str(document_id),
        "requirement_id": str(requirement_id),
        "label_id": str(label_id),
        "file_type": "json",
        "template_key": "no-such-template",
    }
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda match: values.get(match.group(1), "1"), route)


@pytest.mark.django_db
def test_every_route_answers_with_the_content_security_policy(project: Project, member_of: Any) -> None:
    # given an admin of a project with a document, labels and requirements, logged in
    labeled = labeled_project_create(project=project, per_label=1, unlabeled=0)
    browser = Client(raise_request_exception=False)
    browser.force_login(member_of(project, Role.ADMIN))
    urls = sorted(
        {
            _fill(
                route,
                project=project,
                requirement_id=labeled.requirements[0].pk,
                document_id=labeled.document.pk,
                label_id=labeled.labels["Display"].pk,
            )
            for route in _routes(get_resolver().url_patterns)
        }
        | {"/admin/", "/admin/login/", "/no-such-page/"}
    )
    # when every route is fetched
    answers = {url: browser.get(url) for url in urls}
    # then every answer, whatever its status, carries the policy (the API docs get their own one)
    assert len(urls) > 60
    missing = [url for url, response in answers.items() if "Content-Security-Policy" not in response]
    assert missing == []
    pages = {url: r["Content-Security-Policy"] for url, r in answers.items() if not url.startswith("/api/")}
    assert set(pages.values()) == {STRICT_POLICY}
    assert answers["/api/docs/"]["Content-Security-Policy"] == settings.SELKO_CONTENT_SECURITY_POLICY_API_DOCS
    assert "script-src 'self';" in answers["/api/docs/"]["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_login_page_carries_the_policy_for_an_anonymous_visitor() -> None:
    response = Client().get("/login/")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == STRICT_POLICY


@pytest.mark.django_db
def test_the_swagger_page_loads_its_start_up_script_from_a_url(member_of: Any, project: Project) -> None:
    browser = Client()
    browser.force_login(member_of(project, Role.VIEWER))
    page = browser.get("/api/docs/").content.decode()
    script = browser.get("/api/docs/?script=")
    assert re.findall(r"<script>", page) == []
    assert script.status_code == 200
    assert script["Content-Type"] == "application/javascript"


def test_no_template_has_an_inline_script_or_event_handler() -> None:
    # given every template the project ships
    templates = sorted(REPO_ROOT.glob("*/templates/**/*.html"))
    offending = []
    for template in templates:
        text = template.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            # a script element is allowed when it loads a file, or carries data (json_script)
            if "src=" not in tag and 'type="application/json"' not in tag:
                offending.append(f"{template.relative_to(REPO_ROOT)}: {tag}")
        for handler in re.findall(r"\son[a-z]+\s*=", text):
            offending.append(f"{template.relative_to(REPO_ROOT)}: {handler.strip()}")
        if "javascript:" in text:
            offending.append(f"{template.relative_to(REPO_ROOT)}: javascript: URL")
    # then none needs 'unsafe-inline' for scripts
    assert len(templates) > 20
    assert offending == []


def test_no_template_has_a_style_attribute_or_element() -> None:
    # given every template the project ships, under a policy without 'unsafe-inline' for styles
    templates = sorted(REPO_ROOT.glob("*/templates/**/*.html"))
    offending = [
        f"{template.relative_to(REPO_ROOT)}: {found.strip()}"
        for template in templates
        for found in re.findall(r"\sstyle\s*=|<style\b", template.read_text())
    ]
    # then none would be blocked: data-driven sizes and colours go through styled.js
    assert offending == []
