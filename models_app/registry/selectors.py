"""Reads of model versions and predictions, for a project the caller already resolved for the user."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from models_app.registry.models import ModelSettings, ModelVersion, ModelVersionKind, Prediction
from models_app.registry.quality import version_quality
from models_app.taxonomy.selectors import Taxonomy, taxonomy_get
from selko.errors import NotFound
from selko.tenancy.models import Project


def model_settings_for_project(*, project: Project) -> ModelSettings:
    settings, _ = ModelSettings.objects.get_or_create(project=project)
    return settings


def model_version_list(*, project: Project) -> QuerySet[ModelVersion]:
    return ModelVersion.objects.filter(project=project).select_related("created_by", "training_job")


def model_version_get(*, project: Project, number: int) -> ModelVersion:
    version = model_version_list(project=project).filter(number=number).first()
    if version is None:
        raise NotFound(f"No model version v{number} in this project.")
    return version


def model_version_active(*, project: Project) -> ModelVersion | None:
    return ModelVersion.objects.filter(project=project, is_active=True).first()


def model_version_active_id(*, project_id: int) -> int | None:
    return (
        ModelVersion.objects.filter(project_id=project_id, is_active=True)
        .values_list("pk", flat=True)
        .first()
    )


def label_names_for_project(*, project: Project) -> dict[str, str]:
    """Label id (as the ML core's string key) -> readable path, e.g. "NFR > Performance"."""
    return taxonomy_get(project=project).names_by_key()


def model_version_compare(*, project: Project, first: ModelVersion, second: ModelVersion) -> dict[str, Any]:
    """Metrics side by side and per-label F1 deltas (second minus first)."""
    names = label_names_for_project(project=project)
    # A version with no figure on unseen examples has no per-label figures worth setting beside another's.
    first_labels = first.metrics.get("per_label", {}) if first.quality["macro_f1"] is not None else {}
    second_labels = second.metrics.get("per_label", {}) if second.quality["macro_f1"] is not None else {}
    rows = []
    for key in sorted(set(first_labels) | set(second_labels), key=lambda k: names.get(k, k)):
        a, b = first_labels.get(key, {}).get("f1"), second_labels.get(key, {}).get("f1")
        rows.append(
            {
                "label_id": int(key) if key.isdigit() else key,
                "label": names.get(key, key),
                "first_f1": a,
                "second_f1": b,
                "delta": round(b - a, 4) if a is not None and b is not None else None,
            }
        )
    summary = {
        metric: {"first": first.quality.get(metric), "second": second.quality.get(metric)}
        for metric in ("macro_f1", "micro_f1")
    }
    summary["quality"] = {"first": first.quality["summary"], "second": second.quality["summary"]}
    return {"first": first.number, "second": second.number, "summary": summary, "per_label": rows}


def predictions_for_requirement(*, project: Project, requirement_id: int) -> QuerySet[Prediction]:
    """The active version's predictions for one requirement, best score first."""
    return (
        Prediction.objects.filter(
            project=project, requirement_id=requirement_id, model_version__is_active=True
        )
        .select_related("label", "model_version")
        .order_by("-score")
    )


@dataclass(frozen=True)
class PredictedTag:
    label_id: int
    path: str
    score: float
    predicted: bool
    model_version: int


def predicted_tags(
    *, project: Project, requirement_ids: Iterable[int], index: Taxonomy | None = None
) -> dict[int, list[PredictedTag]]:
    """The active model's scores per requirement, highest first; empty when no model is active."""
    version = model_version_active(project=project)
    return predicted_tags_of_version(version=version, requirement_ids=requirement_ids, index=index)


def predicted_tags_of_version(
    *, version: ModelVersion | None, requirement_ids: Iterable[int], index: Taxonomy | None = None
) -> dict[int, list[PredictedTag]]:
    """`predicted_tags` for a version the caller has already read."""
    if version is None:
        return {}
    rows = Prediction.objects.filter(
        project_id=version.project_id, model_version=version, requirement_id__in=list(requirement_ids)
    ).values_list("requirement_id", "label_id", "score", "predicted")
    return predicted_tags_from_rows(
        version=version, rows=rows, index=index or taxonomy_get(project=version.project)
    )


def predicted_tags_from_rows(
    *, version: ModelVersion, rows: Iterable[tuple[int, int, float, bool]], index: Taxonomy
) -> dict[int, list[PredictedTag]]:
    """Tags from (requirement id, label id, score, predicted) rows the caller read with its own query."""
    tags: dict[int, list[PredictedTag]] = defaultdict(list)
    for requirement_id, label_id, score, predicted in rows:
        if label_id in index:
            tags[requirement_id].append(
                PredictedTag(label_id, index.path_display(label_id), score, predicted, version.number)
            )
    for found in tags.values():
        found.sort(key=lambda tag: (-tag.score, tag.path))
    return dict(tags)


@dataclass(frozen=True)
class VersionPoint:
    """One version's place in the project's history of metrics."""

    number: int
    macro_f1: float | None
    example_count: int | None  # the labeled requirements it was trained on
    label_f1: dict[str, float]  # readable label path -> F1 on its validation split


def model_version_history(*, project: Project) -> list[VersionPoint]:
    """Every version's macro-F1, per-label F1 and training size, oldest first (the x axis of a chart).
    A label deleted since has no name left: it keeps its key, so its past line is still drawn."""
    names = label_names_for_project(project=project)
    points = []
    for number, kind, metrics, lineage in (
        ModelVersion.objects.filter(project=project)
        .order_by("number")
        .values_list("number", "kind", "metrics", "lineage")
    ):
        # Only figures measured on unseen examples: a version measured on its training examples has none.
        macro = version_quality(metrics=metrics, zero_shot=kind == ModelVersionKind.ZERO_SHOT)["macro_f1"]
        examples = (lineage or {}).get("example_count")
        points.append(
            VersionPoint(
                number=number,
                macro_f1=float(macro) if macro is not None else None,
                example_count=int(examples) if examples is not None else None,
                label_f1={
                    names.get(key, f"label {key}"): float(values.get("f1") or 0.0)
                    for key, values in (metrics or {}).get("per_label", {}).items()
                }
                if macro is not None
                else {},
            )
        )
    return points
