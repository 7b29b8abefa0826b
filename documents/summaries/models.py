"""A document's extractive summary, computed in the ingest task: which segments best cover the document
and each of its top-level sections. The counts are not stored: they are grouped queries at read time,
and tags change after the ingest (the model tags, people answer)."""

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
