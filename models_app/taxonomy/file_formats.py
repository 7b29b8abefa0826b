"""The taxonomy as text: YAML, JSON, or a plain list of paths (`Electrical > Power supply`).

YAML and JSON share one shape, which export writes and import reads back:

    labels:
      - name: Non-functional
        description: How well the system does it
        examples: [responds within 2 seconds, available 99.9% of the time]
        color: "#1f7a3f"
        children:
          - name: Performance

A bare list of labels is accepted too, and a child may be written as a plain string (just its name).
Any other key is refused (a typo such as `descripton` would otherwise lose the meaning silently).
"""

from __future__ import annotations

import json
from typing import Any, Literal

import yaml

from models_app.taxonomy.label_fields import (
    DESCRIPTION_MAX_LENGTH,
    MAX_DEPTH,
    MAX_LABELS_PER_PROJECT,
    LabelSpec,
)
from models_app.taxonomy.selectors import Taxonomy
from selko.errors import ValidationFailed

TaxonomyFormat = Literal["yaml", "json", "paths"]
FORMATS: tuple[TaxonomyFormat, ...] = ("yaml", "json", "paths")
MAX_IMPORT_CHARS = 1_000_000
CONTENT_TYPES = {"yaml": "application/yaml", "json": "application/json", "paths": "text/plain"}
EXTENSIONS = {"yaml": "yaml", "json": "json", "paths": "txt"}


def _refuse(message: str, where: str = "content") -> ValidationFailed:
    return ValidationFailed(f"The taxonomy cannot be read: {message}", details={where: [message]})


def _spec_from(node: Any, *, where: str, depth: int, counter: list[int]) -> LabelSpec:
    counter[0] += 1
    if counter[0] > MAX_LABELS_PER_PROJECT:
        raise _refuse(f"more than {MAX_LABELS_PER_PROJECT} labels.")
    if depth > MAX_DEPTH:
        raise _refuse(f"{where} is deeper than {MAX_DEPTH} levels.")
    if isinstance(node, str):
        return LabelSpec(name=node)
    if not isinstance(node, dict):
        raise _refuse(f"{where} should be a name or a mapping with 'name', not {type(node).__name__}.")
    unknown = set(node) - {"name", "description", "examples", "color", "colour", "children"}
    if unknown:
        raise _refuse(
            f"{where} has unknown keys: {', '.join(sorted(map(str, unknown)))} "
            "(known: name, description, examples, color, children)."
        )
    name = node.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _refuse(f"{where} has no name.")
    children = node.get("children") or []
    if not isinstance(children, list):
        raise _refuse(f"the children of '{name}' should be a list.")
    description = node.get("description") or ""
    color = node.get("color") or node.get("colour") or ""
    if not isinstance(description, str) or not isinstance(color, str):
        raise _refuse(f"the description and colour of '{name}' should be text.")
    if len(description.strip()) > DESCRIPTION_MAX_LENGTH:
        raise _refuse(
            f"the description of '{name}' has {len(description.strip())} characters; "
            f"at most {DESCRIPTION_MAX_LENGTH}."
        )
    examples = node.get("examples") or []
    if not isinstance(examples, list) or not all(isinstance(phrase, str) for phrase in examples):
        raise _refuse(f"the examples of '{name}' should be a list of texts.")
    return LabelSpec(
        name=name,
        description=description,
        color=color,
        examples=tuple(examples),
        children=tuple(
            _spec_from(child, where=f"'{name}' child {i + 1}", depth=depth + 1, counter=counter)
            for i, child in enumerate(children)
        ),
    )


def _specs_from_tree(data: Any) -> list[LabelSpec]:
    if isinstance(data, dict) and "labels" in data:
        data = data["labels"]
    if not isinstance(data, list):
        raise _refuse("expected a list of labels, or a mapping with a 'labels' list.")
    counter = [0]
    return [_spec_from(node, where=f"label {i + 1}", depth=1, counter=counter) for i, node in enumerate(data)]


def _specs_from_paths(text: str) -> list[LabelSpec]:
    # Build a nested dict keyed by lower-cased name so "Electrical" and "electrical" are one label.
    tree: dict[str, tuple[str, dict[str, Any]]] = {}
    count = 0
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = [" ".join(part.split()) for part in line.split(">")]
        if any(not part for part in parts):
            raise _refuse(f"line {number} has an empty level: '{line}'.")
        if len(parts) > MAX_DEPTH:
            raise _refuse(f"line {number} is deeper than {MAX_DEPTH} levels.")
        level = tree
        for part in parts:
            if part.lower() not in level:
                count += 1
                if count > MAX_LABELS_PER_PROJECT:
                    raise _refuse(f"more than {MAX_LABELS_PER_PROJECT} labels.")
                level[part.lower()] = (part, {})
            level = level[part.lower()][1]

    def build(level: dict[str, tuple[str, dict[str, Any]]]) -> list[LabelSpec]:
        return [LabelSpec(name=name, children=tuple(build(children))) for name, children in level.values()]

    return build(tree)


def taxonomy_parse(*, content: str, file_format: TaxonomyFormat) -> list[LabelSpec]:
    """Read labels from text; a malformed file is a `ValidationFailed` that says where."""
    if len(content) > MAX_IMPORT_CHARS:
        raise _refuse(f"the file is larger than {MAX_IMPORT_CHARS:,} characters.")
    if file_format == "paths":
        specs = _specs_from_paths(content)
    elif file_format == "json":
        try:
            data = json.loads(content)
        except json.JSONDecodeError as error:
            raise _refuse(f"invalid JSON at line {error.lineno}, column {error.colno}.") from None
        specs = _specs_from_tree(data)
    elif file_format == "yaml":
        try:
            data = yaml.safe_load(content)  # safe_load: a taxonomy file never builds Python objects
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f" at line {mark.line + 1}" if mark is not None else ""
            raise _refuse(f"invalid YAML{where}.") from None
        specs = _specs_from_tree(data)
    else:
        raise _refuse(f"unknown format '{file_format}': use one of {', '.join(FORMATS)}.", "file_format")
    if not specs:
        raise _refuse("no labels found.")
    return specs


def _tree_data(index: Taxonomy, parent_id: int | None) -> list[dict[str, Any]]:
    nodes = []
    for label in index.children(parent_id):
        node: dict[str, Any] = {"name": label.name}
        if label.description:
            node["description"] = label.description
        if label.examples:
            node["examples"] = list(label.examples)
        node["color"] = label.color
        children = _tree_data(index, label.pk)
        if children:
            node["children"] = children
        nodes.append(node)
    return nodes


def taxonomy_dump(*, index: Taxonomy, file_format: TaxonomyFormat) -> str:
    if file_format == "paths":
        return "".join(f"{row.path_display}\n" for row in index.rows())
    data = {"labels": _tree_data(index, None)}
    if file_format == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
