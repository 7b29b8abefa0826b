"""Exports prepared by a worker: where each stands and where its file is."""

from django.conf import settings
from django.db import models

from selko.tenancy.models import Project


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Ready"
    FAILED = "failed", "Failed"


class ExportJob(models.Model):
    """A large export written by a worker; the row says where it stands and where the file is."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="export_jobs")
    file_type = models.CharField(max_length=8)  # csv, xlsx, reqif or reqifz
    options = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=12, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    file_path = models.CharField(max_length=500, blank=True)  # name in default_storage
    row_count = models.PositiveIntegerField(null=True, blank=True)
    error_message = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"export {self.pk} ({self.file_type}, {self.status})"
