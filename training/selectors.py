"""Reads of training jobs, scoped to a project the caller already resolved for the user."""

from django.db.models import QuerySet

from selko.errors import NotFound
from selko.tenancy.models import Project
from training.models import TrainingJob


def training_job_list(*, project: Project) -> QuerySet[TrainingJob]:
    return TrainingJob.objects.filter(project=project).select_related("triggered_by", "model_version")


def training_job_get(*, project: Project, job_id: int) -> TrainingJob:
    job = training_job_list(project=project).filter(pk=job_id).first()
    if job is None:
        raise NotFound(f"No training job {job_id} in this project.")
    return job


def training_job_latest(*, project: Project) -> TrainingJob | None:
    return training_job_list(project=project).first()
