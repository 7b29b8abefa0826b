"""A document's extractive summary, computed in the ingest task: which segments best cover the document
and each of its top-level sections; and the counts of its segments by section, kind and obligation,
written with the segments (ingest, corrections) so that a 50,000-row document's page reads one row
instead of grouping every segment. Tag counts change after the ingest (the model tags, people answer):
the registry keeps its own, stamped with `DocumentCounts.generation`."""

from django.db import models


class DocumentSummary(models.Model):
    # By app label, not imported: documents.models imports this module to register it.
    document = models.OneToOneField(
        "documents.Document", primary_key=True, on_delete=models.CASCADE, related_name="summary"
    )
    # {"": [requirement ids of the document's summary], "3 Safety": [ids of that section's], …}
    segments = models.JSONField(default=dict)
    method = models.CharField(max_length=40)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "document summaries"

    def __str__(self) -> str:
        return f"summary of {self.document_id}"


class DocumentCounts(models.Model):
    """Grouped counts of a document's segments, replaced whenever its segments change."""

    document = models.OneToOneField(
        "documents.Document", primary_key=True, on_delete=models.CASCADE, related_name="counts"
    )
    # Bumped on each write: counts kept elsewhere about these segments (tags by section) are valid only
    # for the generation they were computed on.
    generation = models.PositiveIntegerField(default=1)
    rows = models.PositiveIntegerField(default=0)  # every segment, requirement or informative
    # [[first order, top-level section, is a requirement, obligation, segments], …]
    groups = models.JSONField(default=list)
    # Every distinct section key, in reading order (by its first segment).
    section_keys = models.JSONField(default=list)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "document counts"

    def __str__(self) -> str:
        return f"counts of {self.document_id}"
