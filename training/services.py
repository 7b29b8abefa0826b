"""Training job writes: request, cancel, claim by a worker, finish, and recover from lost workers."""

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from models_app.registry.encoders import encoder_for_project
from models_app.registry.models import ModelVersion
from models_app.registry.selectors import model_settings_for_project
from selko.audit.services import audit_record
from selko.errors import Conflict, ValidationFailed
from selko.queueing import enqueue_after_commit
from selko.request_types import AnyUser
from selko.tenancy.models import Project, Role
from selko.tenancy.services import require_role
from training.models import ACTIVE_JOB_STATUSES, JobStatus, TrainingJob
from training.plan import TrainingPlan, training_plan_from_content
from training.snapshots import snapshot_content_collect

logger = logging.getLogger(__name__)
# The `train` queue's task (training/tasks.py), which GPU workers listen for.
TRAIN_TASK = "training.tasks.train"
WORKER_LOST_MESSAGE = (
    "The worker running this training stopped {n} times (worker lost: machine restarted, out of memory or "
    "killed). Try again; if it keeps happening, ask your administrator to check the training workers."
)


@dataclass(frozen=True)
class TrainingRequest:
    job: TrainingJob | None
    created: bool
    plan: TrainingPlan
    offered_version: ModelVersion | None = None


def training_config_for_project(*, project: Project) -> dict[str, Any]:
    """The hyperparameters a job records; equal configs on equal data give the same model."""
    model_settings = model_settings_for_project(project=project)
    epochs = model_settings.epochs or settings.SELKO_TRAIN_EPOCHS or None
    encoder = encoder_for_project(project=project)
    return {
        "base_model": encoder.name,
        "base_model_path": str(encoder.path) if encoder.path else None,
        "epochs": epochs,
        "seed": settings.SELKO_TRAIN_SEED,
        "min_positive_examples": settings.SELKO_MIN_EXAMPLES_PER_LABEL,
    }


def training_job_request(*, user: AnyUser, project: Project, force: bool = False) -> TrainingRequest:
    """Queue a training, or return the one already queued/running, or offer an identical earlier model."""
    require_role(user=user, project=project, minimum=Role.EDITOR, action="retrain the model")
    content = snapshot_content_collect(project=project)
    plan = training_plan_from_content(content=content)
    running = TrainingJob.objects.filter(project=project, status__in=ACTIVE_JOB_STATUSES).first()
    if running is not None:
        return TrainingRequest(job=running, created=False, plan=plan)
    if not plan.ready:
        raise ValidationFailed(
            plan.summary(),
            details={
                "below_minimum": [
                    {"label_id": r.label_id, "name": r.path, "positives": r.positives, "missing": r.needed}
                    for r in plan.below_minimum
                ]
            },
        )
    config = training_config_for_project(project=project)
    if not force:
        twin = (
            TrainingJob.objects.filter(
                project=project,
                status=JobStatus.SUCCEEDED,
                snapshot__sha256=content.sha256(),
                config=config,
                model_version__isnull=False,
            )
            .select_related("model_version")
            .first()
        )
        if twin is not None and twin.model_version is not None:
            return TrainingRequest(job=twin, created=False, plan=plan, offered_version=twin.model_version)
    try:
        with transaction.atomic():
            job = TrainingJob.objects.create(
                project=project,
                config=config,
                triggered_by=user if user.is_authenticated else None,
                phase="queued",
                log_lines=[f"{timezone.now():%H:%M:%S} Queued by {user.get_username()}. {plan.summary()}"],
            )
            audit_record(actor=user, action="training_job.requested", target=job, project=project)
            enqueue_after_commit(TRAIN_TASK, job.pk)
    except IntegrityError:
        # Another request queued one a moment ago: the database allows one active job per project.
        running = TrainingJob.objects.filter(project=project, status__in=ACTIVE_JOB_STATUSES).first()
        return TrainingRequest(job=running, created=False, plan=plan)
    return TrainingRequest(job=job, created=True, plan=plan)


def training_job_cancel(*, user: AnyUser, job: TrainingJob) -> TrainingJob:
    require_role(user=user, project=job.project, minimum=Role.EDITOR, action="cancel a training")
    with transaction.atomic():
        job = TrainingJob.objects.select_for_update().get(pk=job.pk)
        if job.status == JobStatus.QUEUED:
            job.status = JobStatus.CANCELLED
            job.finished_at = timezone.now()
            job.phase = "cancelled"
            job.outcome = "Cancelled before it started."
        elif job.status == JobStatus.RUNNING:
            job.cancel_requested = True  # the trainer checks this between steps and stops within seconds
        else:
            raise Conflict(f"This training already ended ({job.get_status_display().lower()}).")
        job.save()
        audit_record(actor=user, action="training_job.cancel_requested", target=job, project=job.project)
    return job


def _stale_after() -> timedelta:
    return timedelta(seconds=settings.SELKO_JOB_STALE_SECONDS)


def training_job_claim(*, job_id: int, worker_host: str) -> TrainingJob | None:
    """Take a job for this worker, or None when there is nothing to do (ended, or alive elsewhere).

    Every start counts as an attempt; a job started more than 1 + CELERY_MAX_REDELIVERIES times has
    lost its worker too often and fails instead of looping forever.
    """
    with transaction.atomic():
        job = TrainingJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status not in ACTIVE_JOB_STATUSES:
            return None
        now = timezone.now()
        if job.status == JobStatus.RUNNING and job.heartbeat_at and now - job.heartbeat_at <= _stale_after():
            return None  # a live worker has it; this is a duplicate delivery
        if job.cancel_requested:
            _finish(job, JobStatus.CANCELLED, outcome="Cancelled.")
            return None
        if job.attempts >= 1 + settings.CELERY_MAX_REDELIVERIES:
            _finish(job, JobStatus.FAILED, error=WORKER_LOST_MESSAGE.format(n=job.attempts))
            return None
        job.status = JobStatus.RUNNING
        job.attempts += 1
        job.worker_host = worker_host
        job.started_at = job.started_at or now
        job.heartbeat_at = now
        job.phase = "starting"
        job.log_lines = [*job.log_lines, f"{now:%H:%M:%S} Attempt {job.attempts} started on {worker_host}."]
        job.save()
        return job


def _finish(job: TrainingJob, status: JobStatus, *, outcome: str = "", error: str = "") -> None:
    job.status = status
    job.finished_at = timezone.now()
    job.phase = str(status.label).lower()
    job.outcome = outcome or job.outcome
    job.error_message = error
    if status == JobStatus.SUCCEEDED:
        job.progress = 100.0
    job.log_lines = [*job.log_lines, f"{job.finished_at:%H:%M:%S} {error or outcome or job.phase}"][-500:]
    job.save()


def training_job_finish(
    *, job_id: int, status: JobStatus, outcome: str = "", error: str = "", version: ModelVersion | None = None
) -> None:
    with transaction.atomic():
        job = TrainingJob.objects.select_for_update().get(pk=job_id)
        if version is not None:
            job.model_version = version
        _finish(job, status, outcome=outcome, error=error)


def training_jobs_recover_lost() -> list[int]:
    """Requeue running jobs whose heartbeat went silent, or fail them once the cap is reached."""
    cutoff = timezone.now() - _stale_after()
    recovered = []
    for job_id in TrainingJob.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=cutoff).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            job = TrainingJob.objects.select_for_update().get(pk=job_id)
            if job.status != JobStatus.RUNNING or (job.heartbeat_at and job.heartbeat_at >= cutoff):
                continue
            if job.attempts >= 1 + settings.CELERY_MAX_REDELIVERIES:
                _finish(job, JobStatus.FAILED, error=WORKER_LOST_MESSAGE.format(n=job.attempts))
                logger.warning("training job %s failed: worker lost %s times", job.pk, job.attempts)
            else:
                job.status = JobStatus.QUEUED
                job.phase = "requeued: worker lost"
                job.log_lines = [
                    *job.log_lines,
                    f"{timezone.now():%H:%M:%S} Worker {job.worker_host} stopped answering; requeued.",
                ]
                job.save()
                enqueue_after_commit(TRAIN_TASK, job.pk)
                logger.warning("training job %s requeued after its worker was lost", job.pk)
            recovered.append(job.pk)
    return recovered
