"""Stored quality findings: one row per finding (filtered on by rule) and a score per requirement.

The explanation and the hint of a finding are not stored: they come from the rule (`rules.RULES`), so a
reworded hint shows at once without recomputing anything.
"""

from django.db import models

from selko.tenancy.models import Project


class RequirementQuality(models.Model):
    """A requirement's score and the rules version it was checked with. Informative text has none."""

    # By app label, not imported: documents.models imports this module to register it.
    requirement = models.OneToOneField(
        "documents.Requirement", primary_key=True, on_delete=models.CASCADE, related_name="quality"
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField()
    finding_count = models.PositiveSmallIntegerField(default=0)
    rules_version = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["project", "score"])]

    def __str__(self) -> str:
        return f"{self.requirement_id}: {self.score}"


class QualityFinding(models.Model):
    """One rule's finding on one span of a requirement's text (character offsets)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    requirement = models.ForeignKey(
        "documents.Requirement", on_delete=models.CASCADE, related_name="quality_findings"
    )
    rule = models.CharField(max_length=40)
    severity = models.CharField(max_length=8)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()

    class Meta:
        ordering = ["requirement_id", "start", "end", "rule"]
        indexes = [models.Index(fields=["project", "rule", "requirement"])]

    def __str__(self) -> str:
        return f"{self.requirement_id} {self.rule} {self.start}-{self.end}"
