"""Writes of people's yes/no answers (annotations), keeping them consistent with the label tree.

Rules, applied here and nowhere else (not in save() or signals):
- "yes" to a label is also "yes" to each of its ancestors;
- "no" to a label is also "no" to each of its descendants, stored as explicit negatives because
  multi-label training learns from them;
- clearing an answer (value None) also clears the answers of the label's descendants.
A request that contradicts itself once these rules are applied is refused as a whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from documents.models import Requirement
from documents.services.touch import requirements_touch
from models_app.annotations.models import Annotation
from models_app.summaries.services import tag_counts_answers_apply
from models_app.taxonomy.selectors import Taxonomy, taxonomy_get
from selko.audit.services import audit_record
from selko.errors import NotFound, ValidationFailed
from selko.request_types import AnyUser
from selko.tenancy.locks import project_lock
from selko.tenancy.models import Project, Role
from selko.tenancy.services import require_role

AnswerKey = tuple[int, int]  # (requirement id, label id)

MAX_ANNOTATIONS_PER_CALL = 1000


@dataclass(frozen=True)
class AnnotationInput:
    requirement_id: int
    label_id: int
    value: bool | None  # None clears the answer


@dataclass
class AnnotationWriteResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    # Answers written because the hierarchy implied them, beyond those asked for.
    implied: int = 0
    changes: list[tuple[int, int, bool | None, bool | None]] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.deleted


def _conflict(position: int, message: str) -> ValidationFailed:
    return ValidationFailed(
        "The annotations contradict each other once the label hierarchy is applied.",
        details={"items": {str(position): [message]}},
    )


def _closed_answers(
    *, index: Taxonomy, items: Sequence[AnnotationInput]
) -> tuple[dict[AnswerKey, bool | None], set[AnswerKey]]:
    explicit: dict[AnswerKey, bool | None] = {}
    position_of: dict[AnswerKey, int] = {}
    for position, item in enumerate(items):
        key = (item.requirement_id, item.label_id)
        if key in explicit and explicit[key] is not item.value:
            raise _conflict(position, f"Requirement {key[0]} and label {key[1]} are given two answers.")
        explicit[key] = item.value
        position_of.setdefault(key, position)

    wanted = dict(explicit)
    for (requirement_id, label_id), value in explicit.items():
        related = index.ancestor_ids(label_id) if value is True else index.descendant_ids(label_id)
        for other in related:
            key = (requirement_id, other)
            if key in wanted and wanted[key] is not value:
                raise _conflict(
                    position_of[(requirement_id, label_id)],
                    f"'{index.path_display(label_id)}' is answered {_word(value)}, which makes "
                    f"'{index.path_display(other)}' {_word(value)}, but it is answered {_word(wanted[key])}.",
                )
            wanted[key] = value
    return wanted, set(explicit)


def _word(value: bool | None) -> str:
    return {True: "yes", False: "no", None: "cleared"}[value]


def answers_write(
    *,
    user: AnyUser | None,
    project: Project,
    wanted: dict[AnswerKey, bool | None],
    explicit: set[AnswerKey],
    action: str = "annotations.changed",
    audit_details: dict[str, Any] | None = None,
) -> AnnotationWriteResult:
    """Make the stored answers equal `wanted`. Call inside a transaction holding `project_lock`."""
    result = AnnotationWriteResult()
    if not wanted:
        return result
    requirement_ids = {key[0] for key in wanted}
    label_ids = {key[1] for key in wanted}
    existing = {
        (row.requirement_id, row.label_id): row
        for row in Annotation.objects.select_for_update().filter(
            project=project, requirement_id__in=requirement_ids, label_id__in=label_ids
        )
    }
    author = user if user is not None and user.is_authenticated else None
    now = timezone.now()
    to_create: list[Annotation] = []
    to_update: list[Annotation] = []
    to_delete: list[int] = []
    for key, value in sorted(wanted.items()):
        row = existing.get(key)
        old = row.value if row is not None else None
        if old is value:
            result.unchanged += 1
            continue
        if key not in explicit:
            result.implied += 1
        result.changes.append((key[0], key[1], old, value))
        if value is None:
            assert row is not None
            to_delete.append(row.pk)
        elif row is None:
            to_create.append(
                Annotation(project=project, requirement_id=key[0], label_id=key[1], value=value, user=author)
            )
        else:
            row.value, row.user, row.updated_at = value, author, now
            to_update.append(row)
    if to_delete:
        Annotation.objects.filter(pk__in=to_delete).delete()
    Annotation.objects.bulk_create(to_create, batch_size=500)
    Annotation.objects.bulk_update(to_update, ["value", "user", "updated_at"], batch_size=500)
    result.created, result.updated, result.deleted = len(to_create), len(to_update), len(to_delete)
    if result.changed:
        changed_ids = {change[0] for change in result.changes}
        requirements_touch(requirements=Requirement.objects.filter(pk__in=changed_ids))
        tag_counts_answers_apply(project=project, changes=result.changes)
        audit_record(
            actor=user,
            action=action,
            target=project,
            project=project,
            details={
                **(audit_details or {}),
                "created": result.created,
                "updated": result.updated,
                "deleted": result.deleted,
                # Every change, as [requirement id, label id, old answer, new answer].
                "changes": [list(change) for change in result.changes],
            },
        )
    return result


def _validate_belongs(*, project: Project, index: Taxonomy, items: Sequence[AnnotationInput]) -> None:
    requirement_ids = {item.requirement_id for item in items}
    known = set(
        Requirement.objects.filter(project=project, pk__in=requirement_ids).values_list("pk", flat=True)
    )
    errors: dict[str, list[str]] = {}
    for position, item in enumerate(items):
        problems = []
        if item.requirement_id not in known:
            problems.append(f"No requirement {item.requirement_id} in this project.")
        if item.label_id not in index:
            problems.append(f"No label {item.label_id} in this project.")
        if problems:
            errors[str(position)] = problems
    if errors:
        raise ValidationFailed(
            f"{len(errors)} of {len(items)} annotations refer to requirements or labels outside this "
            "project; nothing was saved.",
            details={"items": errors},
        )


def annotations_upsert(
    *, user: AnyUser, project: Project, items: Sequence[AnnotationInput]
) -> AnnotationWriteResult:
    """Store answers, all or nothing. Repeating the same call changes nothing the second time."""
    require_role(user=user, project=project, minimum=Role.EDITOR, action="label requirements")
    if len(items) > MAX_ANNOTATIONS_PER_CALL:
        raise ValidationFailed(
            f"At most {MAX_ANNOTATIONS_PER_CALL} annotations per call; this one has {len(items)}.",
            details={"items": [f"Split the {len(items)} annotations into several calls."]},
        )
    with transaction.atomic():
        project_lock(project=project)
        index = taxonomy_get(project=project)
        _validate_belongs(project=project, index=index, items=items)
        wanted, explicit = _closed_answers(index=index, items=items)
        return answers_write(user=user, project=project, wanted=wanted, explicit=explicit)


def requirement_labels_set(
    *, user: AnyUser, project: Project, requirement_id: int, label_ids: Iterable[int]
) -> AnnotationWriteResult:
    """A complete answer for one requirement: the chosen labels (and their ancestors) are "yes", every
    other label of the taxonomy is an explicit "no". This is what saving in the labeling view does."""
    require_role(user=user, project=project, minimum=Role.EDITOR, action="label requirements")
    chosen = set(label_ids)
    with transaction.atomic():
        project_lock(project=project)
        index = taxonomy_get(project=project)
        if not Requirement.objects.filter(project=project, pk=requirement_id).exists():
            raise NotFound(f"No requirement {requirement_id} in this project.")
        items = [AnnotationInput(requirement_id, label_id, True) for label_id in sorted(chosen)]
        _validate_belongs(project=project, index=index, items=items)
        positive = set(chosen)
        for label_id in chosen:
            positive.update(index.ancestor_ids(label_id))
        wanted: dict[AnswerKey, bool | None] = {
            (requirement_id, label_id): label_id in positive for label_id in index.by_id
        }
        if not wanted:
            raise ValidationFailed("This project has no labels yet: create the taxonomy first.")
        return answers_write(
            user=user,
            project=project,
            wanted=wanted,
            explicit={(requirement_id, label_id) for label_id in chosen},
            audit_details={"requirement": requirement_id},
        )
