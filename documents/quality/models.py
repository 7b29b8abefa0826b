"""Stored quality findings: one row per finding (filtered on by rule) and a score per requirement.

The explanation and the hint of a finding are not stored: they come from the rule (`rules.RULES`), so a
reworded hint shows at once without recomputing anything.
"""

from django.conf import settings
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


class QualitySettings(models.Model):
    """A project's quality rules: those switched off and its own vague words. No row: the defaults.

    Stored as the admin typed them; `QualityConfig` validates them before they are written and again when
    they are read, so a rule removed from a later version is skipped rather than failing every check.
    """

    project = models.OneToOneField(
        Project, primary_key=True, on_delete=models.CASCADE, related_name="quality_settings"
    )
    disabled_rules = models.JSONField(default=list)
    extra_vague_terms = models.JSONField(default=list)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "quality settings"

    def __str__(self) -> str:
        return f"quality settings of {self.project_id}"


class DocumentQualityCounts(models.Model):
    """A document's findings and scores counted when they are written (documents.quality.counts), so its
    page reads one row instead of grouping every score and finding of a 50,000-row document."""

    document = models.OneToOneField(
        "documents.Document", primary_key=True, on_delete=models.CASCADE, related_name="quality_counts"
    )
    # {"checked", "average", "findings", "by_rule": {rule: requirements}, "by_section_rule": {top-level
    #  section: {rule: requirements}}, "sections": [[section key, average, checked], …],
    #  "leaders": {"" or top-level section: [[requirement id, findings], …]}}
    counts = models.JSONField(default=dict)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "document quality counts"

    def __str__(self) -> str:
        return f"quality counts of {self.document_id}"
