"""Model registry writes: register a trained version, decide and apply its promotion, roll back, and
change the project's promotion settings."""

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from documents.models import Requirement
from documents.services.touch import requirements_touch
from models_app.registry.encoders import encoder_checked
from models_app.registry.models import (
    ModelSettings,
    ModelVersion,
    ModelVersionKind,
    ModelVersionStatus,
    PromotionPolicy,
)
from models_app.registry.promotion import PromotionDecision, promotion_decide
from models_app.registry.selectors import label_names_for_project, model_settings_for_project
from selko.audit.services import audit_record
from selko.errors import Conflict, ValidationFailed
from selko.queueing import enqueue_after_commit
from selko.request_types import AnyUser
from selko.tenancy.models import Project, Role
from selko.tenancy.services import require_role

# The `predict` task that tags every requirement of a project with one version (models_app/registry/tasks.py).
PREDICT_TASK = "models_app.tasks.predict_project"


@transaction.atomic
def model_version_register(
    *,
    project: Project,
    artifact_path: str,
    metrics: dict[str, Any],
    lineage: dict[str, Any],
    label_ids: list[int],
    training_job: Any = None,
    created_by: User | None = None,
    kind: str = ModelVersionKind.TRAINED,
) -> ModelVersion:
    """Record a finished artifact as the project's next version (v1, v2, …). A project's very first
    version, when zero-shot, is v0: the one made before anything was trained."""
    Project.objects.select_for_update().get(pk=project.pk)  # serialises version numbering per project
    highest = ModelVersion.objects.filter(project=project).aggregate(n=Max("number"))["n"]
    number = 0 if highest is None and kind == ModelVersionKind.ZERO_SHOT else (highest or 0) + 1
    version = ModelVersion.objects.create(
        project=project,
        number=number,
        kind=kind,
        artifact_path=artifact_path,
        metrics=metrics,
        lineage=lineage,
        label_ids=label_ids,
        training_job=training_job,
        created_by=created_by,
    )
    audit_record(actor=created_by, action="model_version.registered", target=version, project=project)
    return version


def promotion_judge(
    *,
    project: Project,
    candidate: dict[str, Any],
    active: dict[str, Any] | None,
    basis: str = "the same validation examples",
) -> PromotionDecision:
    """Apply the project's rule and policy to a candidate's and the active version's metrics, both
    measured on the same examples neither was trained on, described by `basis` (`active` is None when
    nothing is active)."""
    model_settings = model_settings_for_project(project=project)
    decision = promotion_decide(
        candidate=candidate,
        active=active,
        max_label_drop_points=model_settings.max_label_f1_drop_points,
        label_names=label_names_for_project(project=project),
        basis=basis,
    )
    return promotion_policy_apply(project=project, decision=decision)


def promotion_policy_apply(*, project: Project, decision: PromotionDecision) -> PromotionDecision:
    """Under the manual policy nothing is promoted automatically; the reason still says what was found."""
    if model_settings_for_project(project=project).promotion_policy == PromotionPolicy.MANUAL:
        return PromotionDecision(False, f"Manual promotion policy: an admin decides. ({decision.reason})")
    return decision


def model_version_offer(
    *,
    project: Project,
    artifact_path: str,
    metrics: dict[str, Any],
    lineage: dict[str, Any],
    label_ids: list[int],
    decision: PromotionDecision,
    training_job: Any = None,
    created_by: User | None = None,
) -> tuple[ModelVersion, str]:
    """Register a trained version, then promote it or record why not, in one transaction.
    Returns the version and a sentence saying what happened."""
    with transaction.atomic():
        version = model_version_register(
            project=project,
            artifact_path=artifact_path,
            metrics=metrics,
            lineage=lineage,
            label_ids=label_ids,
            training_job=training_job,
            created_by=created_by,
        )
        if decision.promote:
            model_version_promote(actor=None, version=version, note=decision.reason)
            return version, f"v{version.number} registered and promoted: {decision.reason}"
        version.promotion_note = decision.reason
        version.save(update_fields=["promotion_note"])
        return version, f"v{version.number} registered, not promoted: {decision.reason}"


def _activate(*, version: ModelVersion, actor: AnyUser | None, action: str, note: str) -> ModelVersion:
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=version.project_id)
        previous = ModelVersion.objects.filter(project=project, is_active=True).first()
        if previous is not None and previous.pk == version.pk:
            raise Conflict(f"v{version.number} is already the active version.")
        ModelVersion.objects.filter(project=project, is_active=True).update(is_active=False)
        version.is_active = True
        version.status = ModelVersionStatus.READY
        version.promoted_at = timezone.now()
        version.promotion_note = note
        version.save(update_fields=["is_active", "status", "promoted_at", "promotion_note"])
        # Every row now reads the new version's tags (none until the `predict` task has tagged it).
        requirements_touch(requirements=Requirement.objects.filter(project=project))
        audit_record(
            actor=actor,
            action=action,
            target=version,
            project=project,
            details={"from": previous.number if previous else None, "to": version.number, "note": note},
        )
        enqueue_after_commit(PREDICT_TASK, project.pk, version.pk)
    return version


def model_version_promote(*, actor: AnyUser | None, version: ModelVersion, note: str = "") -> ModelVersion:
    """Make `version` the active one (admin role for people; the trainer's auto policy passes actor=None)."""
    if actor is not None:
        require_role(
            user=actor, project=version.project, minimum=Role.ADMIN, action="promote a model version"
        )
    return _activate(
        version=version, actor=actor, action="model_version.promoted", note=note or "Promoted by hand."
    )


def model_version_rollback(*, actor: AnyUser, project: Project) -> ModelVersion:
    """Re-activate the version that was active before the current one."""
    require_role(user=actor, project=project, minimum=Role.ADMIN, action="roll back the model")
    current = ModelVersion.objects.filter(project=project, is_active=True).first()
    if current is None:
        raise Conflict("There is no active model to roll back from.")
    previous = (
        ModelVersion.objects.filter(
            project=project, promoted_at__isnull=False, promoted_at__lt=current.promoted_at
        )
        .order_by("-promoted_at")
        .first()
    )
    if previous is None:
        raise Conflict(
            f"v{current.number} is the first model ever promoted: there is nothing to roll back to."
        )
    return _activate(
        version=previous,
        actor=actor,
        action="model_version.rolled_back",
        note=f"Rolled back from v{current.number}.",
    )


def model_settings_update(
    *,
    actor: AnyUser,
    project: Project,
    promotion_policy: str,
    max_label_f1_drop_points: float,
    epochs: int | None = None,
    encoder: str | None = None,
) -> ModelSettings:
    """Change how new versions are promoted (admin role)."""
    require_role(user=actor, project=project, minimum=Role.ADMIN, action="change the promotion policy")
    if promotion_policy not in PromotionPolicy.values:
        raise ValidationFailed(
            f"Unknown promotion policy {promotion_policy!r}: use {' or '.join(PromotionPolicy.values)}.",
            details={"promotion_policy": list(PromotionPolicy.values)},
        )
    if not 0 <= max_label_f1_drop_points <= 100:
        raise ValidationFailed("The largest allowed drop of a label's F1 is between 0 and 100 points.")
    chosen_encoder = encoder_checked(encoder) if encoder is not None else None  # only registered ones
    with transaction.atomic():
        model_settings, _ = ModelSettings.objects.select_for_update().get_or_create(project=project)
        before = {
            "policy": model_settings.promotion_policy,
            "drop": model_settings.max_label_f1_drop_points,
            "encoder": model_settings.encoder,
        }
        model_settings.promotion_policy = promotion_policy
        model_settings.max_label_f1_drop_points = max_label_f1_drop_points
        if epochs is not None:
            model_settings.epochs = epochs  # 0: the trainer chooses by data size
        if chosen_encoder is not None:
            model_settings.encoder = chosen_encoder
        model_settings.save(
            update_fields=["promotion_policy", "max_label_f1_drop_points", "epochs", "encoder"]
        )
        audit_record(
            actor=actor,
            action="model_settings.changed",
            target=model_settings,
            project=project,
            details={
                "before": before,
                "after": {
                    "policy": promotion_policy,
                    "drop": max_label_f1_drop_points,
                    "encoder": model_settings.encoder,
                },
            },
        )
    return model_settings
