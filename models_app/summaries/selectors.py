"""Reads: a document's gist (documents.summaries) with, per document and per top-level section, how many
requirements carry each label (a person's "yes" or the active model's suggestion): the stored counts
when they are current (models_app.summaries.models), else grouped queries over the rows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery

from documents.models import Document
from documents.summaries.counts import document_counts_stored, top_section
from documents.summaries.selectors import DocumentGist, Gist, document_gist
from models_app.annotations.models import Annotation
from models_app.registry.models import ModelVersion, Prediction
from models_app.registry.selectors import model_version_active
from models_app.summaries.models import DocumentTagCounts
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


def tag_counts_compute(
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


def _counts_if_current(
    stored: DocumentTagCounts | None, document: Document, version_id: int | None
) -> Counter[tuple[int, str]] | None:
    segments = document_counts_stored(document=document)
    if (
        stored is None
        or stored.model_version_id != version_id
        or stored.generation != (segments.generation if segments is not None else 0)
    ):
        return None
    return Counter(
        {
            (int(label_id), section): count
            for section, by_label in stored.counts.items()
            for label_id, count in by_label.items()
        }
    )


def tag_counts_stored(*, document: Document, version: ModelVersion | None) -> Counter[tuple[int, str]] | None:
    """The stored counts when they were computed for this active version and these segments, else None."""
    stored = DocumentTagCounts.objects.filter(document=document).first()
    return _counts_if_current(stored, document, version.pk if version is not None else None)


def tag_counts_stored_for_active_version(
    *, project: Project, document: Document
) -> tuple[int | None, Counter[tuple[int, str]]] | None:
    """(the active version's number, None without one; the stored counts) when the counts stored for the
    document are current (tag_counts_stored), else None: in one query, the active version read with the
    counts."""
    active = ModelVersion.objects.filter(project=project, is_active=True)
    stored = (
        DocumentTagCounts.objects.filter(document=document)
        .annotate(
            active_version_id=Subquery(active.values("pk")[:1]),
            active_version_number=Subquery(active.values("number")[:1]),
        )
        .first()
    )
    if stored is None:
        return None
    counts = _counts_if_current(stored, document, stored.active_version_id)  # type: ignore[attr-defined]
    return (stored.active_version_number, counts) if counts is not None else None  # type: ignore[attr-defined]


def document_gist_with_tags(*, project: Project, document: Document) -> DocumentGistWithTags:
    gist: DocumentGist = document_gist(document=document)
    index = taxonomy_get(project=project)
    stored = tag_counts_stored_for_active_version(project=project, document=document)
    if stored is not None:
        version_number, by_section = stored
    else:  # tagging under way, or segments changed since: counted from the rows
        version = model_version_active(project=project)
        version_number = version.number if version is not None else None
        by_section = tag_counts_compute(project=project, document=document, version=version)
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
        model_version=version_number,
    )
