"""Training jobs (the source of truth for a training's state) and the dataset snapshots they train on."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from selko.tenancy.models import Project


class DatasetSnapshot(models.Model):
    """An immutable copy of the labeled examples a training used, identified by its content hash."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="dataset_snapshots")
    sha256 = models.CharField(max_length=64)
    storage_path = models.CharField(max_length=500)
    example_count = models.PositiveIntegerField()
    annotation_count = models.PositiveIntegerField()
    label_counts = models.JSONField(default=dict)  # label id -> positive examples
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "sha256"], name="snapshot_unique_per_project")
        ]

    def __str__(self) -> str:
        return f"snapshot {self.sha256[:12]}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


ACTIVE_JOB_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


class TrainingJob(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="training_jobs")
    status = models.CharField(
        max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True
    )
    phase = models.CharField(max_length=80, blank=True)  # "epoch 3 of 10", "evaluating", …
    progress = models.FloatField(default=0.0)  # 0..100
    config = models.JSONField(default=dict, blank=True)
    snapshot = models.ForeignKey(
        DatasetSnapshot, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    metrics_series = models.JSONField(
        default=list, blank=True
    )  # [{"epoch": 1, "loss": …, "val_macro_f1": …}]
    log_lines = models.JSONField(default=list, blank=True)
    error_message = models.TextField(blank=True)
    outcome = models.TextField(blank=True)  # what happened, in words: "v3 promoted", "kept v2: …"
    model_version = models.ForeignKey(
        "models_app.ModelVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    worker_host = models.CharField(max_length=255, blank=True)
    device = models.CharField(max_length=40, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    cancel_requested = models.BooleanField(default=False)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # At most one queued or running job per project, enforced by the database itself.
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(status__in=["queued", "running"]),
                name="one_active_training_job",
            )
        ]

    def __str__(self) -> str:
        return f"training job {self.pk} ({self.status})"
