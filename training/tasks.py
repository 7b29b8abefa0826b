"""Celery tasks of the `train` queue, and the worker-side watchdog for jobs whose worker died."""

import logging
import os
import socket
import threading
from typing import Any

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings
from django.db import connection

from training.services import training_jobs_recover_lost

logger = logging.getLogger(__name__)


@shared_task(
    name="training.tasks.train",
    queue="train",
    acks_late=True,
    reject_on_worker_lost=True,
    subject_model="training.TrainingJob",  # the workers page names the job and its project
)
def train_job_task(job_id: int) -> None:
    # Lazy on purpose: the runner brings torch and transformers, and web processes load this module
    # only to queue work (selko.queueing registers every task by name).
    from training.runner import training_job_run

    training_job_run(job_id=job_id, worker_host=f"{socket.gethostname()} (pid {os.getpid()})")


def _watch_lost_jobs(stop: threading.Event) -> None:
    while True:
        try:
            training_jobs_recover_lost()
        except Exception:
            logger.exception("could not check for training jobs with a lost worker")
        finally:
            connection.close()
        if stop.wait(settings.SELKO_JOB_SWEEP_SECONDS):
            return


_watchdog_stop = threading.Event()


@worker_ready.connect
def start_lost_job_watchdog(**_: Any) -> None:
    """Every worker checks for silent jobs at start-up and then periodically, so no job stays `running`."""
    threading.Thread(
        target=_watch_lost_jobs, args=(_watchdog_stop,), name="lost-job-watchdog", daemon=True
    ).start()
