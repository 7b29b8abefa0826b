"""The customer's label tree: each label has at most one parent, and a label implies all its ancestors."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from training.ml.errors import LabelTreeError, UnknownLabelError

PATH_SEPARATOR = " > "
# A path may be written "NFR > PE" (taxonomy files) or "cFE/ES" (component names in data sets).
_PATH_SPLIT = re.compile(r"\s*>\s*|\s*/\s*")


def split_path(value: str) -> list[str]:
    return [part for part in _PATH_SPLIT.split(value.strip()) if part]


@dataclass(frozen=True)
class LabelTree:
    """An immutable forest of labels.

    `keys` is topologically ordered (every parent before its children, otherwise in insertion order), so
    that one pass over it can propagate scores down or decisions up.
    """

    parents: Mapping[str, str | None]
    names: Mapping[str, str] = field(default_factory=dict)
    keys: tuple[str, ...] = field(init=False)
    _index: dict[str, int] = field(init=False, repr=False, compare=False)
    _children: dict[str | None, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for key, parent in self.parents.items():
            if not isinstance(key, str) or not key.strip():
                raise LabelTreeError(f"Label keys must be non-empty strings, got {key!r}.")
            if parent is not None and parent not in self.parents:
                raise LabelTreeError(f"Label {key!r} has parent {parent!r}, which is not in the tree.")
            if parent == key:
                raise LabelTreeError(f"Label {key!r} is its own parent.")
        object.__setattr__(self, "keys", self._topological_order())
        object.__setattr__(self, "_index", {key: i for i, key in enumerate(self.keys)})
        children: dict[str | None, list[str]] = {}
        for key in self.keys:
            children.setdefault(self.parents[key], []).append(key)
        object.__setattr__(self, "_children", {key: tuple(kids) for key, kids in children.items()})

    def _topological_order(self) -> tuple[str, ...]:
        children: dict[str | None, list[str]] = {}
        for key, parent in self.parents.items():
            children.setdefault(parent, []).append(key)
        order: list[str] = []
        stack = list(reversed(children.get(None, [])))
        while stack:
            key = stack.pop()
            order.append(key)
            stack.extend(reversed(children.get(key, [])))
        if len(order) != len(self.parents):
            in_cycle = sorted(set(self.parents) - set(order))
            raise LabelTreeError(f"The label tree has a cycle through: {', '.join(in_cycle)}.")
        return tuple(order)

    @classmethod
    def from_parents(cls, parents: Mapping[str, str | None]) -> LabelTree:
        return cls(parents=dict(parents))

    @classmethod
    def from_paths(cls, paths: Iterable[str]) -> LabelTree:
        """Build from paths such as "NFR > PE" or "cFE/ES"; every prefix becomes a label.

        The key of a label is its full path joined by " > " so that two labels with the same name under
        different parents stay distinct; its name is the last part.
        """
        parents: dict[str, str | None] = {}
        names: dict[str, str] = {}
        for raw in paths:
            parts = split_path(raw)
            if not parts:
                continue
            parent: str | None = None
            for depth in range(len(parts)):
                key = PATH_SEPARATOR.join(parts[: depth + 1])
                parents.setdefault(key, parent)
                names[key] = parts[depth]
                parent = key
        if not parents:
            raise LabelTreeError("The label tree is empty: no label paths were given.")
        return cls(parents=parents, names=names)

    def to_parents(self) -> dict[str, str | None]:
        return {key: self.parents[key] for key in self.keys}

    def __len__(self) -> int:
        return len(self.keys)

    def __contains__(self, key: object) -> bool:
        return key in self.parents

    def index(self, key: str) -> int:
        try:
            return self._index[key]
        except KeyError:
            raise UnknownLabelError(f"Unknown label {key!r}.") from None

    def name(self, key: str) -> str:
        return self.names.get(key, key)

    def parent(self, key: str) -> str | None:
        return self.parents[key]

    def ancestors(self, key: str) -> list[str]:
        """Nearest first."""
        result = []
        parent = self.parents[key]
        while parent is not None:
            result.append(parent)
            parent = self.parents[parent]
        return result

    def children(self, key: str | None) -> list[str]:
        """In the order the tree was given (for the roots, `key` None)."""
        return list(self._children.get(key, ()))

    def descendants(self, key: str) -> list[str]:
        """Depth-first, in topological order: the subtree below `key` as it appears in `keys`."""
        found: list[str] = []
        stack = list(reversed(self._children.get(key, ())))
        while stack:
            current = stack.pop()
            found.append(current)
            stack.extend(reversed(self._children.get(current, ())))
        return found

    def depth(self, key: str) -> int:
        return len(self.ancestors(key))

    def path(self, key: str) -> tuple[str, ...]:
        """Names from the root down to `key`."""
        return tuple(self.name(k) for k in reversed([key, *self.ancestors(key)]))

    def path_display(self, key: str) -> str:
        return PATH_SEPARATOR.join(self.path(key))

    @property
    def leaves(self) -> tuple[str, ...]:
        has_children = {p for p in self.parents.values() if p is not None}
        return tuple(k for k in self.keys if k not in has_children)

    def with_ancestors(self, keys: Iterable[str]) -> frozenset[str]:
        closed: set[str] = set()
        for key in keys:
            closed.add(key)
            closed.update(self.ancestors(key))
        return frozenset(closed)

    def with_descendants(self, keys: Iterable[str]) -> frozenset[str]:
        closed: set[str] = set()
        for key in keys:
            closed.add(key)
            closed.update(self.descendants(key))
        return frozenset(closed)

    def resolve(self, value: str) -> str:
        """The key for a label written as a key, a path ("NFR/PE", "NFR > PE") or an unambiguous name."""
        value = value.strip()
        if value in self.parents:
            return value
        path = PATH_SEPARATOR.join(split_path(value))
        if path in self.parents:
            return path
        by_name = [k for k in self.keys if self.name(k) == value]
        if len(by_name) == 1:
            return by_name[0]
        if len(by_name) > 1:
            raise UnknownLabelError(f"Label {value!r} is ambiguous: it matches {', '.join(by_name)}.")
        raise UnknownLabelError(f"Unknown label {value!r}: it is not in the label tree.")
