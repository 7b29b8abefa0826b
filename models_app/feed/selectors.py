"""The BI feed: a project's requirements as rows with fixed columns, whole or changed since a time.

The columns never depend on the project's taxonomy (unlike the export's one column group per top-level
label), so a report built on the feed keeps working when labels are added or renamed: tags are the paths
of the deepest labels, joined with "; " in CSV and as lists in JSON. Rows are keyed by `requirement_id`;
`updated_since` returns the rows whose `updated_at` is at or after it (the row, people's answers, the
active model's tags or the quality score changed), so a refresh that overlaps the previous one is harmless.
Deleted requirements do not appear in an incremental refresh; a periodic full refresh drops them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from documents.models import Requirement
from models_app.annotations.models import Annotation
from models_app.exports.rendering import BATCH_SIZE, ExportOptions, export_requirements
from models_app.registry.models import ModelVersion, Prediction
from models_app.registry.selectors import model_version_active
from models_app.taxonomy.selectors import Taxonomy, taxonomy_get
from selko.tenancy.models import Project

# Appended to, never reordered or renamed: reports refer to columns by name and some tools by position.
FEED_COLUMNS = (
    "requirement_id",
    "document_id",
    "document",
    "section",
    "external_id",
    "order",
    "kind",
    "obligation",
    "text",
    "page",
    "sheet",
    "row",
    "column",
    "quality_score",
    "labeled",
    "human_tags",
    "predicted_tags",
    "predicted_scores",
    "model_version",
    "updated_at",
)
SCORE_DECIMALS = 4


@dataclass(frozen=True)
class FeedQuery:
    updated_since: datetime.datetime | None = None
    include_informative: bool = False


def _deepest(index: Taxonomy, label_ids: set[int]) -> list[int]:
    """The chosen labels that have no chosen descendant: their paths imply the others."""
    known = {label_id for label_id in label_ids if label_id in index}
    deepest = [label_id for label_id in known if not known.intersection(index.descendant_ids(label_id))]
    return sorted(deepest, key=index.path_display)


def feed_requirements(*, project: Project, query: FeedQuery) -> QuerySet[Requirement]:
    requirements = export_requirements(
        project=project, options=ExportOptions(include_informative=query.include_informative)
    )
    if query.updated_since is not None:
        requirements = requirements.filter(updated_at__gte=query.updated_since)
    return requirements.select_related("document", "quality").order_by(
        "document__name", "document_id", "order", "pk"
    )


def feed_rows(*, project: Project, query: FeedQuery) -> Iterator[dict[str, Any]]:
    """One dict per requirement with the keys of `FEED_COLUMNS`, read in bounded batches."""
    index = taxonomy_get(project=project)
    version = model_version_active(project=project)
    batch: list[Requirement] = []
    for requirement in feed_requirements(project=project, query=query).iterator(chunk_size=BATCH_SIZE):
        batch.append(requirement)
        if len(batch) == BATCH_SIZE:
            yield from _batch_rows(project, index, version, batch)
            batch = []
    if batch:
        yield from _batch_rows(project, index, version, batch)


def _batch_rows(
    project: Project, index: Taxonomy, version: ModelVersion | None, batch: list[Requirement]
) -> Iterator[dict[str, Any]]:
    ids = [requirement.pk for requirement in batch]
    positives: dict[int, set[int]] = defaultdict(set)
    answered: set[int] = set()
    for requirement_id, label_id, value in Annotation.objects.filter(
        project=project, requirement_id__in=ids
    ).values_list("requirement_id", "label_id", "value"):
        answered.add(requirement_id)
        if value:
            positives[requirement_id].add(label_id)
    scores: dict[int, dict[int, float]] = defaultdict(dict)
    predicted: dict[int, set[int]] = defaultdict(set)
    if version is not None:
        for requirement_id, label_id, score, is_predicted in Prediction.objects.filter(
            project=project, model_version=version, requirement_id__in=ids
        ).values_list("requirement_id", "label_id", "score", "predicted"):
            scores[requirement_id][label_id] = score
            if is_predicted:
                predicted[requirement_id].add(label_id)
    for requirement in batch:
        quality = getattr(requirement, "quality", None)
        scored = requirement.pk in scores
        tags = _deepest(index, predicted[requirement.pk])
        yield {
            "requirement_id": requirement.pk,
            "document_id": requirement.document_id,
            "document": requirement.document.name,
            "section": requirement.section_display,
            "external_id": requirement.external_id,
            "order": requirement.order,
            "kind": "requirement" if requirement.is_requirement else "informative",
            "obligation": requirement.obligation,
            "text": requirement.text,
            "page": requirement.page,
            "sheet": requirement.sheet,
            "row": requirement.row,
            "column": requirement.column,
            "quality_score": quality.score if quality is not None else None,
            "labeled": requirement.pk in answered,
            "human_tags": [
                index.path_display(label_id) for label_id in _deepest(index, positives[requirement.pk])
            ],
            "predicted_tags": [index.path_display(label_id) for label_id in tags],
            "predicted_scores": {
                index.path_display(label_id): round(scores[requirement.pk][label_id], SCORE_DECIMALS)
                for label_id in tags
            },
            "model_version": f"v{version.number}" if version is not None and scored else "",
            "updated_at": requirement.updated_at,
        }
