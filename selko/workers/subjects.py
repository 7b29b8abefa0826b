"""Which project a queued task works for, from the task's own declaration.

A task names the model its first argument is the id of (`subject_model="training.TrainingJob"` on the
`@shared_task`; Celery keeps unknown options as task attributes). The foundation resolves it through
Django's app registry, so it needs no import of the apps above it.
"""

from dataclasses import dataclass
from typing import Any

from celery import Task
from django.apps import apps

from selko.queueing import task_by_name


@dataclass(frozen=True)
class TaskSubject:
    project_id: int | None
    subject: str  # "training job 12", "" when the task declares nothing


def task_subject(*, task_name: str, args: list[Any] | tuple[Any, ...]) -> TaskSubject:
    try:
        task: Task | None = task_by_name(task_name)
    except KeyError:
        task = None  # a task this code base no longer has
    return task_subject_of(task=task, args=args)


def task_subject_of(*, task: Task | None, args: list[Any] | tuple[Any, ...]) -> TaskSubject:
    """The same, for a task object at hand (a worker's running task)."""
    label = getattr(task, "subject_model", None)
    if not label or not args or not isinstance(args[0], int):
        return TaskSubject(project_id=None, subject="")
    model = apps.get_model(label)
    subject = f"{model._meta.verbose_name} {args[0]}"
    if label == "tenancy.Project":
        project_id = args[0] if model._default_manager.filter(pk=args[0]).exists() else None
    else:
        project_id = model._default_manager.filter(pk=args[0]).values_list("project_id", flat=True).first()
    return TaskSubject(project_id=project_id, subject=subject)
