"""What a label may hold: the limits and the cleaning of each field, and the shape of a label to
import. Shared by the services, the file formats and the starter trees; no database here."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from selko.errors import ValidationFailed
from training.ml.labels import PATH_SEPARATOR

MAX_LABELS_PER_PROJECT = 2000
MAX_DEPTH = 8
NAME_MAX_LENGTH = 120
# A description is a sentence or two of meaning, not a specification: long texts dilute what the
# zero-shot model reads from it.
DESCRIPTION_MAX_LENGTH = 1000
MAX_EXAMPLE_PHRASES = 20
EXAMPLE_MAX_LENGTH = 300
COLOR_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}$")
# Distinct, readable on white; a new root label takes the next one so neighbours differ.
PALETTE = ("#2457c5", "#1f7a3f", "#b42318", "#9a6700", "#6941c6", "#0e7490", "#c2410c", "#4d5b7c")


@dataclass(frozen=True)
class LabelSpec:
    """A label to import, with its children: what YAML, JSON, path lists and templates turn into."""

    name: str
    description: str = ""
    color: str = ""
    examples: tuple[str, ...] = ()
    children: tuple[LabelSpec, ...] = field(default_factory=tuple)


def label_name_clean(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValidationFailed("A label needs a name.", details={"name": ["This field is required."]})
    if len(cleaned) > NAME_MAX_LENGTH:
        raise ValidationFailed(
            f"A label name has at most {NAME_MAX_LENGTH} characters.",
            details={"name": [f"At most {NAME_MAX_LENGTH} characters."]},
        )
    if PATH_SEPARATOR.strip() in cleaned:
        # ">" separates levels in paths (imports, exports, filters); inside a name it would be ambiguous.
        raise ValidationFailed(
            "A label name cannot contain '>'.", details={"name": ["'>' separates levels in label paths."]}
        )
    return cleaned


def label_description_clean(description: str) -> str:
    cleaned = description.strip()
    if len(cleaned) > DESCRIPTION_MAX_LENGTH:
        raise ValidationFailed(
            f"A label description has at most {DESCRIPTION_MAX_LENGTH} characters "
            f"(this one has {len(cleaned)}).",
            details={"description": [f"At most {DESCRIPTION_MAX_LENGTH} characters."]},
        )
    return cleaned


def label_examples_clean(examples: Sequence[str]) -> list[str]:
    """Example phrases, trimmed, blanks and repeats (ignoring case) dropped, order kept."""
    if isinstance(examples, str) or not all(isinstance(phrase, str) for phrase in examples):
        raise ValidationFailed(
            "Example phrases are a list of texts.", details={"examples": ["A list of texts."]}
        )
    cleaned: list[str] = []
    for phrase in examples:
        phrase = " ".join(phrase.split())
        if not phrase or phrase.lower() in {seen.lower() for seen in cleaned}:
            continue
        if len(phrase) > EXAMPLE_MAX_LENGTH:
            raise ValidationFailed(
                f"An example phrase has at most {EXAMPLE_MAX_LENGTH} characters: '{phrase[:40]}…'.",
                details={"examples": [f"At most {EXAMPLE_MAX_LENGTH} characters each."]},
            )
        cleaned.append(phrase)
    if len(cleaned) > MAX_EXAMPLE_PHRASES:
        raise ValidationFailed(
            f"A label has at most {MAX_EXAMPLE_PHRASES} example phrases (got {len(cleaned)}).",
            details={"examples": [f"At most {MAX_EXAMPLE_PHRASES} phrases."]},
        )
    return cleaned


def color_clean(color: str) -> str:
    color = color.strip()
    if not COLOR_PATTERN.match(color):
        raise ValidationFailed(
            f"'{color}' is not a colour: use #rrggbb.", details={"color": ["Use #rrggbb, e.g. #2457c5."]}
        )
    return color.lower()
