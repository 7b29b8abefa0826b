"""Model registry writes: register a trained version, promote, roll back, and tag requirements."""

import logging
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from documents.models import Requirement
from models_app.artifacts import artifact_local_dir
from models_app.models import (
    Label,
    ModelSettings,
    ModelVersion,
    ModelVersionStatus,
    Prediction,
    PromotionPolicy,
)
from selko.audit.services import audit_record
from selko.errors import Conflict, NotFound, ValidationFailed
from selko.tenancy.models import Project, Role
from selko.tenancy.services import require_role

logger = logging.getLogger(__name__)
PREDICT_BATCH_SIZE = 256


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
) -> ModelVersion:
    """Record a finished artifact as the project's next version (v1, v2, …)."""
    Project.objects.select_for_update().get(pk=project.pk)  # serialises version numbering per project
    number = (ModelVersion.objects.filter(project=project).aggregate(n=Max("number"))["n"] or 0) + 1
    version = ModelVersion.objects.create(
        project=project,
        number=number,
        artifact_path=artifact_path,
        metrics=metrics,
        lineage=lineage,
        label_ids=label_ids,
        training_job=training_job,
        created_by=created_by,
    )
    audit_record(actor=created_by, action="model_version.registered", target=version, project=project)
    return version


def _activate(
    *, version: ModelVersion, actor: User | AnonymousUser | None, action: str, note: str
) -> ModelVersion:
    from models_app.tasks import predict_project_enqueue

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
        audit_record(
            actor=actor,
            action=action,
            target=version,
            project=project,
            details={"from": previous.number if previous else None, "to": version.number, "note": note},
        )
        transaction.on_commit(
            lambda: predict_project_enqueue(project_id=project.pk, model_version_id=version.pk)
        )
    return version


def model_version_promote(
    *, actor: User | AnonymousUser | None, version: ModelVersion, note: str = ""
) -> ModelVersion:
    """Make `version` the active one (admin role for people; the trainer's auto policy passes actor=None)."""
    if actor is not None:
        require_role(
            user=actor, project=version.project, minimum=Role.ADMIN, action="promote a model version"
        )
    return _activate(
        version=version, actor=actor, action="model_version.promoted", note=note or "Promoted by hand."
    )


def model_version_rollback(*, actor: User | AnonymousUser, project: Project) -> ModelVersion:
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


def _batches(queryset: Any, size: int) -> Iterator[list[Requirement]]:
    batch: list[Requirement] = []
    for requirement in queryset.iterator(chunk_size=size):
        batch.append(requirement)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def predictions_refresh(*, project_id: int, model_version_id: int) -> int:
    """Tag every requirement of the project with one version, in batches. Idempotent (upserts)."""
    from models_app.inference import load_classifier

    version = ModelVersion.objects.filter(pk=model_version_id, project_id=project_id).first()
    if version is None:
        raise NotFound(f"Model version {model_version_id} no longer exists.")
    classifier = load_classifier(
        artifact_local_dir(prefix=version.artifact_path), runtime=settings.SELKO_INFERENCE_RUNTIME
    )
    labels = set(Label.objects.filter(project_id=project_id).values_list("pk", flat=True))
    # A label deleted since training has no row to point at; its scores are dropped.
    columns = [(index, int(key)) for index, key in enumerate(classifier.label_keys) if int(key) in labels]
    requirements = Requirement.objects.filter(project_id=project_id).only("pk", "text").order_by("pk")
    total = requirements.count()
    ModelVersion.objects.filter(pk=version.pk).update(tagging_done=0, tagging_total=total, tagged_at=None)
    done = 0
    for batch in _batches(requirements, PREDICT_BATCH_SIZE):
        scores = classifier.score_array([r.text for r in batch])
        decided = classifier.decide_array(scores)
        rows = [
            Prediction(
                project_id=project_id,
                requirement_id=requirement.pk,
                label_id=label_id,
                model_version_id=version.pk,
                score=float(scores[row, index]),
                predicted=bool(decided[row, index]),
            )
            for row, requirement in enumerate(batch)
            for index, label_id in columns
        ]
        with transaction.atomic():
            Prediction.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["model_version", "requirement", "label"],
                update_fields=["score", "predicted"],
            )
            done += len(batch)
            ModelVersion.objects.filter(pk=version.pk).update(tagging_done=done)
    ModelVersion.objects.filter(pk=version.pk).update(tagged_at=timezone.now())
    logger.info("tagged %s requirements of project %s with v%s", done, project_id, version.number)
    return done


def model_settings_update(
    *,
    actor: User | AnonymousUser,
    project: Project,
    promotion_policy: str,
    max_label_f1_drop_points: float,
    epochs: int | None = None,
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
    with transaction.atomic():
        model_settings, _ = ModelSettings.objects.select_for_update().get_or_create(project=project)
        before = {"policy": model_settings.promotion_policy, "drop": model_settings.max_label_f1_drop_points}
        model_settings.promotion_policy = promotion_policy
        model_settings.max_label_f1_drop_points = max_label_f1_drop_points
        if epochs is not None:
            model_settings.epochs = epochs  # 0: the trainer chooses by data size
        model_settings.save(update_fields=["promotion_policy", "max_label_f1_drop_points", "epochs"])
        audit_record(
            actor=actor,
            action="model_settings.changed",
            target=model_settings,
            project=project,
            details={
                "before": before,
                "after": {"policy": promotion_policy, "drop": max_label_f1_drop_points},
            },
        )
    return model_settings
