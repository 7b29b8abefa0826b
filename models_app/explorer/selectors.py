"""Reads of the explorer: parse a filter, then one page of requirements with their tags and findings.

Pagination is by keyset (the last row's sort key travels in an opaque cursor): a page costs the same at
row 50 and at row 50,000, and no page counts the whole table.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from django.db.models import (
    BooleanField,
    CharField,
    Exists,
    F,
    FloatField,
    IntegerField,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce

from documents.models import Document, Obligation, QualityFinding, Requirement
from documents.quality.rules import RULES
from documents.quality.selectors import FindingView, requirement_findings
from models_app.annotations.models import Annotation
from models_app.explorer.models import SavedView
from models_app.registry.models import ModelVersion, Prediction
from models_app.registry.selectors import PredictedTag, model_version_active, predicted_tags_from_rows
from models_app.taxonomy.selectors import Taxonomy, taxonomy_get
from selko.errors import ValidationFailed
from selko.ids import MAX_ID, id_from_text
from selko.tenancy.models import Project

Source = Literal["human", "model", "either"]
Sort = Literal["order", "score", "quality"]
SOURCES: tuple[Source, ...] = ("human", "model", "either")
SORTS: tuple[Sort, ...] = ("order", "score", "quality")
MAX_PAGE_SIZE = 200
# Sorting by quality puts requirements that were never checked (informative text) last.
UNCHECKED_SCORE = 101


@dataclass(frozen=True)
class ExplorerFilters:
    label: int | None = None  # tagged with this label …
    source: Source = "either"  # … by a person, by the active model, or either
    min_score: float | None = None  # the model's score at least this; None: the label's tuned threshold
    not_label: int | None = None  # tagged with this label neither by a person nor by the model
    document: int | None = None
    section: str = ""  # a section and its subsections
    obligation: str = ""
    search: str = ""  # in the text or the requirement ID
    rule: str = ""  # has at least one finding of this quality rule
    sort: Sort = "order"

    def as_dict(self) -> dict[str, Any]:
        return {key: value for key, value in asdict(self).items() if value not in (None, "")}


FIELDS = frozenset(ExplorerFilters.__dataclass_fields__)


def _int_or_none(data: Mapping[str, Any], key: str, errors: dict[str, list[str]]) -> int | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    number = id_from_text(value)
    if number is None:
        errors[key] = [f"Expected an id (a whole number from 1 to {MAX_ID}), got {value!r}."]
    return number


def explorer_filters_parse(
    *, project: Project, data: Mapping[str, Any], index: Taxonomy | None = None
) -> ExplorerFilters:
    """Validate a filter from query parameters or a saved view; every problem is named at once."""
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(data) - FIELDS - {"cursor", "limit", "file_type"})
    if unknown:
        errors["filters"] = [f"Unknown filter {', '.join(unknown)}; use {', '.join(sorted(FIELDS))}."]
    label = _int_or_none(data, "label", errors)
    not_label = _int_or_none(data, "not_label", errors)
    document = _int_or_none(data, "document", errors)
    for key, label_id in (("label", label), ("not_label", not_label)):
        if label_id is None:
            continue
        index = index or taxonomy_get(project=project)
        if label_id not in index:
            errors[key] = [f"No label {label_id} in this project."]
    if document is not None and not project.documents.filter(pk=document).exists():
        errors["document"] = [f"No document {document} in this project."]
    source = data.get("source") or "either"
    if source not in SOURCES:
        errors["source"] = [f"Use one of {', '.join(SOURCES)}."]
    sort = data.get("sort") or "order"
    if sort not in SORTS:
        errors["sort"] = [f"Use one of {', '.join(SORTS)}."]
    if sort == "score" and label is None:
        errors["sort"] = ["Sorting by score needs a label to score."]
    min_score: float | None = None
    if data.get("min_score") not in (None, ""):
        try:
            min_score = float(data["min_score"])
        except (TypeError, ValueError):
            min_score = -1.0
        if not 0.0 <= min_score <= 1.0:
            errors["min_score"] = ["Expected a number between 0 and 1."]
    obligation = str(data.get("obligation") or "")
    if obligation and obligation not in Obligation.values:
        errors["obligation"] = [f"Use one of {', '.join(Obligation.values)}."]
    rule = str(data.get("rule") or "")
    if rule and rule not in RULES:
        errors["rule"] = [f"No quality rule {rule!r}; the rules are {', '.join(RULES)}."]
    if errors:
        raise ValidationFailed(
            "The filter is not valid: " + " ".join(m for ms in errors.values() for m in ms), details=errors
        )
    return ExplorerFilters(
        label=label,
        source=source,  # type: ignore[arg-type]
        min_score=min_score,
        not_label=not_label,
        document=document,
        section=str(data.get("section") or "").strip(),
        obligation=obligation,
        search=str(data.get("search") or "").strip(),
        rule=rule,
        sort=sort,  # type: ignore[arg-type]
    )


def _tagged(*, version: ModelVersion | None, label_id: int, source: Source, min_score: float | None) -> Q:
    human = Exists(Annotation.objects.filter(requirement=OuterRef("pk"), label_id=label_id, value=True))
    if version is None:
        model = Q(pk__in=[])
    else:
        predictions = Prediction.objects.filter(
            requirement=OuterRef("pk"), model_version=version, label_id=label_id
        )
        predictions = (
            predictions.filter(score__gte=min_score)
            if min_score is not None
            else predictions.filter(predicted=True)
        )
        model = Q(Exists(predictions))
    if source == "human":
        return Q(human)
    if source == "model":
        return model
    return Q(human) | model


def explorer_queryset(*, project: Project, filters: ExplorerFilters) -> QuerySet[Requirement]:
    """The filtered requirements, annotated with the sort key; not yet ordered or paged."""
    version = model_version_active(project=project)
    return _sorted(_filtered(project=project, filters=filters, version=version), filters, version)


def _filtered(
    *, project: Project, filters: ExplorerFilters, version: ModelVersion | None
) -> QuerySet[Requirement]:
    requirements = Requirement.objects.filter(project=project, is_requirement=True)
    if filters.label is not None:
        requirements = requirements.filter(
            _tagged(
                version=version, label_id=filters.label, source=filters.source, min_score=filters.min_score
            )
        )
    if filters.not_label is not None:
        requirements = requirements.exclude(
            _tagged(version=version, label_id=filters.not_label, source="either", min_score=None)
        )
    if filters.document is not None:
        requirements = requirements.filter(document_id=filters.document)
    if filters.section:
        requirements = requirements.filter(
            Q(section_key=filters.section) | Q(section_key__startswith=filters.section + " > ")
        )
    if filters.obligation:
        requirements = requirements.filter(obligation=filters.obligation)
    if filters.search:
        requirements = requirements.filter(
            Q(text__icontains=filters.search) | Q(external_id__icontains=filters.search)
        )
    if filters.rule:
        requirements = requirements.filter(
            Exists(QualityFinding.objects.filter(requirement=OuterRef("pk"), rule=filters.rule))
        )
    return requirements


def _sorted(
    requirements: QuerySet[Requirement], filters: ExplorerFilters, version: ModelVersion | None
) -> QuerySet[Requirement]:
    if filters.sort == "quality":
        requirements = requirements.annotate(
            sort_key=Coalesce(F("quality__score"), Value(UNCHECKED_SCORE), output_field=IntegerField())
        )
    elif filters.sort == "score" and filters.label is not None:  # the parser requires a label to score
        score = Prediction.objects.filter(
            requirement=OuterRef("pk"), model_version=version, label_id=filters.label
        ).values("score")[:1]
        requirements = requirements.annotate(
            sort_key=Coalesce(
                Subquery(score, output_field=FloatField()), Value(-1.0), output_field=FloatField()
            )
        )
    return requirements


def _cursor_encode(key: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode()


def _cursor_number(value: object) -> bool:
    # A forged cursor must not reach the database with NaN or a number beyond its integers.
    return isinstance(value, int | float) and math.isfinite(value) and abs(value) <= MAX_ID


def _cursor_decode(cursor: str, sort: Sort) -> list[Any]:
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, binascii.Error) as error:
        raise ValidationFailed("The page cursor is not valid; start again from the first page.") from error
    expected = 3 if sort == "order" else 2
    if not isinstance(key, list) or len(key) != expected or not all(_cursor_number(v) for v in key):
        raise ValidationFailed("The page cursor is not valid; start again from the first page.")
    return key


def _after(requirements: QuerySet[Requirement], sort: Sort, key: list[Any]) -> QuerySet[Requirement]:
    if sort == "order":
        document_id, order, pk = key
        return requirements.filter(
            Q(document_id__gt=document_id)
            | Q(document_id=document_id, order__gt=order)
            | Q(document_id=document_id, order=order, pk__gt=pk)
        )
    value, pk = key
    if sort == "quality":  # worst (lowest score) first
        return requirements.filter(Q(sort_key__gt=value) | Q(sort_key=value, pk__gt=pk))
    return requirements.filter(Q(sort_key__lt=value) | Q(sort_key=value, pk__gt=pk))  # highest score first


ORDERINGS: dict[Sort, list[str]] = {
    "order": ["document_id", "order", "pk"],
    "quality": ["sort_key", "pk"],
    "score": ["-sort_key", "pk"],
}


@dataclass(frozen=True)
class HumanTag:
    label_id: int
    path: str
    value: bool


@dataclass(frozen=True)
class ExplorerRow:
    requirement: Requirement
    human_tags: list[HumanTag]
    model_tags: list[PredictedTag]
    findings: list[FindingView]
    quality_score: int | None


@dataclass(frozen=True)
class ExplorerPage:
    rows: list[ExplorerRow]
    next_cursor: str | None
    model_version: int | None = None
    filters: ExplorerFilters = field(default_factory=ExplorerFilters)


def _page_by_score(
    requirements: QuerySet[Requirement],
    *,
    version: ModelVersion | None,
    label_id: int,
    key: list[Any] | None,
    count: int,
) -> list[Requirement]:
    """Up to `count` requirements, highest score first, after the cursor's key. The scored ones come
    from an index walk over the label's predictions, stopping at the page's end instead of scoring
    every filtered requirement; the unscored ones (key -1) follow in id order."""
    found: list[Requirement] = []
    if version is not None and (key is None or key[0] >= 0):
        scores = Prediction.objects.filter(
            model_version=version, label_id=label_id, requirement__in=requirements.values("pk")
        )
        if key is not None:
            scores = scores.filter(Q(score__lt=key[0]) | Q(score=key[0], requirement_id__gt=key[1]))
        page = scores.order_by("-score", "requirement_id").values("requirement_id")[:count]
        score = Prediction.objects.filter(
            requirement=OuterRef("pk"), model_version=version, label_id=label_id
        ).values("score")
        found = sorted(
            requirements.filter(pk__in=page)
            .annotate(sort_key=Subquery(score, output_field=FloatField()))
            .select_related("document", "quality"),
            key=lambda requirement: (-requirement.sort_key, requirement.pk),  # type: ignore[attr-defined]
        )
    if len(found) < count:
        unscored = requirements
        if version is not None:
            unscored = unscored.exclude(
                Exists(
                    Prediction.objects.filter(
                        requirement=OuterRef("pk"), model_version=version, label_id=label_id
                    )
                )
            )
        if key is not None and key[0] < 0:
            unscored = unscored.filter(pk__gt=key[1])
        for requirement in unscored.select_related("document", "quality").order_by("pk")[
            : count - len(found)
        ]:
            requirement.sort_key = -1.0  # type: ignore[attr-defined]
            found.append(requirement)
    return found


def _answers_scores_and_findings(
    *, project: Project, version: ModelVersion | None, requirement_ids: list[int]
) -> tuple[list[tuple[int, int, bool, float | None]], dict[int, list[QualityFinding]]]:
    """The page's answers (score None) and the active model's scores (value: predicted), and the quality
    findings of its requirements, in one query: a union whose parts name their columns alike (a
    finding's rule, severity and span ride in columns of their own)."""

    def columns(rows: QuerySet[Any], **values: Any) -> QuerySet[Any]:
        names = ["requirement_id", "key", "flag", "score", "rule", "severity", "end"]
        typed = {
            "key": Cast(Value(None), output_field=IntegerField()),
            "flag": Cast(Value(None), output_field=BooleanField()),
            "score": Cast(Value(None), output_field=FloatField()),
            "rule": Cast(Value(None), output_field=CharField()),
            "severity": Cast(Value(None), output_field=CharField()),
            "end": Cast(Value(None), output_field=IntegerField()),
        }
        typed.update(values)
        # Prefixed names: an annotation may not shadow a field of the model.
        return (
            rows.order_by()
            .annotate(**{f"read_{name}": typed.get(name, F(name)) for name in names})
            .values_list(*(f"read_{name}" for name in names))
        )

    parts = [
        columns(
            Annotation.objects.filter(project=project, requirement_id__in=requirement_ids),
            key=F("label_id"), flag=F("value"),
        ),
        columns(
            QualityFinding.objects.filter(requirement_id__in=requirement_ids),
            key=F("start"), rule=F("rule"), severity=F("severity"), end=F("end"),
        ),
    ]  # fmt: skip
    if version is not None:
        parts.append(
            columns(
                Prediction.objects.filter(
                    project=project, model_version=version, requirement_id__in=requirement_ids
                ),
                key=F("label_id"),
                flag=F("predicted"),
                score=F("score"),
            )
        )
    tags: list[tuple[int, int, bool, float | None]] = []
    findings: dict[int, list[QualityFinding]] = defaultdict(list)
    for requirement_id, key, flag, score, rule, severity, end in parts[0].union(*parts[1:], all=True):
        if rule is not None:
            findings[requirement_id].append(
                QualityFinding(
                    requirement_id=requirement_id, rule=rule, severity=severity, start=key, end=end
                )
            )
        else:
            tags.append((requirement_id, key, flag, score))
    for found in findings.values():
        found.sort(key=lambda finding: (finding.start, finding.end, finding.rule))
    return tags, findings


def explorer_page(
    *,
    project: Project,
    filters: ExplorerFilters,
    cursor: str | None = None,
    limit: int = 50,
    index: Taxonomy | None = None,
) -> ExplorerPage:
    """One page in the chosen order. A fixed number of queries whatever the page size."""
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    version = model_version_active(project=project)
    requirements = _filtered(project=project, filters=filters, version=version)
    key = _cursor_decode(cursor, filters.sort) if cursor else None
    if filters.sort == "score" and filters.label is not None:
        found = _page_by_score(
            requirements, version=version, label_id=filters.label, key=key, count=limit + 1
        )
    else:
        requirements = _sorted(requirements, filters, version)
        if key is not None:
            requirements = _after(requirements, filters.sort, key)
        found = list(
            requirements.select_related("document", "quality").order_by(*ORDERINGS[filters.sort])[: limit + 1]
        )
    more = len(found) > limit
    found = found[:limit]
    index = index or taxonomy_get(project=project)
    ids = [requirement.pk for requirement in found]
    human: dict[int, list[HumanTag]] = defaultdict(list)
    scored: list[tuple[int, int, float, bool]] = []
    tags, findings = _answers_scores_and_findings(project=project, version=version, requirement_ids=ids)
    for requirement_id, label_id, value, score in tags:
        if score is not None:
            scored.append((requirement_id, label_id, score, value))
        elif label_id in index:
            human[requirement_id].append(HumanTag(label_id, index.path_display(label_id), value))
    machine = (
        predicted_tags_from_rows(version=version, rows=scored, index=index) if version is not None else {}
    )
    rows = [
        ExplorerRow(
            requirement=requirement,
            human_tags=sorted(human[requirement.pk], key=lambda tag: tag.path),
            model_tags=machine.get(requirement.pk, []),
            findings=requirement_findings(requirement=requirement, findings=findings[requirement.pk]),
            quality_score=_score(requirement),
        )
        for requirement in found
    ]
    next_cursor = None
    if more and found:
        last = found[-1]
        last_key: list[Any] = (
            [last.document_id, last.order, last.pk] if filters.sort == "order" else [last.sort_key, last.pk]  # type: ignore[attr-defined]
        )
        next_cursor = _cursor_encode(last_key)
    return ExplorerPage(
        rows=rows, next_cursor=next_cursor, model_version=version.number if version else None, filters=filters
    )


def _score(requirement: Requirement) -> int | None:
    try:
        return requirement.quality.score
    except Requirement.quality.RelatedObjectDoesNotExist:  # type: ignore[attr-defined]
        return None


def saved_view_list(*, project: Project) -> QuerySet[SavedView]:
    return SavedView.objects.filter(project=project).select_related("created_by")


@dataclass(frozen=True)
class ExplorerChoices:
    documents: list[tuple[int, str]]  # (id, name) by name, for the document filter
    saved_views: list[SavedView]  # by name; without their author, which the page does not show


def explorer_choices(*, project: Project) -> ExplorerChoices:
    """The page's documents and saved views in one query (a union; the saved views' part first, so
    that its column types decode the filters)."""

    def columns(rows: QuerySet[Any], filters: Any) -> QuerySet[Any]:
        return (
            rows.order_by()
            .annotate(read_id=F("pk"), read_name=F("name"), read_filters=filters)
            .values_list("read_id", "read_name", "read_filters")
        )

    views = columns(SavedView.objects.filter(project=project), F("filters"))
    documents = columns(Document.objects.filter(project=project), Cast(Value(None), output_field=JSONField()))
    saved: list[SavedView] = []
    found: list[tuple[int, str]] = []
    for pk, name, filters in views.union(documents, all=True):
        if filters is None:  # a saved view always has a dict, maybe empty
            found.append((pk, name))
        else:
            saved.append(SavedView(pk=pk, project=project, name=name, filters=filters))
    return ExplorerChoices(
        documents=sorted(found, key=lambda document: (document[1], document[0])),
        saved_views=sorted(saved, key=lambda view: view.name),
    )


def explorer_taxonomy(*, project: Project) -> Taxonomy:
    return taxonomy_get(project=project)
