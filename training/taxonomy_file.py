"""A label tree with its meaning read from a taxonomy file (the product's own YAML/JSON format), for
`manage.py train_eval --taxonomy` and `bench/classify.py`: the same reader the Labels page imports with,
so a file that the product refuses is refused here too, with the same message."""

from __future__ import annotations

from pathlib import Path

from models_app.taxonomy.file_formats import TaxonomyFormat, taxonomy_parse
from models_app.taxonomy.label_fields import (
    LabelSpec,
    label_description_clean,
    label_examples_clean,
    label_name_clean,
)
from selko.errors import ValidationFailed
from training.ml.labels import PATH_SEPARATOR, LabelTree
from training.ml.meanings import LabelMeaning

_FORMATS: dict[str, TaxonomyFormat] = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}


def taxonomy_file_read(path: Path) -> tuple[LabelTree, dict[str, LabelMeaning]]:
    """The tree (keys are paths, "NFR > PE", as in `LabelTree.from_paths`) and each label's meaning.

    Raises `ValidationFailed` naming the problem: an unknown key, a description over the limit, …
    """
    path = Path(path)
    file_format = _FORMATS.get(path.suffix.lower())
    if file_format is None:
        raise ValidationFailed(f"Taxonomy file {path.name!r}: use a .yaml, .yml or .json file.")
    if not path.is_file():
        raise ValidationFailed(f"Taxonomy file {str(path)!r} does not exist.")
    try:
        return _tree_and_meanings(
            taxonomy_parse(content=path.read_text(encoding="utf-8"), file_format=file_format)
        )
    except ValidationFailed as error:
        raise ValidationFailed(f"{path.name}: {error}") from None


def _tree_and_meanings(specs: list[LabelSpec]) -> tuple[LabelTree, dict[str, LabelMeaning]]:
    parents: dict[str, str | None] = {}
    names: dict[str, str] = {}
    meanings: dict[str, LabelMeaning] = {}

    def add(spec: LabelSpec, parent: str | None) -> None:
        name = label_name_clean(spec.name)
        key = f"{parent}{PATH_SEPARATOR}{name}" if parent else name
        if key in parents:
            raise ValidationFailed(f"label {key!r} appears twice.")
        parents[key], names[key] = parent, name
        meanings[key] = LabelMeaning(
            description=label_description_clean(spec.description),
            examples=tuple(label_examples_clean(spec.examples)),
        )
        for child in spec.children:
            add(child, key)

    for spec in specs:
        add(spec, None)
    return LabelTree(parents=parents, names=names), meanings
