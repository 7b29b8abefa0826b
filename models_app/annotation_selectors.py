"""Reads of annotations and of what they are worth for training, for a project already resolved."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from documents.models import Requirement
from models_app.models import Annotation, Prediction
from models_app.selectors import model_version_active
from models_app.taxonomy_selectors import LabelIndex, label_index
from selko.tenancy.models import Project


@dataclass(frozen=True)
class LabelReadiness:
    label_id: int
    path: str
    depth: int
    color: str
    positives: int
    negatives: int
    minimum: int

    @property
    def needed(self) -> int:
        """How many more "yes" examples the trainer wants before it learns this label."""
        return max(0, self.minimum - self.positives)

    @property
    def ready(self) -> bool:
        return self.needed == 0


class TrainingExample(NamedTuple):
    requirement_id: int
    text: str
    positive_label_ids: list[int]
    negative_label_ids: list[int]


@dataclass(frozen=True)
class PredictedTag:
    label_id: int
    path: str
    score: float
    predicted: bool
    model_version: int


def annotation_list(
    *,
    project: Project,
    requirement_id: int | None = None,
    label_id: int | None = None,
    document_id: int | None = None,
    value: bool | None = None,
) -> QuerySet[Annotation]:
    annotations = Annotation.objects.filter(project=project)
    if requirement_id is not None:
        annotations = annotations.filter(requirement_id=requirement_id)
    if label_id is not None:
        annotations = annotations.filter(label_id=label_id)
    if document_id is not None:
        annotations = annotations.filter(requirement__document_id=document_id)
    if value is not None:
        annotations = annotations.filter(value=value)
    return annotations.select_related("user").order_by("requirement_id", "label_id")


def requirement_answers(*, project: Project, requirement_ids: Iterable[int]) -> dict[int, dict[int, bool]]:
    """Requirement id -> {label id: yes/no}; requirements without answers are absent."""
    answers: dict[int, dict[int, bool]] = defaultdict(dict)
    rows = Annotation.objects.filter(project=project, requirement_id__in=list(requirement_ids))
    for requirement_id, label_id, value in rows.values_list("requirement_id", "label_id", "value"):
        answers[requirement_id][label_id] = value
    return dict(answers)


def labeled_requirement_count(*, project: Project) -> int:
    return Annotation.objects.filter(project=project).values("requirement_id").distinct().count()


def label_training_readiness(*, project: Project, index: LabelIndex | None = None) -> list[LabelReadiness]:
    """Per label, in tree order: "yes" and "no" answers, and how many more "yes" the trainer needs
    (settings.SELKO_MIN_EXAMPLES_PER_LABEL). Stored "yes" answers already include the ancestors of each
    chosen label, so a parent counts every requirement labeled with one of its children."""
    index = index or label_index(project=project)
    counts: dict[int, tuple[int, int]] = {
        label_id: (positives, negatives)
        for label_id, positives, negatives in Annotation.objects.filter(project=project)
        .values("label_id")
        .annotate(positives=Count("id", filter=Q(value=True)), negatives=Count("id", filter=Q(value=False)))
        .values_list("label_id", "positives", "negatives")
    }
    minimum = settings.SELKO_MIN_EXAMPLES_PER_LABEL
    return [
        LabelReadiness(
            label_id=row.id,
            path=row.path_display,
            depth=row.depth,
            color=row.label.color,
            positives=counts.get(row.id, (0, 0))[0],
            negatives=counts.get(row.id, (0, 0))[1],
            minimum=minimum,
        )
        for row in index.rows()
    ]


def annotation_examples_for_training(*, project: Project) -> list[TrainingExample]:
    """Every requirement with at least one answer, as (id, text, "yes" label ids, "no" label ids).

    The lists follow the hierarchy: a "yes" brings its ancestors and a "no" its descendants, even for
    labels added to the tree after the answer was given. Ordered by requirement id, so the same answers
    always give the same list.
    """
    index = label_index(project=project)
    answers: dict[int, dict[int, bool]] = defaultdict(dict)
    rows = Annotation.objects.filter(project=project).order_by("requirement_id", "label_id")
    for requirement_id, label_id, value in rows.values_list("requirement_id", "label_id", "value").iterator(
        chunk_size=5000
    ):
        answers[requirement_id][label_id] = value
    texts = dict(Requirement.objects.filter(project=project, pk__in=list(answers)).values_list("pk", "text"))
    examples = []
    for requirement_id in sorted(answers):
        positives: set[int] = set()
        negatives: set[int] = set()
        for label_id, value in answers[requirement_id].items():
            if value:
                positives.add(label_id)
                positives.update(index.ancestor_ids(label_id))
            else:
                negatives.add(label_id)
                negatives.update(index.descendant_ids(label_id))
        negatives -= positives  # cannot happen through the services; kept safe for hand-edited rows
        examples.append(
            TrainingExample(
                requirement_id, texts.get(requirement_id, ""), sorted(positives), sorted(negatives)
            )
        )
    return examples


def predicted_tags(
    *, project: Project, requirement_ids: Iterable[int], index: LabelIndex | None = None
) -> dict[int, list[PredictedTag]]:
    """The active model's scores per requirement, highest first; empty when no model is active."""
    version = model_version_active(project=project)
    if version is None:
        return {}
    index = index or label_index(project=project)
    tags: dict[int, list[PredictedTag]] = defaultdict(list)
    rows = Prediction.objects.filter(
        project=project, model_version=version, requirement_id__in=list(requirement_ids)
    ).values_list("requirement_id", "label_id", "score", "predicted")
    for requirement_id, label_id, score, predicted in rows:
        if label_id in index:
            tags[requirement_id].append(
                PredictedTag(label_id, index.path_display(label_id), score, predicted, version.number)
            )
    for found in tags.values():
        found.sort(key=lambda tag: (-tag.score, tag.path))
    return dict(tags)
