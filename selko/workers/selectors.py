"""Reads for the workers page and API: live workers, queue depths, recent failures, for an org admin.

Workers serve every organization of the installation, so any organization admin sees them all; what a
worker is running (which project, which job) and the failed tasks are shown only for projects in the
admin's own organizations.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from kombu.exceptions import ChannelError, OperationalError

from selko.celery import QUEUES
from selko.celery import app as celery_app
from selko.errors import PermissionDenied
from selko.request_types import AnyUser
from selko.tenancy.models import Membership, Project, Role
from selko.tenancy.selectors import project_list_for_user
from selko.workers.models import TaskFailure, WorkerHeartbeat

FAILURES_SHOWN = 20


@dataclass(frozen=True)
class CurrentTask:
    name: str
    id: str
    started_at: datetime | None
    project: Project | None  # None when the task has no project or the admin may not see it
    subject: str  # "training job 12"; "" unless the project is visible


@dataclass(frozen=True)
class WorkerView:
    name: str
    host: str
    pid: int
    queues: list[str]
    concurrency: int
    pool: str
    device: str
    device_memory_bytes: int | None
    started_at: datetime
    last_heartbeat_at: datetime
    uptime_seconds: int
    tasks_done: int
    current_tasks: list[CurrentTask] = field(default_factory=list)


@dataclass(frozen=True)
class WorkersOverview:
    workers: list[WorkerView]
    queue_depths: dict[str, int | None]  # None for every queue when the broker cannot be reached
    failures: list[TaskFailure]


def user_is_organization_admin(*, user: AnyUser) -> bool:
    return user.is_authenticated and Membership.objects.filter(user=user, role=Role.ADMIN).exists()


def queue_depths() -> dict[str, int | None]:
    """Messages waiting in each queue, asked of the broker (Redis list lengths, the broker's folder)."""
    depths: dict[str, int | None] = {}
    try:
        with celery_app.connection_for_read() as conn:
            conn.ensure_connection(max_retries=1)
            channel = conn.default_channel
            for name in QUEUES:
                try:
                    depths[name] = channel.queue_declare(queue=name, passive=True).message_count
                except ChannelError:
                    depths[name] = 0  # never declared: nothing was ever queued there
    except OperationalError:
        return dict.fromkeys(QUEUES)
    return depths


def live_workers() -> list[WorkerHeartbeat]:
    cutoff = timezone.now() - timedelta(seconds=settings.SELKO_WORKER_STALE_SECONDS)
    return list(WorkerHeartbeat.objects.filter(last_heartbeat_at__gte=cutoff))


def workers_overview_for_admin(*, user: AnyUser) -> WorkersOverview:
    if not user_is_organization_admin(user=user):
        raise PermissionDenied("Only organization admins see the workers.")
    visible = {project.pk: project for project in project_list_for_user(user=user)}
    now = timezone.now()
    workers = []
    for row in live_workers():
        current = []
        for task in row.current_tasks:
            project = visible.get(task.get("project_id") or 0)
            started = parse_datetime(task["started_at"]) if task.get("started_at") else None
            subject = task.get("subject", "") if project else ""
            current.append(
                CurrentTask(
                    name=task["name"], id=task["id"], started_at=started, project=project, subject=subject
                )
            )
        workers.append(
            WorkerView(
                name=row.name,
                host=row.host,
                pid=row.pid,
                queues=list(row.queues),
                concurrency=row.concurrency,
                pool=row.pool,
                device=row.device,
                device_memory_bytes=row.device_memory_bytes,
                started_at=row.started_at,
                last_heartbeat_at=row.last_heartbeat_at,
                uptime_seconds=int((now - row.started_at).total_seconds()),
                tasks_done=row.tasks_done,
                current_tasks=current,
            )
        )
    failures = list(
        TaskFailure.objects.filter(project_id__in=list(visible)).select_related("project")[:FAILURES_SHOWN]
    )
    return WorkersOverview(workers=workers, queue_depths=queue_depths(), failures=failures)
