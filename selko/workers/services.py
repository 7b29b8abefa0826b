"""Writes of the workers' own reports: heartbeats (called by each worker) and failed tasks."""

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from selko.workers.models import TaskFailure, WorkDone, WorkerHeartbeat, WorkTotal
from selko.workers.subjects import task_subject

# Failures kept for the workers page: enough for "what went wrong lately", bounded for a busy system.
FAILURES_KEPT = 200
REASON_MAX_CHARS = 2000
# A worker's row is kept this long after its last heartbeat (the page hides it much sooner).
HEARTBEAT_ROWS_KEPT = timedelta(days=1)


@dataclass(frozen=True)
class RunningTask:
    name: str
    id: str
    args: list[Any]
    started_at: datetime | None


@dataclass(frozen=True)
class WorkerReport:
    name: str
    host: str
    pid: int
    queues: list[str]
    concurrency: int
    pool: str
    device: str
    device_memory_bytes: int | None
    started_at: datetime
    tasks_done: int


def worker_heartbeat_record(*, report: WorkerReport, running: list[RunningTask]) -> WorkerHeartbeat:
    """Upsert the worker's row with what it runs now; rows of workers gone for a day are dropped."""
    now = timezone.now()
    current = []
    for task in running:
        subject = task_subject(task_name=task.name, args=task.args)
        current.append(
            {
                "name": task.name,
                "id": task.id,
                "started_at": task.started_at.isoformat() if task.started_at else None,
                "project_id": subject.project_id,
                "subject": subject.subject,
            }
        )
    fields = asdict(report)
    name = fields.pop("name")
    heartbeat, _ = WorkerHeartbeat.objects.update_or_create(
        name=name, defaults={**fields, "last_heartbeat_at": now, "current_tasks": current}
    )
    WorkerHeartbeat.objects.filter(last_heartbeat_at__lt=now - HEARTBEAT_ROWS_KEPT).delete()
    return heartbeat


def worker_heartbeat_remove(*, name: str) -> None:
    """A worker that stops cleanly leaves the list at once instead of after the stale delay."""
    WorkerHeartbeat.objects.filter(name=name).delete()


def task_failure_record(
    *, task_name: str, task_id: str, worker_name: str, args: list[Any] | tuple[Any, ...], reason: str
) -> TaskFailure:
    subject = task_subject(task_name=task_name, args=args)
    with transaction.atomic():
        failure = TaskFailure.objects.create(
            task_name=task_name,
            task_id=task_id,
            worker_name=worker_name,
            project_id=subject.project_id,
            subject=subject.subject,
            reason=reason[:REASON_MAX_CHARS],
        )
        stale = TaskFailure.objects.values_list("id", flat=True)[FAILURES_KEPT:]
        TaskFailure.objects.filter(id__in=list(stale)).delete()
    return failure


def work_total_add(*, name: WorkDone, amount: int) -> None:
    """Add to a running total; call it inside the transaction that writes the work it counts."""
    if amount <= 0:
        return
    if not WorkTotal.objects.filter(name=name).update(value=F("value") + amount):
        WorkTotal.objects.get_or_create(name=name)  # the first time: another worker may create it too
        WorkTotal.objects.filter(name=name).update(value=F("value") + amount)
