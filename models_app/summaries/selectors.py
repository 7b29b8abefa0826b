"""Reads: a document's gist (documents.summaries) with, per document and per top-level section, how many
requirements carry each label (a person's "yes" or the active model's suggestion)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet

from documents.models import Document
from documents.summaries.selectors import DocumentGist, Gist, document_gist, top_section
from models_app.annotations.models import Annotation
from models_app.registry.models import ModelVersion, Prediction
from models_app.registry.selectors import model_version_active
from models_app.taxonomy.selectors import taxonomy_get
from selko.tenancy.models import Project


@dataclass(frozen=True)
class LabelCount:
    label_id: int
    path: str
    requirements: int


@dataclass(frozen=True)
class TaggedGist:
    gist: Gist
    by_label: list[LabelCount]  # most requirements first


@dataclass(frozen=True)
class DocumentGistWithTags:
    document: TaggedGist
    sections: list[TaggedGist]
    model_version: int | None


def _tag_counts(
    *, project: Project, document: Document, version: ModelVersion | None
) -> Counter[tuple[int, str]]:
    """Requirements of the document carrying each label, by top-level section: a person's "yes" plus
    the active model's suggestions, less those that have both (each requirement counts once)."""
    of_document = {"requirement__document": document, "requirement__is_requirement": True}
    said_yes = Annotation.objects.filter(project=project, value=True, **of_document)
    counts: Counter[tuple[int, str]] = Counter()
    groups: list[tuple[QuerySet[Any], int]] = [(said_yes, 1)]
    if version is not None:
        suggested = Prediction.objects.filter(model_version=version, predicted=True, **of_document)
        # Driven from the answers (few) probing the predictions' unique index, not the other way round.
        also_suggested = Exists(
            Prediction.objects.filter(
                model_version=version,
                predicted=True,
                requirement=OuterRef("requirement"),
                label=OuterRef("label"),
            )
        )
        groups += [(suggested, 1), (said_yes.filter(also_suggested), -1)]
    for rows, sign in groups:
        for label_id, section, count in (
            rows.values("label_id", section=top_section("requirement__"))
            .annotate(n=Count("pk"))
            .values_list("label_id", "section", "n")
        ):
            counts[(label_id, section)] += sign * count
    return counts


def document_gist_with_tags(*, project: Project, document: Document) -> DocumentGistWithTags:
    gist: DocumentGist = document_gist(document=document)
    index = taxonomy_get(project=project)
    version = model_version_active(project=project)
    by_section = _tag_counts(project=project, document=document, version=version)
    whole: Counter[int] = Counter()
    for (label_id, _section), count in by_section.items():
        whole[label_id] += count

    def listed(counts: dict[int, int]) -> list[LabelCount]:
        found = [
            LabelCount(label_id, index.path_display(label_id), count)
            for label_id, count in counts.items()
            if label_id in index and count
        ]
        return sorted(found, key=lambda c: (-c.requirements, c.path))

    def in_section(section: str) -> dict[int, int]:
        return {label_id: count for (label_id, key), count in by_section.items() if key == section}

    return DocumentGistWithTags(
        document=TaggedGist(gist.document, listed(whole)),
        sections=[TaggedGist(section, listed(in_section(section.section))) for section in gist.sections],
        model_version=version.number if version else None,
    )
