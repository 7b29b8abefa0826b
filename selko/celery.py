"""The Celery application: three work queues and the settings that keep jobs from being lost.

Queues: `ingest` (parse uploads), `predict` (tag requirements), `train` (fine-tune; GPU workers listen
only here) and `default` for small housekeeping tasks. A plain worker serves all of them.
"""

import os
from typing import Any

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selko.settings")

from django.conf import settings

from selko.workers.idle_exit import IdleExit

app = Celery("selko")
app.steps["worker"].add(IdleExit)
# By name: Celery loads it when it builds a worker, once Django is set up (it writes heartbeat rows).
app.steps["worker"].add("selko.workers.reporting:WorkerHeartbeatStep")

QUEUES = ("default", "ingest", "predict", "train")


def _broker_transport_options() -> dict[str, Any]:
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        # The embedded broker: producers and consumers on one host exchange messages through one folder.
        folder = settings.CELERY_FILESYSTEM_BROKER_DIR
        for sub in ("queue", "processed", "control"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        return {
            "data_folder_in": str(folder / "queue"),
            "data_folder_out": str(folder / "queue"),
            "processed_folder": str(folder / "processed"),
            "control_folder": str(folder / "control"),
            "store_processed": False,
        }
    return {"visibility_timeout": settings.CELERY_VISIBILITY_TIMEOUT_SECONDS}


app.conf.update(
    broker_url=settings.CELERY_BROKER_URL,
    broker_transport_options=_broker_transport_options(),
    broker_connection_retry_on_startup=True,
    task_always_eager=settings.CELERY_TASK_ALWAYS_EAGER,
    task_eager_propagates=True,
    # The database rows (documents, jobs) hold state and results; no result backend is needed.
    task_ignore_result=True,
    task_queues=[Queue(name) for name in QUEUES],
    task_default_queue="default",
    # Each task names its queue (`queue=` on the task); anything without one goes to `default`.
    # A message is acknowledged only after its task finished, and is redelivered if the worker dies.
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    # One message at a time per process: a long training must not hold other jobs hostage.
    worker_prefetch_multiplier=1,
    worker_hijack_root_logger=False,
    task_serializer="json",
    accept_content=["json"],
    timezone="UTC",
)
# Where the `tasks` modules are: each app's own, and those of models_app's nouns.
TASK_PACKAGES = ["documents", "models_app.registry", "models_app.exports", "training"]
app.autodiscover_tasks(TASK_PACKAGES)
