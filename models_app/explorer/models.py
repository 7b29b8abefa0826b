"""Saved explorer views: a named filter that everyone in the project sees."""

from django.conf import settings
from django.db import models

from selko.tenancy.models import Project


class SavedView(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="saved_views")
    name = models.CharField(max_length=120)
    filters = models.JSONField(default=dict)  # validated by `explorer_filters_parse` before it is stored
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project_id", "name"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="saved_view_name_unique")]

    def __str__(self) -> str:
        return self.name
