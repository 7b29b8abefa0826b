"""Writes of a project's label tree: create, rename, move, delete, import.

Every write takes the project's lock first (see `project_lock`), so the cycle check of a move and the
uniqueness check of a name look at a tree that nobody else is changing at the same time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max

from models_app.annotations.models import Annotation
from models_app.annotations.services import AnswerKey, answers_write
from models_app.taxonomy.label_fields import (
    MAX_DEPTH,
    MAX_LABELS_PER_PROJECT,
    PALETTE,
    LabelSpec,
    color_clean,
    label_description_clean,
    label_examples_clean,
    label_name_clean,
)
from models_app.taxonomy.models import Label
from models_app.taxonomy.selectors import Taxonomy, label_get, taxonomy_get
from selko.audit.services import audit_record
from selko.errors import Conflict, ValidationFailed
from selko.queueing import enqueue_after_commit
from selko.request_types import AnyUser
from selko.tenancy.locks import project_lock
from selko.tenancy.models import Project, Role
from selko.tenancy.services import require_role

# The registry's task that rebuilds the zero-shot version after names or meanings changed
# (models_app/registry/tasks.py); named, not imported: the registry reads the taxonomy.
ZERO_SHOT_TASK = "models_app.tasks.zero_shot_refresh"


@dataclass
class TaxonomyImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class LabelDeletion:
    labels: int
    annotations: int


def _require_editor(user: AnyUser, project: Project) -> None:
    require_role(user=user, project=project, minimum=Role.EDITOR, action="edit the taxonomy")


def _meaning_changed(project: Project) -> None:
    enqueue_after_commit(ZERO_SHOT_TASK, project.pk)


def _unknown_parent(parent_id: int) -> ValidationFailed:
    return ValidationFailed(
        f"No label {parent_id} in this project.", details={"parent": ["Not a label of this project."]}
    )


def _check_sibling_name(index: Taxonomy, *, parent_id: int | None, name: str, label_id: int | None) -> None:
    for sibling in index.children(parent_id):
        if sibling.pk != label_id and sibling.name.lower() == name.lower():
            where = f"under '{index.path_display(parent_id)}'" if parent_id else "at the top level"
            raise Conflict(
                f"A label named '{sibling.name}' already exists {where}.",
                details={"name": ["Already taken."]},
            )


def _next_order(project: Project, parent_id: int | None) -> int:
    highest = Label.objects.filter(project=project, parent_id=parent_id).aggregate(Max("order"))["order__max"]
    return 0 if highest is None else highest + 1


def _default_color(index: Taxonomy, parent_id: int | None) -> str:
    if parent_id is not None:
        return index.by_id[parent_id].color
    return PALETTE[len(index.roots()) % len(PALETTE)]


def _create(
    *,
    project: Project,
    index: Taxonomy,
    name: str,
    parent_id: int | None,
    description: str,
    color: str,
    examples: Sequence[str] = (),
) -> Label:
    if len(index) >= MAX_LABELS_PER_PROJECT:
        raise ValidationFailed(f"A taxonomy has at most {MAX_LABELS_PER_PROJECT} labels.")
    if parent_id is not None and len(index.ancestor_ids(parent_id)) + 2 > MAX_DEPTH:
        raise ValidationFailed(f"A taxonomy is at most {MAX_DEPTH} levels deep.")
    _check_sibling_name(index, parent_id=parent_id, name=name, label_id=None)
    label = Label.objects.create(
        project=project,
        parent_id=parent_id,
        name=name,
        description=label_description_clean(description),
        examples=label_examples_clean(examples),
        color=color_clean(color) if color else _default_color(index, parent_id),
        order=_next_order(project, parent_id),
    )
    index.add(label)
    return label


def label_create(
    *,
    user: AnyUser,
    project: Project,
    name: str,
    parent_id: int | None = None,
    description: str = "",
    color: str = "",
    examples: Sequence[str] = (),
) -> Label:
    _require_editor(user, project)
    name = label_name_clean(name)
    with transaction.atomic():
        project_lock(project=project)
        index = taxonomy_get(project=project)
        if parent_id is not None and parent_id not in index:
            raise _unknown_parent(parent_id)
        label = _create(
            project=project,
            index=index,
            name=name,
            parent_id=parent_id,
            description=description,
            color=color,
            examples=examples,
        )
        audit_record(
            actor=user,
            action="label.created",
            target=label,
            project=project,
            details={"path": index.path_display(label.pk)},
        )
        _meaning_changed(project)
    return label


def label_update(
    *,
    user: AnyUser,
    project: Project,
    label_id: int,
    name: str | None = None,
    description: str | None = None,
    color: str | None = None,
    examples: Sequence[str] | None = None,
) -> Label:
    """Rename, describe (description, example phrases) or recolour a label. Moving is `label_move`."""
    _require_editor(user, project)
    with transaction.atomic():
        project_lock(project=project)
        label = label_get(project=project, label_id=label_id)
        before = {
            "name": label.name,
            "description": label.description,
            "color": label.color,
            "examples": list(label.examples),
        }
        if name is not None:
            label.name = label_name_clean(name)
            _check_sibling_name(
                taxonomy_get(project=project), parent_id=label.parent_id, name=label.name, label_id=label.pk
            )
        if description is not None:
            label.description = label_description_clean(description)
        if examples is not None:
            label.examples = label_examples_clean(examples)
        if color is not None:
            label.color = color_clean(color)
        after = {
            "name": label.name,
            "description": label.description,
            "color": label.color,
            "examples": list(label.examples),
        }
        changed = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
        if changed:
            label.save(update_fields=["name", "description", "color", "examples"])
            audit_record(actor=user, action="label.updated", target=label, project=project, details=changed)
        if set(changed) - {"color"}:
            _meaning_changed(project)
    return label


def label_move(
    *, user: AnyUser, project: Project, label_id: int, parent_id: int | None, order: int | None = None
) -> Label:
    """Put a label under another parent (None: top level). Refuses cycles.

    Requirements answered "yes" to the label or one of its descendants become "yes" to the new
    ancestors too, so that the stored answers still follow the hierarchy after the move.
    """
    _require_editor(user, project)
    with transaction.atomic():
        project_lock(project=project)
        index = taxonomy_get(project=project)
        if label_id not in index:
            label_get(project=project, label_id=label_id)  # raises NotFound
        label = index.by_id[label_id]
        if parent_id is not None:
            if parent_id not in index:
                raise _unknown_parent(parent_id)
            if parent_id == label_id:
                raise ValidationFailed(
                    "A label cannot be its own parent.", details={"parent": ["Choose another label."]}
                )
            if parent_id in index.descendant_ids(label_id):
                raise ValidationFailed(
                    f"'{index.path_display(parent_id)}' is below '{label.name}': moving it there would "
                    "make a cycle.",
                    details={"parent": ["A label cannot move under its own descendant."]},
                )
            subtree_height = _height(index, label_id)
            if len(index.ancestor_ids(parent_id)) + 1 + subtree_height > MAX_DEPTH:
                raise ValidationFailed(f"A taxonomy is at most {MAX_DEPTH} levels deep.")
        old_path = index.path_display(label_id)
        moved = parent_id != label.parent_id
        if moved:
            _check_sibling_name(index, parent_id=parent_id, name=label.name, label_id=label.pk)
            label.parent_id = parent_id
            label.order = _next_order(project, parent_id) if order is None else order
        elif order is not None:
            label.order = order
        label.save(update_fields=["parent", "order"])
        if moved:
            fresh = taxonomy_get(project=project)
            result = _imply_new_ancestors(user=user, project=project, index=fresh, label_id=label_id)
            audit_record(
                actor=user,
                action="label.moved",
                target=label,
                project=project,
                details={
                    "from": old_path,
                    "to": fresh.path_display(label_id),
                    "answers_implied": result,
                },
            )
            _meaning_changed(project)  # a path is part of what the zero-shot model reads
    return label


@dataclass(frozen=True)
class LabelChanges:
    """What an edit asks for; None leaves a field as it is. `move` says whether `parent_id` was given
    (None then means the top level)."""

    name: str | None = None
    description: str | None = None
    color: str | None = None
    examples: tuple[str, ...] | None = None
    move: bool = False
    parent_id: int | None = None
    order: int | None = None


def label_edit(*, user: AnyUser, project: Project, label_id: int, changes: LabelChanges) -> Label:
    """Rename, describe, recolour and move a label in one transaction: all of it or nothing."""
    with transaction.atomic():
        label = label_get(project=project, label_id=label_id)
        fields = (changes.name, changes.description, changes.color, changes.examples)
        if any(value is not None for value in fields):
            label = label_update(
                user=user,
                project=project,
                label_id=label_id,
                name=changes.name,
                description=changes.description,
                color=changes.color,
                examples=changes.examples,
            )
        parent_id = changes.parent_id if changes.move else label.parent_id
        if parent_id != label.parent_id or changes.order is not None:
            label = label_move(
                user=user, project=project, label_id=label_id, parent_id=parent_id, order=changes.order
            )
    return label


def _height(index: Taxonomy, label_id: int) -> int:
    children = index.children(label_id)
    return 1 + max((_height(index, child.pk) for child in children), default=0)


def _imply_new_ancestors(*, user: AnyUser, project: Project, index: Taxonomy, label_id: int) -> int:
    subtree = [label_id, *index.descendant_ids(label_id)]
    ancestors = index.ancestor_ids(label_id)
    requirement_ids = set(
        Annotation.objects.filter(project=project, label_id__in=subtree, value=True).values_list(
            "requirement_id", flat=True
        )
    )
    wanted: dict[AnswerKey, bool | None] = {
        (requirement_id, ancestor): True for requirement_id in requirement_ids for ancestor in ancestors
    }
    result = answers_write(
        user=user,
        project=project,
        wanted=wanted,
        explicit=set(),
        action="annotations.implied_by_move",
        audit_details={"label": label_id},
    )
    return result.changed


def label_delete(*, user: AnyUser, project: Project, label_id: int, confirmed: bool = False) -> LabelDeletion:
    """Delete a label with its descendants and their answers. When answers would go, `confirmed` must
    say the caller has shown how many: otherwise it is refused with the counts."""
    _require_editor(user, project)
    with transaction.atomic():
        project_lock(project=project)
        index = taxonomy_get(project=project)
        if label_id not in index:
            label_get(project=project, label_id=label_id)  # raises NotFound
        subtree = [label_id, *index.descendant_ids(label_id)]
        annotations = Annotation.objects.filter(project=project, label_id__in=subtree).count()
        impact = LabelDeletion(labels=len(subtree), annotations=annotations)
        if annotations and not confirmed:
            raise Conflict(
                f"'{index.path_display(label_id)}' and its {len(subtree) - 1} sub-labels carry "
                f"{annotations} annotations that would be deleted with them. Confirm to delete.",
                details={"labels": impact.labels, "annotations": impact.annotations, "confirm": True},
            )
        label = index.by_id[label_id]
        audit_record(
            actor=user,
            action="label.deleted",
            target=label,
            project=project,
            details={
                "path": index.path_display(label_id),
                "labels": impact.labels,
                "annotations": annotations,
            },
        )
        Label.objects.filter(pk=label_id).delete()  # descendants, answers and predictions cascade
        _meaning_changed(project)
    return impact


def taxonomy_import(*, user: AnyUser, project: Project, specs: Sequence[LabelSpec]) -> TaxonomyImportResult:
    """Merge a tree into the project's taxonomy, matching labels by path (case-insensitively).

    Existing labels keep their answers; a description, example phrases or colour given for them
    replaces the old ones. Nothing is deleted, so importing the same file twice changes nothing the
    second time. A bad value anywhere (a description too long, a bad colour) refuses the whole file.
    """
    _require_editor(user, project)
    result = TaxonomyImportResult()
    with transaction.atomic():
        project_lock(project=project)
        index = taxonomy_get(project=project)

        def merge(spec: LabelSpec, parent_id: int | None) -> None:
            name = label_name_clean(spec.name)
            existing = next((s for s in index.children(parent_id) if s.name.lower() == name.lower()), None)
            if existing is None:
                label = _create(
                    project=project,
                    index=index,
                    name=name,
                    parent_id=parent_id,
                    description=spec.description,
                    color=spec.color,
                    examples=spec.examples,
                )
                result.created += 1
            else:
                label = existing
                fields = []
                description = label_description_clean(spec.description)
                if description and description != label.description:
                    label.description = description
                    fields.append("description")
                examples = label_examples_clean(spec.examples)
                if examples and examples != label.examples:
                    label.examples = examples
                    fields.append("examples")
                if spec.color and color_clean(spec.color) != label.color:
                    label.color = color_clean(spec.color)
                    fields.append("color")
                if fields:
                    label.save(update_fields=fields)
                    result.updated += 1
                else:
                    result.unchanged += 1
            for child in spec.children:
                merge(child, label.pk)

        for spec in specs:
            merge(spec, None)
        if result.created or result.updated:
            audit_record(
                actor=user,
                action="taxonomy.imported",
                target=project,
                project=project,
                details={"created": result.created, "updated": result.updated},
            )
            _meaning_changed(project)
    return result
