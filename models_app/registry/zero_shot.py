"""The zero-shot version: suggestions from the labels' meaning before anything is trained.

As soon as a project has labels, `zero_shot_version_refresh` (the `predict` queue's `zero_shot_refresh`
task, queued by the taxonomy's services after names, descriptions, phrases or the tree changed) builds a
zero-shot artifact with `training.ml.zero_shot`, registers it (v0 when it is the project's first
version) and activates it unless a trained version is active. Activation queues the `predict` task,
which tags every requirement. A trained version replaces it under the project's usual promotion policy.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction

from models_app.registry.artifacts import artifact_delete, artifact_upload
from models_app.registry.encoders import encoder_for_project
from models_app.registry.models import ModelVersion, ModelVersionKind
from models_app.registry.services import model_version_promote, model_version_register
from models_app.taxonomy.selectors import Taxonomy, taxonomy_get, tree_key
from selko.errors import NotFound
from selko.tenancy.models import Project

if TYPE_CHECKING:
    from training.ml.zero_shot import LabelMeaning

logger = logging.getLogger(__name__)


def _meanings(index: Taxonomy) -> dict[str, LabelMeaning]:
    # Lazy on purpose: the ML core brings torch, and this module is imported by the tasks module,
    # which web processes load only to queue work.
    from training.ml.zero_shot import LabelMeaning

    return {
        tree_key(pk): LabelMeaning(description=label.description, examples=tuple(label.examples))
        for pk, label in index.by_id.items()
    }


def _latest(project: Project) -> ModelVersion | None:
    return (
        ModelVersion.objects.filter(project=project, kind=ModelVersionKind.ZERO_SHOT)
        .order_by("-number")
        .first()
    )


def _up_to_date(version: ModelVersion | None, sha: str, encoder: str) -> bool:
    return (
        version is not None
        and version.lineage.get("meaning_sha256") == sha
        and version.lineage.get("base_model") == encoder
    )


def zero_shot_version_refresh(*, project_id: int) -> ModelVersion | None:
    """Make sure the project's newest zero-shot version matches its labels; returns it (None when the
    project has no labels). Idempotent: the same tree and meanings reuse the existing version."""
    from training.ml.zero_shot import ZeroShotConfig, build_zero_shot, meaning_sha256

    project = Project.objects.filter(pk=project_id).first()
    if project is None:
        raise NotFound(f"Project {project_id} no longer exists.")
    index = taxonomy_get(project=project)
    if not len(index):
        return None
    meanings = _meanings(index)
    sha = meaning_sha256(index.tree, meanings)
    encoder = encoder_for_project(project=project)
    latest = _latest(project)
    if _up_to_date(latest, sha, encoder.name):
        return latest

    work_root = Path(settings.VAR_DIR) / "zero-shot-tmp"
    work_root.mkdir(parents=True, exist_ok=True)
    work_dir = Path(tempfile.mkdtemp(prefix=f"project-{project.pk}-", dir=work_root))
    prefix = None
    try:
        base = encoder.path
        result = build_zero_shot(
            tree=index.tree,
            meanings=meanings,
            config=ZeroShotConfig(base_model_path=base),
            output_dir=work_dir / "artifact",
        )
        # Storage I/O outside the transaction; the row is written only once the files are all there.
        prefix = artifact_upload(local_dir=result.output_dir, project_id=project.pk)
        with transaction.atomic():
            Project.objects.select_for_update().get(pk=project.pk)
            latest = _latest(project)
            if _up_to_date(latest, sha, encoder.name):  # another task built the same model meanwhile
                artifact_delete(prefix=prefix)
                return latest
            version = model_version_register(
                project=project,
                artifact_path=prefix,
                metrics={
                    "kind": "zero_shot",
                    "evaluated_on": "nothing: built from the labels' names and descriptions",
                    "described_labels": result.described_labels,
                    "labels": len(result.label_keys),
                },
                lineage={
                    "kind": "zero_shot",
                    "meaning_sha256": sha,
                    "base_model": encoder.name,
                    "labels": len(result.label_keys),
                    "described_labels": result.described_labels,
                    "replaces": latest.number if latest is not None else None,
                },
                label_ids=[int(key) for key in result.label_keys],
                kind=ModelVersionKind.ZERO_SHOT,
            )
            active = ModelVersion.objects.filter(project=project, is_active=True).first()
            if active is None or active.is_zero_shot:
                model_version_promote(
                    actor=None,
                    version=version,
                    note="Zero-shot: suggestions from the labels' names and descriptions until a model "
                    "is trained.",
                )
            else:
                version.promotion_note = (
                    f"Not activated: trained v{active.number} is active. Zero-shot versions only stand in "
                    "before training."
                )
                version.save(update_fields=["promotion_note"])
    except BaseException:
        if prefix is not None and not ModelVersion.objects.filter(artifact_path=prefix).exists():
            artifact_delete(prefix=prefix)
        raise
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    logger.info("zero-shot v%s for project %s (%s)", version.number, project.pk, sha[:12])
    return version
