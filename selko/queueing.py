"""The one way services queue work: a Celery task by name, sent once the current transaction commits.

Services name the task instead of importing it, because every `tasks.py` imports its app's services:
importing back would make a cycle. The task's own `queue=` routes it. A worker sees a row only after it
is committed, so the message must not leave earlier.
"""

import functools

from celery import Task
from django.db import transaction

from selko.celery import app


@functools.cache
def _tasks_registered() -> None:
    # What a worker does at start: import every `tasks` module that autodiscovery lists, so a web
    # process knows each task's options (its queue) and not only its name.
    app.loader.import_default_modules()


def task_by_name(name: str) -> Task:
    if name not in app.tasks:  # a worker has them all from its start
        _tasks_registered()
    return app.tasks[name]


def enqueue_after_commit(task_name: str, *ids: int) -> None:
    """Send `task_name(*ids)` after the surrounding transaction commits (at once outside one).
    An unknown name fails here, where the mistake is, not later in a commit hook."""
    task = task_by_name(task_name)
    transaction.on_commit(lambda: task.delay(*ids))
