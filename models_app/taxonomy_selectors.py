"""Reads of a project's label tree, for a project the caller already resolved for the user.

A taxonomy is small (tens to a few thousand labels), so the tree is loaded in one query and walked in
Python: ancestors, descendants and paths then cost no further queries.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import QuerySet

from models_app.models import Label
from selko.errors import NotFound
from selko.tenancy.models import Project

PATH_SEPARATOR = " > "


@dataclass(frozen=True)
class LabelRow:
    """One label in depth-first order, with what a page or an export needs to show it."""

    label: Label
    depth: int
    path: tuple[str, ...]

    @property
    def id(self) -> int:
        return self.label.pk

    @property
    def path_display(self) -> str:
        return PATH_SEPARATOR.join(self.path)


class LabelIndex:
    """The whole tree of one project, indexed by id."""

    def __init__(self, labels: list[Label]) -> None:
        self.by_id: dict[int, Label] = {label.pk: label for label in labels}
        self.children: dict[int | None, list[Label]] = {}
        for label in sorted(labels, key=lambda item: (item.order, item.name.lower(), item.pk)):
            self.children.setdefault(label.parent_id, []).append(label)

    def __contains__(self, label_id: object) -> bool:
        return label_id in self.by_id

    def __len__(self) -> int:
        return len(self.by_id)

    def roots(self) -> list[Label]:
        return self.children.get(None, [])

    def ancestor_ids(self, label_id: int) -> list[int]:
        """Parent first, root last."""
        found: list[int] = []
        parent = self.by_id[label_id].parent_id
        while parent is not None and parent not in found:
            found.append(parent)
            parent = self.by_id[parent].parent_id
        return found

    def descendant_ids(self, label_id: int) -> list[int]:
        found: list[int] = []
        stack = [child.pk for child in self.children.get(label_id, [])]
        while stack:
            current = stack.pop()
            found.append(current)
            stack.extend(child.pk for child in self.children.get(current, []))
        return found

    def root_id(self, label_id: int) -> int:
        ancestors = self.ancestor_ids(label_id)
        return ancestors[-1] if ancestors else label_id

    def path(self, label_id: int) -> tuple[str, ...]:
        names = [self.by_id[label_id].name]
        names.extend(self.by_id[ancestor].name for ancestor in self.ancestor_ids(label_id))
        return tuple(reversed(names))

    def path_display(self, label_id: int) -> str:
        return PATH_SEPARATOR.join(self.path(label_id))

    def is_leaf(self, label_id: int) -> bool:
        return not self.children.get(label_id)

    def rows(self) -> Iterator[LabelRow]:
        """Depth-first, siblings by their order then name: the order every page shows the tree in."""

        def walk(parent_id: int | None, depth: int, prefix: tuple[str, ...]) -> Iterator[LabelRow]:
            for label in self.children.get(parent_id, []):
                path = (*prefix, label.name)
                yield LabelRow(label=label, depth=depth, path=path)
                yield from walk(label.pk, depth + 1, path)

        yield from walk(None, 0, ())


def label_list(*, project: Project) -> QuerySet[Label]:
    return Label.objects.filter(project=project)


def label_get(*, project: Project, label_id: int) -> Label:
    label = label_list(project=project).filter(pk=label_id).first()
    if label is None:
        raise NotFound(f"No label {label_id} in this project.")
    return label


def label_index(*, project: Project) -> LabelIndex:
    return LabelIndex(list(label_list(project=project)))


def label_rows(*, project: Project) -> list[LabelRow]:
    return list(label_index(project=project).rows())
