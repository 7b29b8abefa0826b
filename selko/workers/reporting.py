"""Each worker reports itself: a heartbeat row every SELKO_WORKER_HEARTBEAT_SECONDS, and its failed tasks.

The heartbeat is a worker bootstep that runs a thread of the worker's main process, where Celery keeps
the requests it has received and started. A thread and not the worker's timer: in the solo pool (GPU
workers) a running task blocks the timer, and a training must not look like a dead worker. Celery loads
this module by name when it builds the worker (see selko/celery.py), after Django is set up.
"""

import logging
import os
import socket
import threading
from datetime import UTC, datetime
from typing import Any

from celery import bootsteps
from celery.signals import task_failure
from celery.worker import state
from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from selko.workers.device import device_describe
from selko.workers.services import (
    RunningTask,
    WorkerReport,
    task_failure_record,
    worker_heartbeat_record,
    worker_heartbeat_remove,
)

logger = logging.getLogger(__name__)


def _running_tasks() -> list[RunningTask]:
    running = []
    for request in list(state.active_requests):
        started = datetime.fromtimestamp(request.time_start, tz=UTC) if request.time_start else None
        running.append(
            RunningTask(name=request.name, id=request.id, args=list(request.args), started_at=started)
        )
    return running


class WorkerHeartbeatStep(bootsteps.StartStopStep):
    requires = ("celery.worker.components:Pool",)

    def __init__(self, parent: Any, **kwargs: Any) -> None:
        super().__init__(parent, **kwargs)
        self.stop_event = threading.Event()
        self.thread: threading.Thread | None = None
        self.report: WorkerReport | None = None

    def start(self, parent: Any) -> None:
        device = device_describe()
        self.report = WorkerReport(
            name=parent.hostname,
            host=socket.gethostname(),
            pid=os.getpid(),
            queues=sorted(parent.app.amqp.queues.consume_from),
            concurrency=parent.concurrency,
            pool=parent.pool_cls.__module__.rsplit(".", 1)[-1],
            device=device.name,
            device_memory_bytes=device.memory_bytes,
            started_at=timezone.now(),
            tasks_done=0,
        )
        self.thread = threading.Thread(target=self._beat, name="worker-heartbeat", daemon=True)
        self.thread.start()

    def stop(self, parent: Any) -> None:
        self.stop_event.set()
        if self.thread is not None:
            self.thread.join(timeout=10)
        if self.report is not None:
            try:
                worker_heartbeat_remove(name=self.report.name)
            except Exception:
                logger.exception("could not remove this worker's heartbeat row")
            finally:
                connection.close()

    def _beat(self) -> None:
        assert self.report is not None
        while True:
            running = _running_tasks()
            done = max(state.all_total_count[0] - len(running), 0)
            report = WorkerReport(**{**self.report.__dict__, "tasks_done": done})
            try:
                close_old_connections()
                worker_heartbeat_record(report=report, running=running)
            except Exception:
                logger.exception("could not record this worker's heartbeat")
                connection.close()
            if self.stop_event.wait(settings.SELKO_WORKER_HEARTBEAT_SECONDS):
                connection.close()
                return


@task_failure.connect
def record_task_failure(
    sender: Any = None, task_id: str = "", exception: BaseException | None = None, args: Any = (), **_: Any
) -> None:
    """Runs where the task ran (a pool process, or the worker itself in the solo pool)."""
    try:
        task_failure_record(
            task_name=getattr(sender, "name", "?"),
            task_id=task_id,
            worker_name=getattr(getattr(sender, "request", None), "hostname", "") or "",
            args=list(args or ()),
            reason=f"{type(exception).__name__}: {exception}" if exception else "unknown error",
        )
    except Exception:
        logger.exception("could not record the failure of task %s", task_id)
