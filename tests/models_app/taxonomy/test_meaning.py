"""Labels carry meaning: descriptions and example phrases through the services, the API and the files."""

from typing import Any

import pytest
import yaml
from rest_framework.test import APIClient

from models_app.taxonomy.file_formats import taxonomy_dump, taxonomy_parse
from models_app.taxonomy.label_fields import DESCRIPTION_MAX_LENGTH
from models_app.taxonomy.models import Label
from models_app.taxonomy.selectors import taxonomy_get
from models_app.taxonomy.services import (
    label_create,
    label_update,
    taxonomy_import,
)
from models_app.taxonomy.starter_trees import TEMPLATES
from selko.audit.models import AuditEvent
from selko.errors import ValidationFailed
from selko.tenancy.models import Project

pytestmark = pytest.mark.django_db

TREE_YAML = """\
labels:
  - name: Non-functional
    description: How well the system works.
    children:
      - name: Security
        description: Access control, authentication, encryption.
        examples: [only authorised users can open a file, passwords are stored hashed]
"""


def _api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _state(project: Project) -> list[tuple[str, str, list[str]]]:
    return [
        (label.name, label.description, list(label.examples))
        for label in Label.objects.filter(project=project)
    ]


def test_description_and_examples_round_trip_through_yaml_and_json(project: Project, editor: Any) -> None:
    taxonomy_import(user=editor, project=project, specs=taxonomy_parse(content=TREE_YAML, file_format="yaml"))

    exported = taxonomy_dump(index=taxonomy_get(project=project), file_format="yaml")
    security = yaml.safe_load(exported)["labels"][0]["children"][0]
    assert security["description"] == "Access control, authentication, encryption."
    assert security["examples"] == ["only authorised users can open a file", "passwords are stored hashed"]

    other = Project.objects.create(organization=project.organization, name="Copy", slug="copy")
    json_text = taxonomy_dump(index=taxonomy_get(project=project), file_format="json")
    taxonomy_import(user=editor, project=other, specs=taxonomy_parse(content=json_text, file_format="json"))
    assert _state(other) == _state(project)


def test_a_taxonomy_file_with_an_unknown_key_is_refused_and_nothing_changes(
    project: Project, editor: Any
) -> None:
    label_create(user=editor, project=project, name="Existing")
    before = _state(project)
    content = "labels:\n  - name: Security\n    descripton: typo\n"

    with pytest.raises(ValidationFailed) as refused:
        taxonomy_import(
            user=editor, project=project, specs=taxonomy_parse(content=content, file_format="yaml")
        )

    assert refused.value.message == (
        "The taxonomy cannot be read: label 1 has unknown keys: descripton "
        "(known: name, description, examples, color, children)."
    )
    assert _state(project) == before


def test_a_file_with_a_description_over_the_limit_is_refused_and_nothing_changes(
    project: Project, editor: Any
) -> None:
    content = (
        f"labels:\n  - name: Fine\n  - name: Long\n    description: {'x' * (DESCRIPTION_MAX_LENGTH + 1)}\n"
    )

    with pytest.raises(ValidationFailed) as refused:
        taxonomy_parse(content=content, file_format="yaml")

    assert refused.value.message == (
        f"The taxonomy cannot be read: the description of 'Long' has {DESCRIPTION_MAX_LENGTH + 1} "
        f"characters; at most {DESCRIPTION_MAX_LENGTH}."
    )
    assert _state(project) == []


def test_a_description_over_the_limit_is_refused_by_the_service_and_nothing_changes(
    project: Project, editor: Any
) -> None:
    label = label_create(user=editor, project=project, name="Security", description="Access control.")
    events = AuditEvent.objects.count()

    with pytest.raises(ValidationFailed) as refused:
        label_update(
            user=editor, project=project, label_id=label.pk, description="x" * (DESCRIPTION_MAX_LENGTH + 1)
        )

    assert refused.value.message == (
        f"A label description has at most {DESCRIPTION_MAX_LENGTH} characters (this one has "
        f"{DESCRIPTION_MAX_LENGTH + 1})."
    )
    assert _state(project) == [("Security", "Access control.", [])]
    assert AuditEvent.objects.count() == events


def test_example_phrases_are_trimmed_and_deduplicated(project: Project, editor: Any) -> None:
    label = label_create(
        user=editor,
        project=project,
        name="Security",
        examples=["  only  admins ", "Only admins", "", "encrypt"],
    )

    assert Label.objects.get(pk=label.pk).examples == ["only admins", "encrypt"]


def test_the_api_creates_edits_and_lists_descriptions_and_examples(project: Project, editor: Any) -> None:
    url = f"/api/v1/projects/{project.slug}/labels/"
    created = _api(editor).post(
        url, {"name": "Security", "description": "Access control.", "examples": ["log in"]}, format="json"
    )
    assert created.status_code == 201
    assert (created.json()["description"], created.json()["examples"]) == ("Access control.", ["log in"])

    edited = _api(editor).patch(
        f"{url}{created.json()['id']}/", {"examples": ["encrypt", "sign in"]}, format="json"
    )

    assert edited.status_code == 200
    assert edited.json()["examples"] == ["encrypt", "sign in"]
    assert _api(editor).get(url).json()[0]["examples"] == ["encrypt", "sign in"]


def test_the_api_refuses_a_long_description_with_a_clear_error_and_nothing_changes(
    project: Project, editor: Any
) -> None:
    response = _api(editor).post(
        f"/api/v1/projects/{project.slug}/labels/",
        {"name": "Security", "description": "x" * (DESCRIPTION_MAX_LENGTH + 1)},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {
        "description": [f"At most {DESCRIPTION_MAX_LENGTH} characters."]
    }
    assert _state(project) == []


def test_every_starter_label_has_a_description() -> None:
    def walk(specs: Any) -> list[Any]:
        return [item for spec in specs for item in (spec, *walk(spec.children))]

    undescribed = [
        spec.name for template in TEMPLATES.values() for spec in walk(template.labels) if not spec.description
    ]

    assert undescribed == []
