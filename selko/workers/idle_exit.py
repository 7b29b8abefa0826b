"""Idle shutdown: a worker started with `SELKO_WORKER_IDLE_EXIT_SECONDS=N` stops itself after N seconds
without a task, so that the machine or container running only that worker can stop costing.

It is a worker bootstep with a timer on the worker's own clock. The stop is Celery's warm shutdown (the
same flag its SIGTERM handler sets): the consumer stops taking messages, a task still running finishes
and is acknowledged, and the process exits 0. A bootstep and not a thread of our own, so the check runs
in the worker's main process, where the consumer keeps the requests it has received and started.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from celery import bootsteps
from celery.platforms import EX_OK
from celery.signals import task_postrun, task_received
from celery.worker import state
from django.conf import settings

logger = logging.getLogger(__name__)

CHECK_INTERVAL_SECONDS = 1.0


class IdleClock:
    """When the worker last had work: received, reserved, running or just finished a task."""

    def __init__(self) -> None:
        self.last_busy = time.monotonic()

    def touch(self) -> None:
        self.last_busy = time.monotonic()

    def idle_for(self) -> float:
        # Requests the consumer received and has not seen finish: waiting in the pool or running in it.
        if state.reserved_requests or state.active_requests:
            self.touch()
        return time.monotonic() - self.last_busy


clock = IdleClock()


@task_received.connect
def _on_task_received(**_: Any) -> None:
    clock.touch()


@task_postrun.connect
def _on_task_postrun(**_: Any) -> None:
    # In the solo pool the task runs in the main process and blocks the timer: the clock restarts when
    # the task ends, not when it was received. In prefork this runs in the child and changes nothing.
    clock.touch()


class IdleExit(bootsteps.StartStopStep):
    """Warm-shuts the worker down after `SELKO_WORKER_IDLE_EXIT_SECONDS` without a task (0: never)."""

    requires = ("celery.worker.components:Timer",)

    def __init__(self, parent: Any, **kwargs: Any) -> None:
        super().__init__(parent, **kwargs)
        self.idle_seconds: int = settings.SELKO_WORKER_IDLE_EXIT_SECONDS
        self.timer_entry: Any = None

    def include_if(self, parent: Any) -> bool:
        return self.idle_seconds > 0

    def start(self, parent: Any) -> None:
        clock.touch()
        logger.info("idle shutdown: this worker stops after %s s without a task", self.idle_seconds)
        self.timer_entry = parent.timer.call_repeatedly(CHECK_INTERVAL_SECONDS, self.check, priority=10)

    def stop(self, parent: Any) -> None:
        if self.timer_entry is not None:
            self.timer_entry.cancel()
            self.timer_entry = None

    def check(self) -> None:
        idle = clock.idle_for()
        if idle < self.idle_seconds or self.timer_entry is None:
            return
        logger.info("idle shutdown: no task for %.0f s, stopping (warm shutdown, exit code 0)", idle)
        self.timer_entry.cancel()
        self.timer_entry = None
        state.should_stop = EX_OK
