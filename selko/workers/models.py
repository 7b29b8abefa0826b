"""What the operator sees of the workers: one heartbeat row per live worker, and failed tasks.

Workers write these rows themselves (a thread in each worker's main process), so the web process never
lists processes or asks the broker's control channel; a worker that died stops refreshing its row and
drops out of the list once the row is older than SELKO_WORKER_STALE_SECONDS.
"""

from django.db import models

from selko.tenancy.models import Project


class WorkerHeartbeat(models.Model):
    name = models.CharField(max_length=255, unique=True)  # Celery's node name: "gpu@host-1"
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    queues = models.JSONField(default=list)
    concurrency = models.PositiveIntegerField()
    pool = models.CharField(max_length=40)
    device = models.CharField(max_length=200)  # "CPU (16 cores)" or the GPU's name
    device_memory_bytes = models.BigIntegerField(null=True, blank=True)  # the GPU's memory
    started_at = models.DateTimeField()
    last_heartbeat_at = models.DateTimeField(db_index=True)
    tasks_done = models.PositiveIntegerField(default=0)
    # [{"name", "id", "started_at", "project_id", "subject"}]: what each pool process is running now.
    current_tasks = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TaskFailure(models.Model):
    task_name = models.CharField(max_length=200)
    task_id = models.CharField(max_length=64)
    worker_name = models.CharField(max_length=255)
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=200, blank=True)  # "training job 12"
    reason = models.TextField()
    failed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-failed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.task_name} {self.task_id}"


class WorkDone(models.TextChoices):
    PAGES_INGESTED = "pages_ingested"
    ROWS_INGESTED = "rows_ingested"
    PREDICTIONS_WRITTEN = "predictions_written"
    REQUIREMENTS_TAGGED = "requirements_tagged"


class WorkTotal(models.Model):
    """A running total of work done by all workers since installation: Prometheus reads it as a counter
    and takes its rate. It is added to in the transaction that writes the work, so work rolled back is
    not counted, and it lives in the database because workers on other machines add to it."""

    name = models.CharField(max_length=40, unique=True, choices=WorkDone.choices)
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"
