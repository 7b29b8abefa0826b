"""A project's label tree: one row per label, each with at most one parent."""

from django.db import models
from django.db.models import Q

from selko.tenancy.models import Project


class Label(models.Model):
    """A node of the project's label tree. A label implies all its ancestors."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="labels")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    name = models.CharField(max_length=120)
    # What the label means, in the customer's words: shown while labeling and read by the zero-shot model.
    description = models.TextField(blank=True)
    # Short phrases typical of requirements that carry the label; the zero-shot model reads them too.
    examples = models.JSONField(default=list, blank=True)
    color = models.CharField(max_length=7, default="#5b6abf")  # #rrggbb
    order = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project_id", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "parent", "name"], name="label_name_unique_among_siblings"
            ),
            models.UniqueConstraint(
                fields=["project", "name"], condition=Q(parent__isnull=True), name="root_label_name_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name
