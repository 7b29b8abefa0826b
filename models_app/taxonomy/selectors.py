"""Reads of a project's label tree, for a project the caller already resolved for the user.

A taxonomy is small (tens to a few thousand labels), so the tree is loaded in one query and walked in
Python: ancestors, descendants and paths then cost no further queries.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import QuerySet

from models_app.taxonomy.models import Label
from selko.errors import NotFound
from selko.tenancy.models import Project
from training.ml.labels import PATH_SEPARATOR, LabelTree


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


def tree_key(label_id: int) -> str:
    """A label's key in the ML core's LabelTree (and in a model's metrics): its id as a string."""
    return str(label_id)


class Taxonomy:
    """A project's Label rows on one LabelTree: the rows give names, colours and order, the tree (the
    same class the ML core uses) every ancestor, descendant and path."""

    def __init__(self, labels: list[Label]) -> None:
        self.by_id: dict[int, Label] = {}
        self._tree: LabelTree | None = None
        for label in sorted(labels, key=lambda item: (item.order, item.name.lower(), item.pk)):
            self.by_id[label.pk] = label

    def add(self, label: Label) -> None:
        """A label created after loading (an import builds the tree level by level)."""
        self.by_id[label.pk] = label
        self._tree = None

    @property
    def tree(self) -> LabelTree:
        if self._tree is None:
            # Siblings keep the order of `by_id`: order, then name, then creation.
            self._tree = LabelTree(
                parents={
                    tree_key(pk): tree_key(label.parent_id) if label.parent_id is not None else None
                    for pk, label in self.by_id.items()
                },
                names={tree_key(pk): label.name for pk, label in self.by_id.items()},
            )
        return self._tree

    def __contains__(self, label_id: object) -> bool:
        return label_id in self.by_id

    def __len__(self) -> int:
        return len(self.by_id)

    def children(self, parent_id: int | None) -> list[Label]:
        key = tree_key(parent_id) if parent_id is not None else None
        if key is not None and key not in self.tree:
            return []
        return [self.by_id[int(child)] for child in self.tree.children(key)]

    def roots(self) -> list[Label]:
        return self.children(None)

    def ancestor_ids(self, label_id: int) -> list[int]:
        """Parent first, root last."""
        return [int(key) for key in self.tree.ancestors(tree_key(label_id))]

    def descendant_ids(self, label_id: int) -> list[int]:
        return [int(key) for key in self.tree.descendants(tree_key(label_id))]

    def root_id(self, label_id: int) -> int:
        ancestors = self.ancestor_ids(label_id)
        return ancestors[-1] if ancestors else label_id

    def path(self, label_id: int) -> tuple[str, ...]:
        return self.tree.path(tree_key(label_id))

    def path_display(self, label_id: int) -> str:
        return self.tree.path_display(tree_key(label_id))

    def is_leaf(self, label_id: int) -> bool:
        return not self.tree.children(tree_key(label_id))

    def rows(self) -> Iterator[LabelRow]:
        """Depth-first, siblings by their order then name: the order every page shows the tree in."""
        for key in self.tree.keys:
            yield LabelRow(label=self.by_id[int(key)], depth=self.tree.depth(key), path=self.tree.path(key))

    def names_by_key(self) -> dict[str, str]:
        """Tree key -> readable path ("NFR > Performance"), as metrics and comparisons show labels."""
        return {key: self.tree.path_display(key) for key in self.tree.keys}


def label_list(*, project: Project) -> QuerySet[Label]:
    return Label.objects.filter(project=project)


def label_get(*, project: Project, label_id: int) -> Label:
    label = label_list(project=project).filter(pk=label_id).first()
    if label is None:
        raise NotFound(f"No label {label_id} in this project.")
    return label


def taxonomy_get(*, project: Project) -> Taxonomy:
    return Taxonomy(list(label_list(project=project)))


def label_rows(*, project: Project) -> list[LabelRow]:
    return list(taxonomy_get(project=project).rows())
