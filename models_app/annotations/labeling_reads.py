"""Reads for the labeling page around the requirement it shows: that requirement's answers, the active
model's scores for it, and the project's documents for the filter, in one query (a union), because the
page also reads the session, the user, the project, the queue and the label tree, and should stay
within eight queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, CharField, F, FloatField, QuerySet, Value
from django.db.models.functions import Cast

from documents.models import Document
from models_app.annotations.models import Annotation
from models_app.registry.models import ModelVersion, Prediction
from selko.tenancy.models import Project

ANSWER, SCORE, DOCUMENT = "answer", "score", "document"


@dataclass(frozen=True)
class LabelingReads:
    answers: dict[int, bool]  # label id -> yes/no
    scores: list[tuple[int, int, float, bool]]  # (requirement id, label id, score, predicted)
    documents: list[tuple[int, str]]  # (id, name), by name


def labeling_reads(
    *, project: Project, version: ModelVersion | None, requirement_id: int | None
) -> LabelingReads:
    def columns(rows: QuerySet[Any], kind: str, key: str, score: Any, flag: Any, name: Any) -> QuerySet[Any]:
        # Every column an annotation with the same name, so that each part lists them in one order.
        return (
            rows.order_by()
            .annotate(
                row_kind=Value(kind, output_field=CharField()),
                row_key=F(key),
                row_score=score,
                row_flag=flag,
                row_name=name,
            )
            .values_list("row_kind", "row_key", "row_score", "row_flag", "row_name")
        )

    no_text = Value("", output_field=CharField())
    # Typed: PostgreSQL gives two untyped NULLs in a row the type text, which a score cannot join.
    no_score = Cast(Value(None), output_field=FloatField())
    rows = columns(
        Document.objects.filter(project=project),
        DOCUMENT, "pk", no_score, Value(None, output_field=BooleanField()), F("name"),
    )  # fmt: skip
    parts: list[QuerySet[Any]] = []
    if requirement_id is not None:
        of_requirement = {"project": project, "requirement_id": requirement_id}
        answers_rows = Annotation.objects.filter(**of_requirement)
        parts.append(columns(answers_rows, ANSWER, "label_id", no_score, F("value"), no_text))
        if version is not None:
            scores_rows = Prediction.objects.filter(model_version=version, **of_requirement)
            parts.append(columns(scores_rows, SCORE, "label_id", F("score"), F("predicted"), no_text))
    answers: dict[int, bool] = {}
    scores: list[tuple[int, int, float, bool]] = []
    documents: list[tuple[int, str]] = []
    for row_kind, key, score, flag, name in rows.union(*parts, all=True) if parts else rows:
        if row_kind == DOCUMENT:
            documents.append((key, name))
        elif row_kind == ANSWER:
            answers[key] = flag
        else:
            assert requirement_id is not None
            scores.append((requirement_id, key, score, flag))
    documents.sort(key=lambda document: (document[1], document[0]))
    return LabelingReads(answers=answers, scores=scores, documents=documents)
