"""Per-project quality rules: admins switch rules off and add vague words, on the API and the page; the
change is audited and rechecks the project on the `default` queue; bad input changes nothing."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from documents.models import Requirement
from documents.quality.models import QualityFinding, QualitySettings
from documents.quality.services import document_quality_check
from documents.tasks import quality_recheck_project_task
from selko.audit.models import AuditEvent
from selko.queueing import task_by_name
from selko.tenancy.models import Project, Role
from tests.factories import ProjectFactory
from tests.models_app.factories import DocumentFactory, RequirementFactory

pytestmark = pytest.mark.django_db

TASK = "documents.tasks.quality_recheck_project"


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, ...]]:
    sent: list[tuple[int, ...]] = []
    monkeypatch.setattr(task_by_name(TASK), "delay", lambda *ids: sent.append(ids))
    return sent


@pytest.fixture
def admin_api(project: Project, member_of: Callable[..., object]) -> APIClient:
    client = APIClient()
    client.force_authenticate(member_of(project, Role.ADMIN))
    return client


def url(project: Project) -> str:
    return f"/api/v1/projects/{project.slug}/quality/settings/"


def rules_of(requirement: Requirement) -> list[str]:
    return list(QualityFinding.objects.filter(requirement=requirement).values_list("rule", flat=True))


def test_the_recheck_task_runs_on_the_default_queue() -> None:
    assert task_by_name(TASK).queue == "default"


def test_an_admin_switches_a_rule_off_and_adds_a_word_and_the_project_is_rechecked(
    project: Project,
    admin_api: APIClient,
    queued: list[tuple[int, ...]],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    document = DocumentFactory(project=project)
    requirement = RequirementFactory(document=document, text="The menu shall be snappy and fast, etc.")
    document_quality_check(document_id=document.pk)
    assert rules_of(requirement) == ["vague_term", "open_ended"]

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_api.put(
            url(project),
            {"disabled_rules": ["open_ended"], "extra_vague_terms": ["  snappy ", "Snappy", "user  journey"]},
            format="json",
        )

    assert response.status_code == 200, response.json()
    assert response.json()["disabled_rules"] == ["open_ended"]
    assert response.json()["extra_vague_terms"] == ["snappy", "user journey"]
    assert queued == [(project.pk,)]
    event = AuditEvent.objects.get(action="quality.settings_changed")
    assert event.details == {
        "before": {"disabled_rules": [], "extra_vague_terms": []},
        "after": {"disabled_rules": ["open_ended"], "extra_vague_terms": ["snappy", "user journey"]},
    }
    quality_recheck_project_task(project.pk)
    assert rules_of(requirement) == ["vague_term", "vague_term"]
    assert requirement.quality.score == 80  # type: ignore[attr-defined]
    assert admin_api.get(url(project)).json()["extra_vague_terms"] == ["snappy", "user journey"]


def test_a_new_document_is_checked_with_the_projects_settings(project: Project) -> None:
    QualitySettings.objects.create(
        project=project, disabled_rules=["placeholder"], extra_vague_terms=["zippy"]
    )
    document = DocumentFactory(project=project)
    requirement = RequirementFactory(document=document, text="The timeout shall be TBD and zippy.")

    document_quality_check(document_id=document.pk)

    assert rules_of(requirement) == ["vague_term"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"disabled_rules": ["no_such_rule"], "extra_vague_terms": []},
            "The quality settings are not valid: Unknown quality rule no_such_rule; the rules are",
        ),
        (
            {"disabled_rules": [], "extra_vague_terms": ["fine", " "]},
            "The quality settings are not valid: A vague term must contain a word; got ''.",
        ),
        (
            {"disabled_rules": [], "extra_vague_terms": ["x" * 81]},
            "The quality settings are not valid: 'xxxxxxxxxxxxxxxxxxxx'… is longer than 80 characters.",
        ),
    ],
)
def test_bad_input_is_a_clear_error_and_changes_nothing(
    project: Project,
    admin_api: APIClient,
    queued: list[tuple[int, ...]],
    django_capture_on_commit_callbacks: Callable[..., Any],
    body: dict[str, list[str]],
    message: str,
) -> None:
    QualitySettings.objects.create(project=project, disabled_rules=["comparative"], extra_vague_terms=["meh"])

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_api.put(url(project), body, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith(message)
    stored = QualitySettings.objects.get(project=project)
    assert (stored.disabled_rules, stored.extra_vague_terms) == (["comparative"], ["meh"])
    assert queued == []
    assert not AuditEvent.objects.filter(action="quality.settings_changed").exists()


def test_an_editor_reads_but_may_not_change_and_another_organization_is_a_404(
    project: Project, editor_api: APIClient, queued: list[tuple[int, ...]]
) -> None:
    body = {"disabled_rules": ["comparative"], "extra_vague_terms": []}

    refused = editor_api.put(url(project), body, format="json")

    assert refused.status_code == 403
    assert editor_api.get(url(project)).json()["disabled_rules"] == []
    assert not QualitySettings.objects.exists()
    assert queued == []
    assert editor_api.get(url(ProjectFactory())).status_code == 404


def test_the_page_saves_an_admins_choice_and_shows_a_bad_word_in_the_form(
    project: Project,
    member_of: Callable[..., object],
    queued: list[tuple[int, ...]],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    browser = Client()
    browser.force_login(member_of(project, Role.ADMIN))  # type: ignore[arg-type]
    page = f"/p/{project.slug}/quality/settings/"
    everything_but_two = ["vague_term", "escape_clause", "open_ended", "superfluous_infinitive",
                          "several_requirements", "passive_without_agent", "pronoun_without_referent",
                          "negative_statement", "comparative", "quantity_without_unit"]  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):
        saved = browser.post(page, {"enabled": everything_but_two, "extra_vague_terms": "snappy\n\nslick\n"})
    bad = browser.post(page, {"enabled": everything_but_two, "extra_vague_terms": "snappy\n" + "y" * 90})

    assert saved.status_code == 302
    stored = QualitySettings.objects.get(project=project)
    assert stored.disabled_rules == ["absolute_term", "placeholder"]
    assert stored.extra_vague_terms == ["snappy", "slick"]
    assert queued == [(project.pk,)]
    assert bad.status_code == 400
    assert "is longer than 80 characters." in bad.content.decode()
    assert "y" * 90 in bad.content.decode()  # what was typed is kept
    assert QualitySettings.objects.get(project=project).extra_vague_terms == ["snappy", "slick"]
    form = browser.get(page).content.decode()
    assert 'value="placeholder">' in form
    assert 'value="vague_term" checked>' in form


def test_the_page_is_read_only_for_an_editor(project: Project, editor_browser: Client) -> None:
    page = editor_browser.get(f"/p/{project.slug}/quality/settings/").content.decode()
    refused = editor_browser.post(f"/p/{project.slug}/quality/settings/", {"extra_vague_terms": "x"})

    assert "<fieldset disabled>" in page
    assert "Only an admin of the project changes the rules." in page
    assert refused.status_code == 302
    assert not QualitySettings.objects.exists()
