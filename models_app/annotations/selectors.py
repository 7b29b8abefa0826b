"""Reads of annotations and of what they are worth for training, for a project already resolved."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Subquery

from documents.models import Requirement
from models_app.annotations.models import Annotation
from models_app.annotations.readiness import LabelReadiness, label_readiness
from models_app.taxonomy.models import Label
from models_app.taxonomy.selectors import Taxonomy, label_list, taxonomy_get, tree_key
from selko.tenancy.models import Project


class TrainingExample(NamedTuple):
    requirement_id: int
    text: str
    positive_label_ids: list[int]
    negative_label_ids: list[int]


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


def label_training_readiness(*, project: Project, index: Taxonomy | None = None) -> list[LabelReadiness]:
    """Per label, in tree order: "yes" and "no" answers, and how many more "yes" the trainer needs
    (settings.SELKO_MIN_EXAMPLES_PER_LABEL). Stored "yes" answers already include the ancestors of each
    chosen label, so a parent counts every requirement labeled with one of its children."""
    index = index or taxonomy_get(project=project)
    return _readiness(
        index,
        Annotation.objects.filter(project=project)
        .values("label_id")
        .annotate(positives=Count("id", filter=Q(value=True)), negatives=Count("id", filter=Q(value=False)))
        .values_list("label_id", "positives", "negatives"),
    )


def taxonomy_with_readiness(*, project: Project) -> tuple[Taxonomy, list[LabelReadiness], int]:
    """The label tree, each label's readiness (label_training_readiness) and how many requirements have
    an answer, in one query: the labels with their answers counted."""
    labeled = Subquery(
        Annotation.objects.filter(project=project)
        .order_by()
        .values("project_id")
        .annotate(n=Count("requirement_id", distinct=True))
        .values("n")
    )
    labels: list[Label] = list(
        label_list(project=project).annotate(
            positives=Count("annotations", filter=Q(annotations__value=True)),
            negatives=Count("annotations", filter=Q(annotations__value=False)),
            labeled=labeled,
        )
    )
    index = Taxonomy(labels)
    readiness = _readiness(index, [(row.pk, row.positives, row.negatives) for row in labels])  # type: ignore[attr-defined]
    # Answers exist only for labels, so a project without labels has none.
    return index, readiness, (labels[0].labeled or 0) if labels else 0  # type: ignore[attr-defined]


def _readiness(index: Taxonomy, counts: Iterable[tuple[int, int, int]]) -> list[LabelReadiness]:
    positives: dict[str, int] = {}
    negatives: dict[str, int] = {}
    for label_id, yes, no in counts:
        positives[tree_key(label_id)], negatives[tree_key(label_id)] = yes, no
    return label_readiness(
        tree=index.tree,
        positives=positives,
        negatives=negatives,
        minimum=settings.SELKO_MIN_EXAMPLES_PER_LABEL,
        colors={tree_key(pk): label.color for pk, label in index.by_id.items()},
    )


def annotation_examples_for_training(*, project: Project) -> list[TrainingExample]:
    """Every requirement with at least one answer, as (id, text, "yes" label ids, "no" label ids).

    The lists follow the hierarchy: a "yes" brings its ancestors and a "no" its descendants, even for
    labels added to the tree after the answer was given. Ordered by requirement id, so the same answers
    always give the same list.
    """
    index = taxonomy_get(project=project)
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


def unanswered_requirement_texts(*, project: Project, limit: int) -> list[str]:
    """Up to `limit` texts of the project's requirements that have no answer, spread evenly over its
    documents (every k-th in reading order), so a large project is sampled whole, not its first file."""
    answered = Annotation.objects.filter(project=project).values("requirement_id")
    ids = list(
        Requirement.objects.filter(project=project, is_requirement=True)
        .exclude(pk__in=Subquery(answered))
        .order_by("document_id", "order")
        .values_list("pk", flat=True)
    )
    if len(ids) > limit > 0:
        step = len(ids) / limit
        ids = [ids[int(i * step)] for i in range(limit)]
    elif limit <= 0:
        ids = []
    texts = dict(Requirement.objects.filter(pk__in=ids).values_list("pk", "text"))
    return [texts[pk] for pk in ids if texts.get(pk, "").strip()]
