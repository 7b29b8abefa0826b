"""Per document, how many of its requirements carry each label in each top-level section: a person's
"yes" or the active model's suggestion, each requirement counted once. Stored so that a 50,000-row
document's page reads one row instead of grouping every answer and prediction of the document.

A row is valid for one active version and one generation of the document's segments
(documents.DocumentCounts.generation): readers ignore a row whose stamps differ and count live. Tagging
drops the rows of the version it writes and stores them again at its end; answers adjust them in the
transaction that writes the answers (models_app.summaries.services)."""

from django.db import models


class DocumentTagCounts(models.Model):
    document = models.OneToOneField(
        "documents.Document", primary_key=True, on_delete=models.CASCADE, related_name="tag_counts"
    )
    # The active version the suggestions were read from; None when the project had none (answers only).
    # No foreign key: a stamp to compare, the row means nothing once the version is no longer active.
    model_version_id = models.BigIntegerField(null=True, blank=True)
    generation = models.PositiveIntegerField(default=0)  # of the document's segments; 0: none stored
    # {top-level section ("" before any heading): {label id: requirements}}
    counts = models.JSONField(default=dict)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "document tag counts"

    def __str__(self) -> str:
        return f"tag counts of {self.document_id}"
