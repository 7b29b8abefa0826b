"""People's answers: one yes/no per requirement and label."""

from django.conf import settings
from django.db import models

from documents.models import Requirement
from models_app.taxonomy.models import Label
from selko.tenancy.models import Project


class Annotation(models.Model):
    """A person's current yes/no answer for one requirement and one label. "No" is kept: it is a negative."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="annotations")
    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="annotations")
    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="annotations")
    value = models.BooleanField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["requirement", "label"], name="one_answer_per_requirement_label")
        ]
        indexes = [models.Index(fields=["project", "label", "value"])]

    def __str__(self) -> str:
        return f"{self.requirement_id} {'+' if self.value else '-'}{self.label_id}"
