"""Answers follow the hierarchy, bulk upserts are idempotent and all-or-nothing, roles and tenants hold."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from models_app.annotations.models import Annotation
from models_app.annotations.selectors import (
    annotation_examples_for_training,
    label_training_readiness,
    unanswered_requirement_texts,
)
from models_app.annotations.services import AnnotationInput, annotations_upsert, requirement_labels_set
from selko.audit.models import AuditEvent
from selko.errors import PermissionDenied, ValidationFailed
from selko.tenancy.models import Project, Role
from tests.factories import MembershipFactory, UserFactory
from tests.models_app.factories import LabelFactory, RequirementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(project: Project) -> dict[str, Any]:
    quality = LabelFactory(project=project, name="Quality", order=0)
    security = LabelFactory(project=project, name="Security", parent=quality, order=0)
    crypto = LabelFactory(project=project, name="Cryptography", parent=security, order=0)
    speed = LabelFactory(project=project, name="Speed", parent=quality, order=1)
    functional = LabelFactory(project=project, name="Functional", order=1)
    return {
        "quality": quality,
        "security": security,
        "crypto": crypto,
        "speed": speed,
        "functional": functional,
    }


def _answers(requirement: object) -> dict[str, bool]:
    return dict(Annotation.objects.filter(requirement=requirement).values_list("label__name", "value"))


def test_choosing_a_child_implies_its_ancestors(project: Project, editor: object, tree: dict) -> None:
    requirement = RequirementFactory(document__project=project)
    result = annotations_upsert(
        user=editor, project=project, items=[AnnotationInput(requirement.pk, tree["crypto"].pk, True)]
    )
    assert _answers(requirement) == {"Cryptography": True, "Security": True, "Quality": True}
    assert (result.created, result.implied) == (3, 2)
    assert set(Annotation.objects.values_list("user", flat=True)) == {editor.pk}


def test_no_to_a_parent_is_no_to_its_descendants(project: Project, editor: object, tree: dict) -> None:
    requirement = RequirementFactory(document__project=project)
    annotations_upsert(
        user=editor, project=project, items=[AnnotationInput(requirement.pk, tree["crypto"].pk, True)]
    )

    annotations_upsert(
        user=editor, project=project, items=[AnnotationInput(requirement.pk, tree["security"].pk, False)]
    )

    assert _answers(requirement) == {"Cryptography": False, "Security": False, "Quality": True}


def test_clearing_a_parent_clears_its_descendants(project: Project, editor: object, tree: dict) -> None:
    requirement = RequirementFactory(document__project=project)
    annotations_upsert(
        user=editor, project=project, items=[AnnotationInput(requirement.pk, tree["crypto"].pk, True)]
    )

    result = annotations_upsert(
        user=editor, project=project, items=[AnnotationInput(requirement.pk, tree["quality"].pk, None)]
    )

    assert _answers(requirement) == {}
    assert result.deleted == 3


def test_a_self_contradicting_request_is_refused_whole(project: Project, editor: object, tree: dict) -> None:
    requirement = RequirementFactory(document__project=project)
    other = RequirementFactory(document__project=project)
    items = [
        AnnotationInput(other.pk, tree["functional"].pk, True),
        AnnotationInput(requirement.pk, tree["crypto"].pk, True),
        AnnotationInput(requirement.pk, tree["quality"].pk, False),
    ]
    with pytest.raises(ValidationFailed) as refused:
        annotations_upsert(user=editor, project=project, items=items)
    assert list(refused.value.details["items"]) == ["1"]
    assert not Annotation.objects.exists()


def test_bulk_upsert_is_idempotent(project: Project, editor_api: APIClient, tree: dict) -> None:
    requirements = [RequirementFactory(document__project=project) for _ in range(3)]
    body = {
        "annotations": [{"requirement": r.pk, "label": tree["speed"].pk, "value": True} for r in requirements]
        + [{"requirement": requirements[0].pk, "label": tree["functional"].pk, "value": False}]
    }
    url = f"/api/v1/projects/{project.slug}/annotations/bulk/"

    first = editor_api.post(url, body)
    stored = list(
        Annotation.objects.order_by("pk").values_list("pk", "requirement", "label", "value", "updated_at")
    )
    second = editor_api.post(url, body)

    assert first.json() == {"created": 7, "updated": 0, "deleted": 0, "unchanged": 0, "implied": 3}
    assert second.json() == {"created": 0, "updated": 0, "deleted": 0, "unchanged": 7, "implied": 0}
    assert (
        list(
            Annotation.objects.order_by("pk").values_list("pk", "requirement", "label", "value", "updated_at")
        )
        == stored
    )
    assert AuditEvent.objects.filter(action="annotations.changed").count() == 1


def test_every_change_is_in_the_audit_trail(project: Project, editor: object, tree: dict) -> None:
    requirement = RequirementFactory(document__project=project)
    annotations_upsert(
        user=editor, project=project, items=[AnnotationInput(requirement.pk, tree["speed"].pk, True)]
    )
    annotations_upsert(
        user=editor, project=project, items=[AnnotationInput(requirement.pk, tree["speed"].pk, False)]
    )
    events = list(AuditEvent.objects.filter(action="annotations.changed").order_by("id"))
    assert [e.details["changes"] for e in events] == [
        [[requirement.pk, tree["quality"].pk, None, True], [requirement.pk, tree["speed"].pk, None, True]],
        [[requirement.pk, tree["speed"].pk, True, False]],
    ]
    assert {e.actor for e in events} == {editor}


def test_bulk_upsert_with_a_foreign_label_or_requirement_saves_nothing(
    project: Project, editor_api: APIClient, tree: dict
) -> None:
    mine = RequirementFactory(document__project=project)
    foreign_requirement = RequirementFactory()
    foreign_label = LabelFactory()
    body = {
        "annotations": [
            {"requirement": mine.pk, "label": tree["speed"].pk, "value": True},
            {"requirement": foreign_requirement.pk, "label": tree["speed"].pk, "value": True},
            {"requirement": mine.pk, "label": foreign_label.pk, "value": True},
        ]
    }

    response = editor_api.post(f"/api/v1/projects/{project.slug}/annotations/bulk/", body)

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {
        "items": {
            "1": [f"No requirement {foreign_requirement.pk} in this project."],
            "2": [f"No label {foreign_label.pk} in this project."],
        }
    }
    assert not Annotation.objects.exists()
    assert not AuditEvent.objects.filter(action="annotations.changed").exists()


def test_more_than_a_thousand_annotations_are_refused(
    project: Project, editor_api: APIClient, tree: dict
) -> None:
    requirement = RequirementFactory(document__project=project)
    body = {"annotations": [{"requirement": requirement.pk, "label": tree["speed"].pk, "value": True}] * 1001}
    response = editor_api.post(f"/api/v1/projects/{project.slug}/annotations/bulk/", body)
    assert response.status_code == 400
    assert not Annotation.objects.exists()


def test_a_viewers_label_attempt_is_refused_and_changes_nothing(
    project: Project, member_of: Callable[..., object], editor: object, tree: dict
) -> None:
    requirement = RequirementFactory(document__project=project)
    annotations_upsert(
        user=editor, project=project, items=[AnnotationInput(requirement.pk, tree["speed"].pk, True)]
    )
    before = list(Annotation.objects.order_by("pk").values_list("pk", "label", "value", "updated_at"))
    viewer = member_of(project, Role.VIEWER)
    client = APIClient()
    client.force_authenticate(viewer)

    response = client.post(
        f"/api/v1/projects/{project.slug}/annotations/bulk/",
        {"annotations": [{"requirement": requirement.pk, "label": tree["speed"].pk, "value": False}]},
    )
    put = client.put(
        f"/api/v1/projects/{project.slug}/labeling/requirements/{requirement.pk}/", {"label_ids": []}
    )

    assert response.status_code == 403
    assert response.json()["error"]["details"] == {"required_role": "editor", "your_role": "viewer"}
    assert put.status_code == 403
    assert list(Annotation.objects.order_by("pk").values_list("pk", "label", "value", "updated_at")) == before
    with pytest.raises(PermissionDenied):
        requirement_labels_set(user=viewer, project=project, requirement_id=requirement.pk, label_ids=[])
    assert AuditEvent.objects.filter(action="annotations.changed").count() == 1


def test_annotations_of_another_organization_are_not_found(project: Project, tree: dict) -> None:
    requirement = RequirementFactory(document__project=project)
    Annotation.objects.create(project=project, requirement=requirement, label=tree["speed"], value=True)
    outsider = UserFactory()
    MembershipFactory(user=outsider, role=Role.ADMIN)
    client = APIClient()
    client.force_authenticate(outsider)
    base = f"/api/v1/projects/{project.slug}"
    assert client.get(f"{base}/annotations/").status_code == 404
    refused = client.post(
        f"{base}/annotations/bulk/",
        {"annotations": [{"requirement": requirement.pk, "label": tree["speed"].pk, "value": False}]},
    )
    assert refused.status_code == 404
    assert client.get(f"{base}/labeling/next/").status_code == 404
    assert Annotation.objects.get().value is True


def test_annotation_list_filters(project: Project, editor: object, editor_api: APIClient, tree: dict) -> None:
    first = RequirementFactory(document__project=project)
    second = RequirementFactory(document__project=project)
    requirement_labels_set(
        user=editor, project=project, requirement_id=first.pk, label_ids=[tree["speed"].pk]
    )
    requirement_labels_set(user=editor, project=project, requirement_id=second.pk, label_ids=[])
    base = f"/api/v1/projects/{project.slug}/annotations/"

    positives = editor_api.get(base, {"value": "true"}).json()
    of_second = editor_api.get(base, {"requirement": second.pk}).json()
    of_speed = editor_api.get(base, {"label": tree["speed"].pk}).json()

    assert sorted((a["requirement"], a["label"]) for a in positives["results"]) == [
        (first.pk, tree["quality"].pk),
        (first.pk, tree["speed"].pk),
    ]
    assert of_second["count"] == 5
    assert {a["value"] for a in of_second["results"]} == {False}
    assert [(a["requirement"], a["value"], a["user"]) for a in of_speed["results"]] == [
        (first.pk, True, editor.username),
        (second.pk, False, editor.username),
    ]


def test_a_complete_answer_says_no_to_every_other_label(project: Project, editor: object, tree: dict) -> None:
    requirement = RequirementFactory(document__project=project)
    requirement_labels_set(
        user=editor, project=project, requirement_id=requirement.pk, label_ids=[tree["crypto"].pk]
    )
    assert _answers(requirement) == {
        "Quality": True,
        "Security": True,
        "Cryptography": True,
        "Speed": False,
        "Functional": False,
    }


@override_settings(SELKO_MIN_EXAMPLES_PER_LABEL=2)
def test_readiness_counts_positives_and_what_each_label_still_needs(
    project: Project, editor: object, tree: dict
) -> None:
    for labels in ([tree["crypto"].pk], [tree["speed"].pk], [tree["security"].pk], []):
        requirement = RequirementFactory(document__project=project)
        requirement_labels_set(user=editor, project=project, requirement_id=requirement.pk, label_ids=labels)

    readiness = label_training_readiness(project=project)

    assert [(r.path, r.positives, r.negatives, r.needed) for r in readiness] == [
        ("Quality", 3, 1, 0),
        ("Quality > Security", 2, 2, 0),
        ("Quality > Security > Cryptography", 1, 3, 1),
        ("Quality > Speed", 1, 3, 1),
        ("Functional", 0, 4, 2),
    ]


def test_training_examples_follow_the_hierarchy(project: Project, editor: object, tree: dict) -> None:
    labeled = RequirementFactory(document__project=project, text="Keys shall be AES-256.")
    negative = RequirementFactory(document__project=project, text="The train shall stop.")
    RequirementFactory(document__project=project, text="Never answered.")
    annotations_upsert(
        user=editor,
        project=project,
        items=[
            AnnotationInput(labeled.pk, tree["crypto"].pk, True),
            AnnotationInput(negative.pk, tree["quality"].pk, False),
            AnnotationInput(negative.pk, tree["functional"].pk, True),
        ],
    )

    examples = annotation_examples_for_training(project=project)

    assert examples == [
        (
            labeled.pk,
            "Keys shall be AES-256.",
            sorted([tree["quality"].pk, tree["security"].pk, tree["crypto"].pk]),
            [],
        ),
        (
            negative.pk,
            "The train shall stop.",
            [tree["functional"].pk],
            sorted([tree["quality"].pk, tree["security"].pk, tree["crypto"].pk, tree["speed"].pk]),
        ),
    ]


def test_unanswered_requirements_are_sampled_evenly_and_leave_out_answers_and_other_projects(
    project: Project, editor: object, tree: dict
) -> None:
    first = [RequirementFactory(document__project=project, text=f"First file {i}.") for i in range(6)]
    second = [RequirementFactory(document__project=project, text="Second file 0.")]
    second += [RequirementFactory(document=second[0].document, text=f"Second file {i}.") for i in range(1, 6)]
    RequirementFactory(document=second[0].document, text="Informative note.", is_requirement=False)
    RequirementFactory(text="Another project's requirement.")
    annotations_upsert(
        user=editor, project=project, items=[AnnotationInput(first[1].pk, tree["functional"].pk, True)]
    )

    every = unanswered_requirement_texts(project=project, limit=100)
    sampled = unanswered_requirement_texts(project=project, limit=4)

    assert sorted(every) == sorted(str(r.text) for r in first + second if r.pk != first[1].pk)
    assert len(sampled) == 4
    assert any(text.startswith("First") for text in sampled)
    assert any(text.startswith("Second") for text in sampled)
