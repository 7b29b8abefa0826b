"""The zero-shot version: a project with labels and no answers gets v0 and suggestions at once."""

from collections.abc import Callable
from typing import Any

import pytest

from models_app.registry.models import ModelVersion, ModelVersionKind, Prediction
from models_app.registry.zero_shot import zero_shot_version_refresh
from models_app.taxonomy.selectors import taxonomy_get
from models_app.taxonomy.services import label_create, label_update
from selko.celery import app
from selko.tenancy.models import Project, Role
from tests.labeled_project import labeled_project_create
from tests.models_app.factories import DocumentFactory, RequirementFactory
from training.models import JobStatus, TrainingJob
from training.runner import training_job_run
from training.services import training_job_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager(monkeypatch: pytest.MonkeyPatch) -> None:
    """Queued tasks run in this process, as a worker would run them, when their transaction commits."""
    monkeypatch.setitem(app.conf, "task_always_eager", True)


def _versions(project: Project) -> list[tuple[int, str, bool]]:
    return [
        (v.number, v.kind, v.is_active)
        for v in ModelVersion.objects.filter(project=project).order_by("number")
    ]


def _tree(project: Project, editor: Any) -> None:
    nfr = label_create(user=editor, project=project, name="Non-functional", description="How well it works.")
    label_create(
        user=editor, project=project, name="Security", parent_id=nfr.pk, description="Who may log in."
    )
    label_create(user=editor, project=project, name="Functional", description="What the system does.")


def test_a_new_project_with_labels_and_no_answers_gets_v0_and_suggestions(
    project: Project,
    editor: Any,
    training_settings: dict[str, str],
    eager: None,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    document = DocumentFactory(project=project)
    requirements = [RequirementFactory(document=document) for _ in range(4)]

    with django_capture_on_commit_callbacks(execute=True):
        _tree(project, editor)

    assert _versions(project) == [(0, ModelVersionKind.ZERO_SHOT, True)]
    v0 = ModelVersion.objects.get(project=project)
    assert v0.lineage["meaning_sha256"]
    assert v0.lineage["described_labels"] == 3
    assert Prediction.objects.filter(model_version=v0).count() == len(requirements) * 3
    index = taxonomy_get(project=project)
    for requirement in requirements:
        suggested = set(
            Prediction.objects.filter(requirement=requirement, predicted=True).values_list(
                "label_id", flat=True
            )
        )
        assert suggested, f"no suggestion for {requirement.text}"
        assert all(set(index.ancestor_ids(label_id)) <= suggested for label_id in suggested)


def test_a_new_description_makes_a_new_zero_shot_version_and_a_colour_does_not(
    project: Project,
    editor: Any,
    training_settings: dict[str, str],
    eager: None,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _tree(project, editor)
    security = taxonomy_get(project=project).children(
        next(label.pk for label in taxonomy_get(project=project).roots() if label.name == "Non-functional")
    )[0]

    with django_capture_on_commit_callbacks(execute=True):
        label_update(user=editor, project=project, label_id=security.pk, color="#000000")
    assert _versions(project) == [(0, ModelVersionKind.ZERO_SHOT, True)]

    with django_capture_on_commit_callbacks(execute=True):
        label_update(user=editor, project=project, label_id=security.pk, description="Encryption of data.")

    assert _versions(project) == [
        (0, ModelVersionKind.ZERO_SHOT, False),
        (1, ModelVersionKind.ZERO_SHOT, True),
    ]
    assert ModelVersion.objects.get(project=project, number=1).lineage["replaces"] == 0


def test_a_zero_shot_version_does_not_replace_an_active_trained_one(
    project: Project, editor: Any, training_settings: dict[str, str]
) -> None:
    _tree(project, editor)
    ModelVersion.objects.create(project=project, number=1, is_active=True, artifact_path="models/x")

    version = zero_shot_version_refresh(project_id=project.pk)

    assert version is not None
    assert _versions(project) == [(1, ModelVersionKind.TRAINED, True), (2, ModelVersionKind.ZERO_SHOT, False)]
    assert version.promotion_note == (
        "Not activated: trained v1 is active. Zero-shot versions only stand in before training."
    )


def test_a_project_without_labels_gets_no_version(
    project: Project, training_settings: dict[str, str]
) -> None:
    assert zero_shot_version_refresh(project_id=project.pk) is None
    assert _versions(project) == []


def test_the_first_trained_version_replaces_v0_under_the_usual_policy(
    project: Project, member_of: Callable[..., Any], training_settings: dict[str, str]
) -> None:
    labeled_project_create(project=project)
    zero_shot_version_refresh(project_id=project.pk)
    admin = member_of(project, Role.ADMIN)
    job = training_job_request(user=admin, project=project).job

    training_job_run(job_id=job.pk, worker_host="test")

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error_message
    assert _versions(project) == [(0, ModelVersionKind.ZERO_SHOT, False), (1, ModelVersionKind.TRAINED, True)]
    assert ModelVersion.objects.get(project=project, number=1).lineage["comparison"]["active_version"] == 0
    assert TrainingJob.objects.count() == 1
