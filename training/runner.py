"""Run one claimed training job: snapshot → fine-tune → measure on unseen examples → compare with the
active model → register → promote.

Runs in a Celery worker, never in the web process. The job row is left in a final state on every path.
"""

import json
import logging
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from models_app.annotations.selectors import unanswered_requirement_texts
from models_app.registry.artifacts import artifact_delete, artifact_upload
from models_app.registry.services import model_version_offer
from training.code_version import code_version
from training.evaluation import candidate_compare, candidate_measure
from training.ml.artifact import metrics_record
from training.ml.base_model import default_base_model_path
from training.ml.errors import MLError, TrainingCancelled
from training.ml.train import TrainConfig, train_classifier
from training.models import JobStatus, TrainingJob
from training.progress import Heartbeat, JobReporter
from training.services import training_job_claim, training_job_finish
from training.snapshots import dataset_snapshot_store, snapshot_content_collect

logger = logging.getLogger(__name__)
# The project's unanswered requirements that set the top-level thresholds (training/ml/
# document_thresholds.py): enough for the mixture's two groups, few enough to score in seconds on a CPU.
UNANSWERED_FOR_THRESHOLDS = 2000


def _train_config(job: TrainingJob) -> TrainConfig:
    # The encoder chosen when the job was queued (training_config_for_project); older jobs: the setting.
    chosen = job.config.get("base_model_path", settings.SELKO_BASE_MODEL)
    base = Path(chosen) if chosen else None
    return TrainConfig(
        base_model_path=base,
        epochs=job.config.get("epochs"),
        seed=int(job.config.get("seed", 0)),
        min_positive_examples=int(
            job.config.get("min_positive_examples", settings.SELKO_MIN_EXAMPLES_PER_LABEL)
        ),
    )


def training_job_run(*, job_id: int, worker_host: str) -> None:
    job = training_job_claim(job_id=job_id, worker_host=worker_host)
    if job is None:
        return
    reporter = JobReporter(job_id=job.pk)
    work_root = Path(settings.VAR_DIR) / "training-tmp"
    work_root.mkdir(parents=True, exist_ok=True)
    work_dir = Path(tempfile.mkdtemp(prefix=f"job-{job.pk}-", dir=work_root))
    uploaded_prefix = None
    try:
        with Heartbeat(job_id=job.pk, interval=settings.SELKO_JOB_HEARTBEAT_SECONDS):
            reporter.phase("snapshot", progress=1.0, message="Taking a snapshot of the labeled examples")
            content = snapshot_content_collect(project=job.project)
            snapshot = dataset_snapshot_store(project=job.project, content=content)
            TrainingJob.objects.filter(pk=job.pk).update(snapshot=snapshot)
            reporter.log(
                f"Snapshot {snapshot.sha256[:12]}: {snapshot.example_count} requirements, "
                f"{snapshot.annotation_count} answers"
            )
            examples, tree = content.ml_examples(), content.tree()
            config = _train_config(job)
            result = train_classifier(
                examples=examples,
                tree=tree,
                config=config,
                output_dir=work_dir / "artifact",
                on_event=reporter.on_event,
                should_stop=reporter.should_stop,
                meanings=content.meanings(),
                unanswered_texts=unanswered_requirement_texts(
                    project=job.project, limit=UNANSWERED_FOR_THRESHOLDS
                ),
            )
            reporter.phase("evaluating", progress=91.0, message="Measuring on examples the model did not see")
            measure = candidate_measure(
                result=result,
                examples=examples,
                tree=tree,
                base_model_path=config.base_model_path or default_base_model_path(),
                encoder=str(job.config.get("base_model") or "the base encoder"),
                seed=config.seed,
                device=config.device,
            )
            reporter.phase("evaluating", progress=93.0, message="Comparing with the active model")
            comparison, decision = candidate_compare(
                job=job,
                measure=measure,
                examples=examples,
                requirement_ids=[int(e["requirement_id"]) for e in content.examples],
                tree=tree,
            )
            if reporter.should_stop():
                raise TrainingCancelled("Training was cancelled before the model was registered.")
            reporter.phase("saving", progress=95.0, message="Storing the model")
            # The stored artifact carries the same figures as the version, not the trainer's own.
            metrics_record(result.output_dir, measure.metrics)
            uploaded_prefix = artifact_upload(local_dir=result.output_dir, project_id=job.project_id)
            reporter.phase("promoting", progress=98.0, message=decision.reason)
            card = _card(result.output_dir)
            lineage = {
                "dataset_sha256": snapshot.sha256,
                "annotation_count": snapshot.annotation_count,
                "example_count": snapshot.example_count,
                "base_model": job.config.get("base_model"),
                "base_model_sha256": card.get("base_model", {}).get("weights_sha256"),
                "code_version": code_version(),
                "hyperparameters": card.get("hyperparameters", job.config),
                "training_job": job.pk,
                "triggered_by": job.triggered_by.get_username() if job.triggered_by else None,
                "device": result.device,
                "skipped_labels": result.skipped_labels,
                "from_meaning": result.from_meaning,
                "comparison": comparison,
            }
            with transaction.atomic():
                version, outcome = model_version_offer(
                    project=job.project,
                    artifact_path=uploaded_prefix,
                    metrics=measure.metrics,
                    lineage=lineage,
                    label_ids=[int(key) for key in result.trained_labels],
                    decision=decision,
                    training_job=job,
                    created_by=job.triggered_by,
                )
                TrainingJob.objects.filter(pk=job.pk).update(device=result.device)
                training_job_finish(
                    job_id=job.pk, status=JobStatus.SUCCEEDED, outcome=outcome, version=version
                )
    except TrainingCancelled as stop:
        _discard(uploaded_prefix)
        training_job_finish(job_id=job.pk, status=JobStatus.CANCELLED, outcome=str(stop))
    except MLError as error:
        _discard(uploaded_prefix)
        training_job_finish(job_id=job.pk, status=JobStatus.FAILED, error=str(error))
    except Exception as error:
        _discard(uploaded_prefix)
        logger.exception("training job %s failed", job.pk)
        training_job_finish(
            job_id=job.pk,
            status=JobStatus.FAILED,
            error=f"Training stopped on an unexpected error ({type(error).__name__}). "
            "The details are in the worker log; try again or contact your administrator.",
        )
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)


def _discard(prefix: str | None) -> None:
    if prefix:
        artifact_delete(prefix=prefix)


def _card(artifact_dir: Path) -> dict[str, Any]:
    path = artifact_dir / "training_card.json"
    return json.loads(path.read_text()) if path.is_file() else {}
