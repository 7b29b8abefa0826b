"""A stored model carries the figures its version shows, never the trainer's fit on its own rows as its
quality."""

import json
from typing import Any

import pytest
from rest_framework.test import APIClient

from models_app.registry.artifacts import artifact_local_dir
from models_app.registry.models import ModelVersion
from selko.tenancy.models import Project, Role
from tests.labeled_project import labeled_project_create
from training.ml.artifact import FIT_ON_TRAINING_ROWS
from training.models import JobStatus, TrainingJob
from training.runner import training_job_run

pytestmark = pytest.mark.django_db


def test_below_the_split_size_the_stored_metrics_are_the_versions_estimate_and_the_fit_is_named(
    project: Project, member_of: Any, training_settings: dict[str, str]
) -> None:
    # given 24 answered requirements: far below the validation split size
    labeled_project_create(project=project)
    admin = APIClient()
    admin.force_authenticate(member_of(project, Role.ADMIN))

    # when a retrain runs as the worker runs it
    job_id = admin.post(f"/api/v1/projects/{project.slug}/training-jobs/", {}).json()["job"]["id"]
    training_job_run(job_id=job_id, worker_host="test")

    # then the artifact's metrics.json holds the cross-validated figures the API shows
    assert TrainingJob.objects.get(pk=job_id).status == JobStatus.SUCCEEDED
    version = ModelVersion.objects.get(project=project, number=1)
    shown = admin.get(f"/api/v1/projects/{project.slug}/model-versions/1/").json()
    stored = json.loads((artifact_local_dir(prefix=version.artifact_path) / "metrics.json").read_text())
    fit = stored.pop(FIT_ON_TRAINING_ROWS)
    assert stored == version.metrics
    assert (stored["macro_f1"], stored["quality"]["summary"]) == (
        shown["macro_f1"],
        shown["quality"]["summary"],
    )
    assert stored["quality"]["method"] == "cross_validation"
    # and the trainer's figures on its own rows are there only under their explicit name
    assert fit["n_examples"] == 24 and "macro_f1" in fit
