"""Measure a freshly trained candidate on examples it was not trained on, and compare it with the active
version on examples neither was trained on, for the promotion policy.

The candidate's figure comes from its held-out split, or below the split size from k-fold
cross-validation (training/ml/estimate.py). The active version is scored on the candidate's unseen
examples minus those in its own training snapshot: a zero-shot version was trained on none, so it is
compared on all of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models_app.registry.artifacts import artifact_local_dir
from models_app.registry.models import ModelVersion
from models_app.registry.promotion import PromotionDecision
from models_app.registry.quality import version_quality
from models_app.registry.selectors import model_version_active
from models_app.registry.services import promotion_judge, promotion_policy_apply
from training.ml.device import resolve_device
from training.ml.estimate import (
    MIN_EXAMPLES_TO_ESTIMATE,
    artifact_predictions,
    cross_validate,
    holdout_uncertainty,
    predicted_metrics,
    quality_cross_validated,
    quality_held_out,
    quality_not_estimated,
)
from training.ml.examples import Example
from training.ml.labels import LabelTree
from training.ml.train import TrainResult
from training.models import TrainingJob
from training.snapshots import dataset_snapshot_load


@dataclass(frozen=True)
class CandidateMeasure:
    metrics: dict[str, Any]  # the version's metrics: quality figures only, never training-set ones
    unseen: dict[int, frozenset[str]]  # example index -> labels decided without having seen it


def candidate_measure(
    *,
    result: TrainResult,
    examples: list[Example],
    tree: LabelTree,
    base_model_path: Path,
    encoder: str,
    seed: int,
    device: str = "auto",
) -> CandidateMeasure:
    fit = {key: result.metrics[key] for key in ("decision_rule", "final_train_loss") if key in result.metrics}
    validation = result.validation_indices
    if validation:
        held_out = [examples[i] for i in validation]
        predicted = artifact_predictions(result.output_dir, held_out, tree)
        metrics = predicted_metrics(held_out, predicted, tree)
        quality = quality_held_out(
            metrics,
            examples=len(held_out),
            uncertainty=holdout_uncertainty(held_out, predicted, tree, seed=seed),
        )
        return CandidateMeasure(
            metrics=metrics | fit | {"quality": quality, "evaluated_on": quality["how"]},
            unseen=dict(zip(validation, predicted, strict=True)),
        )
    cv = cross_validate(
        examples=examples,
        tree=tree,
        trained_keys=result.trained_labels,
        meaning_rows=result.meaning_rows,
        base_model_path=base_model_path,
        device=resolve_device(device),
        seed=seed,
        decision_rule=str(result.metrics.get("decision_rule", "thresholds")),
    )
    if cv is None:
        quality = quality_not_estimated(examples=len(examples))
        return CandidateMeasure(
            metrics={"macro_f1": None, "micro_f1": None, "per_label": {}, "per_level": {}}
            | fit
            | {"quality": quality, "evaluated_on": quality["how"], "n_examples": len(examples)},
            unseen={},
        )
    quality = quality_cross_validated(cv, encoder=encoder)
    return CandidateMeasure(
        metrics=cv.metrics | fit | {"quality": quality, "evaluated_on": quality["how"]},
        unseen=dict(enumerate(cv.predicted)),
    )


def _trained_requirements(version: ModelVersion) -> set[int] | None:
    """Requirement ids the version was trained on: none for zero-shot, None when no longer known."""
    if version.is_zero_shot:
        return set()
    job = version.training_job
    if job is None or job.snapshot is None:
        return None
    try:
        content = dataset_snapshot_load(snapshot=job.snapshot)
    except (OSError, ValueError):
        return None
    return {int(example["requirement_id"]) for example in content.examples}


def candidate_compare(
    *,
    job: TrainingJob,
    measure: CandidateMeasure,
    examples: list[Example],
    requirement_ids: list[int],
    tree: LabelTree,
) -> tuple[dict[str, Any], PromotionDecision]:
    """Compare with the active version on the examples neither was trained on and apply the policy."""
    project = job.project
    active = model_version_active(project=project)
    candidate_quality = measure.metrics["quality"]
    comparison: dict[str, Any] = {
        "candidate": {k: measure.metrics.get(k) for k in ("macro_f1", "micro_f1")},
        "candidate_quality": candidate_quality["summary"],
        "active": None,
        "active_version": active.number if active else None,
        "validation_examples": 0,
    }
    if active is None:
        decision = promotion_judge(project=project, candidate=measure.metrics, active=None)
        return comparison | {"decision": decision.reason}, decision
    seen = _trained_requirements(active)
    rows = sorted(i for i in measure.unseen if requirement_ids[i] not in seen) if seen is not None else []
    if len(rows) >= MIN_EXAMPLES_TO_ESTIMATE:
        subset = [examples[i] for i in rows]
        candidate = predicted_metrics(subset, [measure.unseen[i] for i in rows], tree)
        active_metrics = predicted_metrics(
            subset,
            artifact_predictions(artifact_local_dir(prefix=active.artifact_path), subset, tree),
            tree,
        )
        how = "held out" if candidate_quality["method"] == "held_out" else "cross-validated"
        basis = (
            f"{len(rows)} answered examples neither version was trained on "
            f"(candidate {how}, v{active.number} as it stands)"
        )
        decision = promotion_judge(project=project, candidate=candidate, active=active_metrics, basis=basis)
        comparison |= {
            "candidate": {k: candidate[k] for k in ("macro_f1", "micro_f1")},
            "active": {k: active_metrics[k] for k in ("macro_f1", "micro_f1")},
            "validation_examples": len(rows),
            "basis": basis,
        }
        return comparison | {"decision": decision.reason}, decision
    # Too few examples that the active version has not seen: compare each version's own estimate.
    active_quality = version_quality(metrics=active.metrics, zero_shot=active.is_zero_shot)
    comparison["active_quality"] = active_quality["summary"]
    if candidate_quality["macro_f1"] is not None and active_quality["macro_f1"] is not None:
        decision = promotion_judge(
            project=project,
            candidate=measure.metrics,
            active=active.metrics,
            basis=f"each version's own estimate (fewer than {MIN_EXAMPLES_TO_ESTIMATE} answered "
            f"examples are new since v{active.number})",
        )
    elif active.is_zero_shot:
        decision = promotion_policy_apply(
            project=project,
            decision=PromotionDecision(
                True,
                f"Too few answered examples to measure either version ({len(rows)}); a trained version "
                f"replaces zero-shot v{active.number}.",
            ),
        )
    else:
        decision = PromotionDecision(
            False,
            f"Not compared: fewer than {MIN_EXAMPLES_TO_ESTIMATE} answered examples that v{active.number} "
            "was not trained on, and no estimate for one of them. An admin can promote it by hand.",
        )
    return comparison | {"decision": decision.reason}, decision
