"""Which requirement to label next: the one a label teaches the model most.

With an active model: uncertainty sampling, i.e. the requirements where some label's score is closest
to the fence (0.5), because an answer there moves the decision most. Without a model: diversity, i.e.
round-robin over documents and over sections inside each, starting with sections that have the fewest
answers, so a handful of examples already covers the corpus instead of the first pages of one document.
Requirements the model has not scored yet come after the scored ones, in diversity order.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from django.db.models import Exists, F, FloatField, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Abs, Coalesce

from documents.document_rows import RowsCounted
from documents.models import Requirement
from models_app.annotations.models import Annotation
from models_app.registry.models import ModelVersion, Prediction, prediction_closeness
from models_app.registry.selectors import model_version_active
from selko.errors import NotFound
from selko.tenancy.models import Project

Strategy = Literal["uncertainty", "diversity"]
# The uncertainty queue is counted up to this many: an exact count of a 20,000-row queue took most of the
# request (~80 ms of ~110, bench/api.py), and "1000+ in the queue" says as much to whoever labels.
QUEUE_SIZE_COUNTED_UP_TO = 1000
# Groups for spreading: the first two levels of the section path ("3 Safety > 3.2 Braking").
SECTION_LEVELS_FOR_DIVERSITY = 2


@dataclass(frozen=True)
class QueueFilters:
    document_id: int | None = None
    section: str = ""  # a section path prefix, e.g. "3 Safety" or "3 Safety > 3.2 Braking"
    label_id: int | None = None  # answered "yes" or predicted by the active model
    unlabeled_only: bool = True


@dataclass(frozen=True)
class QueuePlace:
    """The queue's next item before it is read: the page reads it with its neighbours."""

    requirement_id: int | None
    position: int
    size: int
    strategy: Strategy
    size_exact: bool = True  # False: the queue holds at least `size`, counting stopped there
    position_exact: bool = True  # False: at least `position`, counting stopped there


@dataclass(frozen=True)
class QueueHead:
    requirement: Requirement | None
    position: int  # 1-based place of `requirement` in the queue
    size: int
    strategy: Strategy
    size_exact: bool = True  # False: the queue holds at least `size`, counting stopped there
    position_exact: bool = True  # False: at least `position`, counting stopped there


def _candidate_requirements(
    *, project: Project, filters: QueueFilters, version_id: int | None, for_count: bool = False
) -> QuerySet[Requirement]:
    requirements = Requirement.objects.filter(project=project, is_requirement=True)
    if filters.document_id is not None:
        requirements = requirements.filter(document_id=filters.document_id)
    if filters.section:
        section = filters.section.strip()
        requirements = requirements.filter(
            Q(section_key=section) | Q(section_key__startswith=f"{section} > ")
        )
    if filters.label_id is not None:
        sources: list[QuerySet[Annotation] | QuerySet[Prediction]] = []
        # A requirement answered "yes" is answered: out of a queue of unlabeled ones anyway. There the
        # label is the model's suggestion alone, one semi-join the database plans freely, where an OR of
        # two sources leaves it to probe or hash both.
        if not filters.unlabeled_only:
            sources.append(Annotation.objects.filter(label_id=filters.label_id, value=True))
        if version_id is not None:
            sources.append(
                Prediction.objects.filter(
                    label_id=filters.label_id, model_version_id=version_id, predicted=True
                )
            )
        if not sources:
            return requirements.none()
        condition = Q()
        for source in sources:
            if for_count:
                # IN over each source: the database hashes each id list once instead of probing both
                # tables for every requirement (a 50,000-row count: ~0.5 s down to ~0.1 s).
                condition |= Q(pk__in=source.values("requirement_id"))
            else:  # probed row by row: cheap for a walk that stops after a few rows
                condition |= Q(Exists(source.filter(requirement=OuterRef("pk"))))
        requirements = requirements.filter(condition)
    if filters.unlabeled_only:
        requirements = requirements.exclude(Exists(Annotation.objects.filter(requirement=OuterRef("pk"))))
    return requirements


def _candidates(*, project: Project, filters: QueueFilters, version_id: int | None) -> list[tuple]:
    requirements = _candidate_requirements(project=project, filters=filters, version_id=version_id)
    return list(requirements.values_list("pk", "document_id", "order", "section_path"))


def _group(document_id: int, section_path: object) -> tuple[int, tuple[str, ...]]:
    path = section_path if isinstance(section_path, list) else []
    return document_id, tuple(str(part) for part in path[:SECTION_LEVELS_FOR_DIVERSITY])


def _diversity_order(*, project: Project, rows: list[tuple]) -> list[int]:
    answered: dict[tuple[int, tuple[str, ...]], int] = defaultdict(int)
    labeled = Requirement.objects.filter(project=project).filter(
        Exists(Annotation.objects.filter(requirement=OuterRef("pk")))
    )
    for document_id, section_path in labeled.values_list("document_id", "section_path"):
        answered[_group(document_id, section_path)] += 1

    by_group: dict[tuple[int, tuple[str, ...]], list[tuple]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: (r[1], r[2], r[0])):
        by_group[_group(row[1], row[3])].append(row)
    # A requirement's round is how many answers its section already has plus its place in the section.
    # Within a round each document offers its sections in turn, documents interleaved: round 0 is the
    # first section of every document, then the second section of every document, and so on.
    by_round = sorted(
        ((answered[group] + place, group[0], members[0][2], row)
         for group, members in by_group.items() for place, row in enumerate(members)),
        key=lambda item: item[:3],
    )  # fmt: skip
    turns: dict[tuple[int, int], int] = defaultdict(int)
    keyed = []
    for round_number, document_id, _section_start, row in by_round:
        turn = turns[(round_number, document_id)]
        turns[(round_number, document_id)] += 1
        keyed.append(((round_number, turn, document_id, row[2]), row[0]))
    return [requirement_id for _key, requirement_id in sorted(keyed)]


def labeling_queue(*, project: Project, filters: QueueFilters) -> tuple[list[int], Strategy]:
    """Requirement ids, most useful first, and the strategy that ordered them."""
    return _labeling_queue(project=project, filters=filters, version=model_version_active(project=project))


def _labeling_queue(
    *, project: Project, filters: QueueFilters, version: ModelVersion | None
) -> tuple[list[int], Strategy]:
    rows = _candidates(project=project, filters=filters, version_id=version.pk if version else None)
    diverse = _diversity_order(project=project, rows=rows)
    if version is None:
        return diverse, "diversity"
    # 1 when a score sits on the fence (0.5), 0 when it is certain either way; the most uncertain label
    # of a requirement is what its answer would settle.
    uncertainty = dict(
        Prediction.objects.filter(project=project, model_version=version)
        .values("requirement_id")
        .annotate(value=Max(Value(1.0) - Abs(Value(2.0) * F("score") - Value(1.0))))
        .values_list("requirement_id", "value")
    )
    place = {requirement_id: i for i, requirement_id in enumerate(diverse)}
    scored = sorted(
        (requirement_id for requirement_id in diverse if requirement_id in uncertainty),
        key=lambda requirement_id: (-uncertainty[requirement_id], place[requirement_id]),
    )
    unscored = [requirement_id for requirement_id in diverse if requirement_id not in uncertainty]
    return scored + unscored, "uncertainty"


@dataclass(frozen=True)
class _Walk:
    """What one walk of the uncertainty order tells (see _most_uncertain)."""

    first_two: list[tuple[int, float]]  # (requirement id, closeness to the fence)
    size: int  # the queue's size, counted up to one more than QUEUE_SIZE_COUNTED_UP_TO
    after_queued: bool  # `after` is a candidate
    after_closeness: float | None  # its closest label's closeness (None: unscored, or not queued)
    before_after: int  # candidates ahead of `after`, counted like `size`


def _most_uncertain(
    *,
    candidates: QuerySet[Requirement],
    version_id: int,
    after_id: int | None,
    counted: QuerySet[Requirement],
) -> _Walk | None:
    """The first two candidates in uncertainty order (after `after_id` when it is queued) with their
    closeness, and in the same query the queue's size (`counted`), whether `after_id` is queued, its
    closeness and how many candidates come before it; None when no candidate is left to walk to.

    It walks the predictions in the order of the index on (version, |score - 0.5|): a requirement's
    first prediction in that walk is its most uncertain label, so the walk stops after a few rows
    instead of ranking every requirement."""
    predictions = Prediction.objects.filter(model_version_id=version_id).annotate(
        closeness=prediction_closeness()
    )
    after_queued: Value | Exists = Value(False)
    after_closeness: Value | Subquery = Value(None, output_field=FloatField())
    before_after: Value | RowsCounted = Value(0)
    if after_id is not None:
        after_queued = Exists(candidates.filter(pk=after_id))
        after_closeness = Subquery(
            predictions.filter(requirement_id=after_id, requirement__in=candidates)
            .order_by("closeness")
            .values("closeness")[:1]
        )
        # Past `after` when it is queued and scored; from the head otherwise (an unscored one is the
        # caller's to place in diversity order).
        predictions = predictions.filter(closeness__gte=Coalesce(after_closeness, Value(-1.0))).exclude(
            requirement_id=after_id
        )
        # The candidates with a label closer to the fence than `after`'s closest: ahead of it.
        earlier = (
            Prediction.objects.filter(model_version_id=version_id, requirement__in=candidates)
            .annotate(closeness=prediction_closeness())
            .filter(closeness__lt=after_closeness)
            .order_by()
            .values("requirement_id")
            .distinct()
        )
        before_after = RowsCounted(earlier[: QUEUE_SIZE_COUNTED_UP_TO + 1])
    closer = (
        Prediction.objects.filter(model_version_id=version_id, requirement_id=OuterRef("requirement_id"))
        .annotate(closeness=prediction_closeness())
        .filter(closeness__lt=OuterRef("closeness"))
    )
    # Uncorrelated, so the database computes each once for the query, not once per row.
    size = RowsCounted(counted.order_by().values("pk")[: QUEUE_SIZE_COUNTED_UP_TO + 1])
    rows = list(
        predictions.filter(requirement__in=candidates)
        .exclude(Exists(closer))  # the row is its requirement's most uncertain label
        .order_by("closeness")
        .values_list("requirement_id", "closeness", size, after_queued, after_closeness, before_after)[:4]
    )
    if not rows:
        return None
    first_two: list[tuple[int, float]] = []
    for requirement_id, closeness, *_ in rows:
        if requirement_id not in {seen for seen, _ in first_two}:
            first_two.append((requirement_id, closeness))
    _id, _closeness, queue_size, queued, closest, ahead = rows[0]
    return _Walk(first_two[:2], queue_size, bool(queued), closest, ahead)


def _labeling_next_by_uncertainty(
    *, project: Project, filters: QueueFilters, version_id: int, after_id: int | None
) -> QueuePlace | None:
    """The uncertainty queue's next item from one indexed query, or None when a tie on the score
    (broken by the diversity order) or the end of the scored requirements needs the whole queue."""
    walk = _most_uncertain(
        candidates=_candidate_requirements(project=project, filters=filters, version_id=version_id),
        version_id=version_id,
        after_id=after_id,
        counted=_candidate_requirements(
            project=project, filters=filters, version_id=version_id, for_count=True
        ),
    )
    if walk is None:
        return None
    if walk.after_queued and walk.after_closeness is None:
        return None  # `after` is among the unscored ones, ordered by diversity
    rows = walk.first_two
    head_id, closeness = rows[0]
    if closeness == walk.after_closeness or (len(rows) > 1 and rows[1][1] == closeness):
        return None
    # Ahead of the head: the candidates before `after`, and `after` itself (the head is the first one
    # past it). Counted like the queue: an exact place 20,000 rows down costs a count of them all.
    ahead = min(walk.before_after, QUEUE_SIZE_COUNTED_UP_TO) + walk.after_queued
    return QueuePlace(
        requirement_id=head_id,
        position=ahead + 1,
        size=min(walk.size, QUEUE_SIZE_COUNTED_UP_TO),
        strategy="uncertainty",
        size_exact=walk.size <= QUEUE_SIZE_COUNTED_UP_TO,
        position_exact=walk.before_after <= QUEUE_SIZE_COUNTED_UP_TO,
    )


def labeling_next_place(
    *, project: Project, filters: QueueFilters, version: ModelVersion | None, after_id: int | None = None
) -> QueuePlace:
    """Where the next requirement to label is, for the active `version` the caller has read: the one
    after `after_id` when it is still queued (it was skipped, or labeled with `unlabeled_only` off),
    otherwise the head of the queue."""
    if version is not None:
        place = _labeling_next_by_uncertainty(
            project=project, filters=filters, version_id=version.pk, after_id=after_id
        )
        if place is not None:
            return place
    ids, strategy = _labeling_queue(project=project, filters=filters, version=version)
    position = 0
    if after_id is not None and after_id in ids:
        position = ids.index(after_id) + 1
    if position >= len(ids):
        return QueuePlace(requirement_id=None, position=0, size=len(ids), strategy=strategy)
    return QueuePlace(requirement_id=ids[position], position=position + 1, size=len(ids), strategy=strategy)


def labeling_next(*, project: Project, filters: QueueFilters, after_id: int | None = None) -> QueueHead:
    """The next requirement to label (labeling_next_place), read."""
    place = labeling_next_place(
        project=project, filters=filters, version=model_version_active(project=project), after_id=after_id
    )
    requirement = None
    if place.requirement_id is not None:
        requirement = Requirement.objects.select_related("document").get(pk=place.requirement_id)
    return QueueHead(
        requirement=requirement,
        position=place.position,
        size=place.size,
        strategy=place.strategy,
        size_exact=place.size_exact,
        position_exact=place.position_exact,
    )


def requirement_with_neighbours(
    *, project: Project, requirement_id: int
) -> tuple[Requirement | None, Requirement | None, Requirement | None]:
    """(the requirement just before, the requirement, the one just after) in its document: the context
    a reader needs; (None, None, None) when the project has no such requirement. One query: each
    neighbour is a subquery the (project, document, order, id) index answers without a scan."""
    own = Requirement.objects.filter(project=project, pk=requirement_id)
    siblings = Requirement.objects.filter(
        project=project, document_id=Subquery(own.values("document_id"))
    ).values("pk")
    before = siblings.filter(order__lt=Subquery(own.values("order"))).order_by("-order", "-id")[:1]
    after = siblings.filter(order__gt=Subquery(own.values("order"))).order_by("order", "id")[:1]
    rows = list(
        Requirement.objects.filter(project=project)
        .filter(Q(pk=requirement_id) | Q(pk=Subquery(before)) | Q(pk=Subquery(after)))
        .select_related("document")
    )
    found = next((row for row in rows if row.pk == requirement_id), None)
    if found is None:
        return None, None, None
    return (
        next((row for row in rows if row.order < found.order), None),
        found,
        next((row for row in rows if row.order > found.order), None),
    )


def labeling_requirement_get(*, project: Project, requirement_id: int) -> Requirement:
    requirement = (
        Requirement.objects.filter(project=project, pk=requirement_id).select_related("document").first()
    )
    if requirement is None:
        raise NotFound(f"No requirement {requirement_id} in this project.")
    return requirement
