"""Model registry and retrain requests in-process: promote, roll back, policies, roles and isolation."""

import re
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from models_app.annotations.models import Annotation
from models_app.registry.models import ModelSettings, ModelVersion, PromotionPolicy
from models_app.registry.tagging import predictions_refresh
from models_app.registry.zero_shot import zero_shot_version_refresh
from models_app.taxonomy.models import Label
from selko.audit.models import AuditEvent
from selko.tenancy.models import Role
from tests.factories import MembershipFactory, UserFactory
from tests.labeled_project import TOPICS, LabeledProject, labeled_project_create
from training.models import JobStatus, TrainingJob
from training.runner import training_job_run

pytestmark = pytest.mark.django_db


def _api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _train(project: Any, user: Any, *, force: bool = False) -> TrainingJob:
    response = _api(user).post(f"/api/v1/projects/{project.slug}/training-jobs/", {"force": force})
    assert response.status_code == 201, response.json()
    job_id = response.json()["job"]["id"]
    training_job_run(job_id=job_id, worker_host="test")  # what the `train` task does on a worker
    job = TrainingJob.objects.get(pk=job_id)
    assert job.status == JobStatus.SUCCEEDED, job.error_message
    return job


def _page(user: Any, url: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def settings_base_model() -> str:
    from django.conf import settings

    return settings.SELKO_BASE_MODEL


@pytest.fixture
def labeled(project: Any, training_settings: dict[str, str]) -> LabeledProject:
    return labeled_project_create(project=project)


def test_rollback_brings_back_the_previous_versions_tags(labeled: LabeledProject, member_of: Any) -> None:
    project = labeled.project
    admin = member_of(project, Role.ADMIN)
    _train(project, admin)
    Annotation.objects.create(
        project=project, requirement=labeled.requirements[-1], label=labeled.labels["Display"], value=True
    )
    _train(project, admin)
    v1, v2 = ModelVersion.objects.get(number=1), ModelVersion.objects.get(number=2)
    assert v2.is_active
    predictions_refresh(project_id=project.pk, model_version_id=v2.pk)
    url = f"/api/v1/projects/{project.slug}/requirements/{labeled.requirements[0].pk}/predictions/"
    assert {row["model_version"] for row in _api(admin).get(url).json()} == {2}

    response = _api(admin).post(f"/api/v1/projects/{project.slug}/model-versions/rollback/")

    assert response.status_code == 200
    assert response.json()["number"] == 1
    v1.refresh_from_db()
    assert v1.is_active and not ModelVersion.objects.get(pk=v2.pk).is_active
    predictions_refresh(project_id=project.pk, model_version_id=v1.pk)  # the predict task the switch queued
    assert {row["model_version"] for row in _api(admin).get(url).json()} == {1}
    event = AuditEvent.objects.get(action="model_version.rolled_back")
    assert (event.actor, event.details["from"], event.details["to"]) == (admin, 2, 1)


def test_manual_policy_keeps_the_active_version_and_says_why(labeled: LabeledProject, member_of: Any) -> None:
    project = labeled.project
    admin = member_of(project, Role.ADMIN)
    _train(project, admin)
    ModelSettings.objects.filter(project=project).update(promotion_policy=PromotionPolicy.MANUAL)

    job = _train(project, admin, force=True)

    v2 = ModelVersion.objects.get(number=2)
    assert ModelVersion.objects.get(number=1).is_active and not v2.is_active
    assert v2.promotion_note.startswith("Manual promotion policy: an admin decides.")
    assert job.outcome.startswith("v2 registered, not promoted: Manual promotion policy")
    promoted = _api(admin).post(f"/api/v1/projects/{project.slug}/model-versions/2/promote/")
    assert promoted.status_code == 200
    assert ModelVersion.objects.get(number=2).is_active


def test_the_same_data_and_settings_offer_the_existing_version(
    labeled: LabeledProject, member_of: Any
) -> None:
    project = labeled.project
    editor = member_of(project, Role.EDITOR)
    _train(project, editor)

    again = _api(editor).post(f"/api/v1/projects/{project.slug}/training-jobs/", {})

    assert again.status_code == 200
    body = again.json()
    assert (body["created"], body["offered_version"]["number"]) == (False, 1)
    assert TrainingJob.objects.filter(project=project).count() == 1


def test_a_second_request_returns_the_queued_job(labeled: LabeledProject, member_of: Any) -> None:
    editor = member_of(labeled.project, Role.EDITOR)
    url = f"/api/v1/projects/{labeled.project.slug}/training-jobs/"
    first = _api(editor).post(url, {}).json()
    second = _api(editor).post(url, {})
    assert second.status_code == 200
    assert (second.json()["created"], second.json()["job"]["id"]) == (False, first["job"]["id"])
    assert TrainingJob.objects.filter(project=labeled.project).count() == 1


def test_the_plan_says_which_labels_rest_on_their_description(
    project: Any, member_of: Any, settings: Any
) -> None:
    settings.SELKO_MIN_EXAMPLES_PER_LABEL = 10
    labeled = labeled_project_create(project=project, per_label=8)
    labeled.labels["Braking"].description = "Brakes, deceleration and stopping distance."
    labeled.labels["Braking"].save()
    editor = member_of(project, Role.EDITOR)

    plan = _api(editor).get(f"/api/v1/projects/{project.slug}/training-plan/").json()
    accepted = _api(editor).post(f"/api/v1/projects/{project.slug}/training-jobs/", {})

    assert plan["ready"] is True
    assert [r["name"] for r in plan["learnable"]] == [
        "Safety",
        "Safety > Braking",
        "Safety > Power",
        "Display",
    ]
    assert [(r["name"], r["rests_on"]) for r in plan["from_examples"]] == [("Safety", "examples")]
    assert [(r["name"], r["positives"], r["missing"]) for r in plan["from_description"]] == [
        ("Safety > Braking", 8, 2)
    ]
    assert [(r["name"], r["rests_on"]) for r in plan["from_name"]] == [
        ("Safety > Power", "name"),
        ("Display", "name"),
    ]
    assert {r["name"] for r in plan["below_minimum"]} == {"Safety > Braking", "Safety > Power", "Display"}
    assert plan["summary"] == (
        "Will learn 4 labels from 24 labeled requirements: 1 from their own examples; resting on their "
        "description (fewer than 10 examples): Safety > Braking (8/10); resting on their name only (no "
        "description, fewer than 10 examples): Safety > Power (8/10), Display (8/10)."
    )
    assert accepted.status_code == 201


def test_nothing_to_learn_is_refused_with_a_clear_message(project: Any, member_of: Any) -> None:
    labeled_project_create(project=project, per_label=0)
    editor = member_of(project, Role.EDITOR)
    response = _api(editor).post(f"/api/v1/projects/{project.slug}/training-jobs/", {})
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith(
        'Nothing to learn yet: no requirement has a "yes" answer.'
    )
    assert not TrainingJob.objects.exists()


def test_a_label_with_two_examples_is_trained_and_none_rows_count(
    labeled: LabeledProject, member_of: Any
) -> None:
    # given a new label with a description and 2 "yes" answers, and requirements answered "none of
    # these labels" (every label "no")
    project = labeled.project
    admin = member_of(project, Role.ADMIN)
    doors = Label.objects.create(project=project, name="Doors", description="Doors and the platform gap.")
    unanswered = labeled.requirements[-3:]
    for requirement in unanswered[:2]:
        Annotation.objects.create(project=project, requirement=requirement, label=doors, value=True)
    for label in Label.objects.filter(project=project).exclude(pk=doors.pk):
        Annotation.objects.create(project=project, requirement=unanswered[2], label=label, value=False)
    Annotation.objects.create(project=project, requirement=unanswered[2], label=doors, value=False)
    plan = _api(admin).get(f"/api/v1/projects/{project.slug}/training-plan/").json()

    # when
    job = _train(project, admin)

    # then Doors is in the plan as resting on its description, and in the trained version
    assert [(r["name"], r["positives"], r["rests_on"]) for r in plan["from_description"]] == [
        ("Doors", 2, "description")
    ]
    version = ModelVersion.objects.get(training_job=job)
    assert doors.pk in version.label_ids
    assert version.lineage["skipped_labels"] == {}
    assert version.lineage["from_meaning"] == {str(doors.pk): 2}
    assert job.snapshot is not None
    assert job.snapshot.example_count == 8 * 3 + 3  # the "none" row is a training example too


def test_viewer_cannot_retrain_and_nothing_changes(labeled: LabeledProject, member_of: Any) -> None:
    viewer = member_of(labeled.project, Role.VIEWER)
    response = _api(viewer).post(f"/api/v1/projects/{labeled.project.slug}/training-jobs/", {})
    assert response.status_code == 403
    assert not TrainingJob.objects.exists()


def test_editor_cannot_promote_or_roll_back(labeled: LabeledProject, member_of: Any) -> None:
    project = labeled.project
    admin, editor = member_of(project, Role.ADMIN), member_of(project, Role.EDITOR)
    _train(project, admin)
    _train(project, admin, force=True)
    assert _api(editor).post(f"/api/v1/projects/{project.slug}/model-versions/rollback/").status_code == 403
    assert _api(editor).post(f"/api/v1/projects/{project.slug}/model-versions/1/promote/").status_code == 403
    assert ModelVersion.objects.get(is_active=True).number == 2


def test_compare_shows_per_label_deltas(labeled: LabeledProject, member_of: Any) -> None:
    project = labeled.project
    admin = member_of(project, Role.ADMIN)
    _train(project, admin)
    _train(project, admin, force=True)
    body = _api(admin).get(f"/api/v1/projects/{project.slug}/model-versions/compare/?first=1&second=2").json()
    assert (body["first"], body["second"]) == (1, 2)
    assert {row["label"] for row in body["per_label"]} == {
        "Safety",
        "Safety > Braking",
        "Safety > Power",
        "Display",
    }
    for row in body["per_label"]:
        assert row["delta"] == pytest.approx(row["second_f1"] - row["first_f1"], abs=1e-4)


def test_another_organization_gets_404_for_jobs_and_versions(labeled: LabeledProject, member_of: Any) -> None:
    project = labeled.project
    _train(project, member_of(project, Role.ADMIN))
    outsider = UserFactory()
    MembershipFactory(user=outsider, role=Role.ADMIN)
    job = TrainingJob.objects.get()
    for url in (
        f"/api/v1/projects/{project.slug}/training-jobs/",
        f"/api/v1/projects/{project.slug}/training-jobs/{job.pk}/",
        f"/api/v1/projects/{project.slug}/model-versions/",
        f"/api/v1/projects/{project.slug}/model-versions/1/",
    ):
        assert _api(outsider).get(url).status_code == 404, url
    assert _api(outsider).post(f"/api/v1/projects/{project.slug}/model-versions/rollback/").status_code == 404
    assert (
        _api(outsider).post(f"/api/v1/projects/{project.slug}/training-jobs/{job.pk}/cancel/").status_code
        == 404
    )


def test_only_an_admin_changes_the_promotion_policy(project: Any, member_of: Any) -> None:
    admin, editor = member_of(project, Role.ADMIN), member_of(project, Role.EDITOR)
    url = f"/api/v1/projects/{project.slug}/model-settings/"

    refused = _api(editor).patch(url, {"promotion_policy": "manual"})
    changed = _api(admin).patch(url, {"promotion_policy": "manual", "max_label_f1_drop_points": 2})

    assert refused.status_code == 403
    assert changed.status_code == 200
    assert changed.json() == {
        "promotion_policy": "manual",
        "max_label_f1_drop_points": 2.0,
        "epochs": 0,
        "encoder": "",
    }
    event = AuditEvent.objects.get(action="model_settings.changed")
    assert event.details["before"] == {"policy": "auto", "drop": 5.0, "encoder": ""}
    invalid = _api(admin).patch(url, {"promotion_policy": "sometimes"})
    assert invalid.status_code == 400
    assert ModelSettings.objects.get(project=project).promotion_policy == "manual"


def test_auto_policy_keeps_the_active_version_when_the_candidate_is_worse(
    labeled: LabeledProject, member_of: Any, settings: Any
) -> None:
    project = labeled.project
    admin = member_of(project, Role.ADMIN)
    _train(project, admin)
    # The minimum is raised above the 8 examples per leaf, so the leaves rest on their descriptions
    # too, and their descriptions and phrases are swapped: each reads like another leaf.
    settings.SELKO_MIN_EXAMPLES_PER_LABEL = 9
    for name, wrong in (("Braking", "Power"), ("Power", "Display"), ("Display", "Braking")):
        label = labeled.labels[name]
        label.description = TOPICS[wrong].format(n=10)
        label.examples = [TOPICS[wrong].format(n=10 + n) for n in range(8)]
        label.save()

    job = _train(project, admin, force=True)

    v1, v2 = ModelVersion.objects.get(number=1), ModelVersion.objects.get(number=2)
    assert v1.is_active and not v2.is_active
    assert v2.promotion_note.startswith("Macro-F1 would drop from 1.000 to ")
    # Both were trained on the same answers: each version's own cross-validated estimate is compared.
    assert v2.promotion_note.endswith(
        " on each version's own estimate (fewer than 20 answered examples are new since v1)."
    )
    assert job.outcome == f"v2 registered, not promoted: {v2.promotion_note}"
    assert v2.lineage["from_meaning"].keys() == {
        str(labeled.labels[name].pk) for name in ("Braking", "Power", "Display")
    }


def test_below_the_split_size_a_version_shows_a_cross_validated_estimate_not_its_training_fit(
    labeled: LabeledProject, member_of: Any
) -> None:
    project = labeled.project
    admin = member_of(project, Role.ADMIN)

    _train(project, admin)  # 24 answered requirements: far below the validation split size

    body = _api(admin).get(f"/api/v1/projects/{project.slug}/model-versions/1/").json()
    quality = body["quality"]
    assert quality["method"] == "cross_validation"
    assert (quality["folds"], quality["examples"]) == (5, 24)
    assert re.fullmatch(r"≈ \d\.\d\d ± \d\.\d\d, 5-fold", quality["summary"])
    assert body["macro_f1"] == quality["macro_f1"] == body["metrics"]["macro_f1"]
    assert "cross-validation on the 24 answered examples" in quality["how"]
    assert body["encoder"] == settings_base_model()
    page = _page(admin, f"/p/{project.slug}/models/")
    assert quality["summary"] in page
    assert "5-fold cross-validation on the 24 answered examples" in page
    assert "evaluated_on" not in quality and "training" not in body["metrics"]["evaluated_on"].split(":")[0]


def test_too_few_answers_say_not_enough_examples_to_estimate(
    project: Any, member_of: Any, training_settings: dict[str, str], settings: Any
) -> None:
    labeled_project_create(project=project, per_label=3)  # 9 answered requirements
    settings.SELKO_MIN_EXAMPLES_PER_LABEL = 2
    admin = member_of(project, Role.ADMIN)

    _train(project, admin)

    body = _api(admin).get(f"/api/v1/projects/{project.slug}/model-versions/1/").json()
    assert body["macro_f1"] is None
    assert body["quality"]["summary"] == "not enough examples to estimate"
    assert body["metrics"]["per_label"] == {}
    page = _page(admin, f"/p/{project.slug}/models/")
    assert "Active: v1 (macro-F1 not enough examples to estimate)" in " ".join(
        re.sub(r"<[^>]+>", "", page).split()
    )
    assert "1.000" not in page


def test_the_first_training_is_compared_with_zero_shot_v0_on_every_answered_example(
    labeled: LabeledProject, member_of: Any
) -> None:
    project = labeled.project
    admin = member_of(project, Role.ADMIN)
    v0 = zero_shot_version_refresh(project_id=project.pk)
    assert v0 is not None and v0.number == 0 and ModelVersion.objects.get(pk=v0.pk).is_active

    job = _train(project, admin)

    v1 = ModelVersion.objects.get(number=1)
    comparison = v1.lineage["comparison"]
    assert comparison["active_version"] == 0
    assert comparison["validation_examples"] == 24  # v0 was trained on none of them
    assert comparison["active"] is not None and comparison["candidate"] is not None
    assert "on 24 answered examples neither version was trained on" in v1.promotion_note
    assert job.outcome == f"v1 registered and promoted: {v1.promotion_note}"


def test_a_retrain_is_compared_with_the_active_version_on_answers_it_never_saw(
    project: Any, member_of: Any, training_settings: dict[str, str]
) -> None:
    labeled = labeled_project_create(project=project, per_label=8, unlabeled=8)
    admin = member_of(project, Role.ADMIN)
    _train(project, admin)
    # 24 more requirements are answered after v1 was trained
    topics = ["Braking", "Power", "Display"]
    for n, requirement in enumerate(labeled.requirements[24:]):
        Annotation.objects.create(
            project=project, requirement=requirement, label=labeled.labels[topics[n % 3]], value=True
        )

    _train(project, admin)

    v2 = ModelVersion.objects.get(number=2)
    comparison = v2.lineage["comparison"]
    assert comparison["active_version"] == 1
    assert comparison["validation_examples"] == 24  # only the answers v1 was not trained on
    assert "24 answered examples neither version was trained on (candidate cross-validated, v1 as it " \
        "stands)" in v2.promotion_note  # fmt: skip
