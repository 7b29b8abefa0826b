"""Tagging: every requirement of a project scored by one model version, stored as predictions.

Runs in the `predict` task after a promotion or a rollback, and after a document's requirements
changed (then with the active version, if the project has one).
"""

import logging
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from documents.models import Requirement
from documents.services.touch import requirements_touch
from models_app.registry.artifacts import artifact_local_dir
from models_app.registry.models import ModelVersion, Prediction
from models_app.registry.selectors import model_version_active_id
from models_app.registry.zero_shot import zero_shot_version_refresh
from models_app.summaries.services import project_tag_counts_refresh, tag_counts_drop
from models_app.taxonomy.models import Label
from selko.errors import NotFound
from selko.workers.models import WorkDone
from selko.workers.services import work_total_add

logger = logging.getLogger(__name__)
PREDICT_BATCH_SIZE = 256


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
    # Lazy on purpose: inference brings torch, and web processes load this module (through the tasks
    # module) only to queue work.
    from training.ml.inference import load_classifier

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
        scores, decided = classifier.score_and_decide([r.text for r in batch])
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
            requirements_touch(requirements=Requirement.objects.filter(pk__in=[r.pk for r in batch]))
            # Each batch, not once: another tagging of the same version may have stored them meanwhile.
            tag_counts_drop(project_id=project_id, model_version_id=version.pk)
            done += len(batch)
            ModelVersion.objects.filter(pk=version.pk).update(tagging_done=done)
            work_total_add(name=WorkDone.PREDICTIONS_WRITTEN, amount=len(rows))
            work_total_add(name=WorkDone.REQUIREMENTS_TAGGED, amount=len(batch))
    ModelVersion.objects.filter(pk=version.pk).update(tagged_at=timezone.now())
    with transaction.atomic():
        project_tag_counts_refresh(project_id=project_id)
    logger.info("tagged %s requirements of project %s with v%s", done, project_id, version.number)
    return done


def predictions_refresh_active(*, project_id: int) -> int:
    """Tag the project with its active version. A project with labels but no version yet gets its
    zero-shot version instead, whose activation queues the tagging; then 0 are tagged here."""
    active = model_version_active_id(project_id=project_id)
    if active is None:
        with transaction.atomic():  # the segments changed: people's answers counted again without a model
            project_tag_counts_refresh(project_id=project_id)
        zero_shot_version_refresh(project_id=project_id)
        return 0
    return predictions_refresh(project_id=project_id, model_version_id=active)
