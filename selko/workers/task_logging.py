"""A task's log context: set from its name, id and arguments when it starts, cleared when it ends.

Arguments are taken by parameter name (`job_id`, `document_id`, `model_version_id`, …), so a task needs no
code of its own to get them into its log lines; the project comes from the task's `subject_model`, the
same declaration the workers page reads. Connected in `WorkersConfig.ready`, so every worker process has
it whatever pool it runs.
"""

from __future__ import annotations

import inspect
import logging
from typing import Any

from celery import Task
from celery.signals import task_postrun, task_prerun
from django.db import DatabaseError

from selko.logs import CONTEXT_FIELDS, log_context_bind, log_context_clear
from selko.workers.subjects import task_subject_of

logger = logging.getLogger(__name__)


def task_log_fields(task: Task, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    try:
        bound = inspect.signature(task.run).bind_partial(*args, **kwargs)
    except (TypeError, ValueError):
        return fields  # arguments that no longer fit the task: it will fail and say so itself
    for name, value in bound.arguments.items():
        if name in CONTEXT_FIELDS and isinstance(value, int | str):
            fields[name] = value
    if "project_id" not in fields:
        try:
            fields["project_id"] = task_subject_of(task=task, args=args).project_id
        except DatabaseError:
            logger.warning("no project for the log context of %s: the database is unavailable", task.name)
    return fields


def _task_started(task_id: str, task: Task, args: tuple[Any, ...], kwargs: dict[str, Any], **_: Any) -> None:
    log_context_clear()
    log_context_bind(task=task.name, task_id=task_id, **task_log_fields(task, args or (), kwargs or {}))


def _task_finished(**_: Any) -> None:
    log_context_clear()


def task_logging_connect() -> None:
    task_prerun.connect(_task_started, weak=False, dispatch_uid="selko.task_log_context.start")
    task_postrun.connect(_task_finished, weak=False, dispatch_uid="selko.task_log_context.end")
