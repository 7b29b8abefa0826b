"""Uploaded documents, their revisions, and the requirements segmented out of them."""

from django.conf import settings
from django.db import models

# Registered with the app from their own module.
from documents.quality.models import (  # noqa: F401
    DocumentQualityCounts,
    QualityFinding,
    QualitySettings,
    RequirementQuality,
)
from documents.summaries.models import DocumentCounts, DocumentSummary  # noqa: F401
from selko.tenancy.models import Project


class DocumentStatus(models.TextChoices):
    UPLOADED = "uploaded", "Queued"
    PARSING = "parsing", "Parsing"
    PARSED = "parsed", "Parsed"
    FAILED = "failed", "Failed"


class Obligation(models.TextChoices):
    MANDATORY = "mandatory", "Mandatory"
    RECOMMENDED = "recommended", "Recommended"
    OPTIONAL = "optional", "Optional"
    DECLARATIVE = "declarative", "Declarative"


class Document(models.Model):
    """A named document in a project. Uploading a file with the same name adds a revision."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    name = models.CharField(max_length=255)
    kind = models.CharField(max_length=8, blank=True)  # pdf, docx, html, xlsx, csv...: sniffed from the bytes
    current_revision = models.ForeignKey(
        "DocumentRevision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The revision whose requirements are stored: when a newer revision fails to parse, the requirements of
    # the last good one stay (with their annotations) and the page says which revision they come from.
    parsed_revision = models.ForeignKey(
        "DocumentRevision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.UPLOADED)
    error_message = models.TextField(blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    row_count = models.PositiveIntegerField(null=True, blank=True)
    requirement_count = models.PositiveIntegerField(default=0)
    parse_seconds = models.FloatField(null=True, blank=True)
    # What the parser could not do well on the parsed revision (pages without text, unreadable tables, IDs
    # seen twice), shown on the document's page.
    parse_warnings = models.JSONField(default=list, blank=True)
    # Counts deliveries of the ingest task for the current revision, so a worker killed mid-parse is
    # retried a bounded number of times and never leaves the document stuck in `parsing`.
    ingest_attempts = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="document_name_unique_in_project")
        ]

    def __str__(self) -> str:
        return self.name


class DocumentRevision(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to="documents/", max_length=255)  # stored under a UUID name
    original_filename = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="revision_number_unique")]

    def __str__(self) -> str:
        return f"{self.document} r{self.number}"


class Requirement(models.Model):
    """One segment of a document: a requirement or informative text, with where it came from."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="requirements")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="requirements")
    order = models.PositiveIntegerField()
    text = models.TextField()
    external_id = models.CharField(max_length=100, blank=True, db_index=True)
    section_path = models.JSONField(default=list, blank=True)  # ["3 Safety", "3.2 Braking"]
    section_title = models.CharField(max_length=500, blank=True)
    # section_path joined with " > ": filtering on a section and its subsections is a prefix match that
    # works the same on SQLite and PostgreSQL, which a JSON containment lookup does not.
    section_key = models.TextField(blank=True, default="")
    is_requirement = models.BooleanField(default=True)
    # How strongly the requirement binds: mandatory / recommended / optional / declarative; empty when the
    # segment is informative text.
    obligation = models.CharField(max_length=16, choices=Obligation.choices, blank=True, default="")
    page = models.PositiveIntegerField(null=True, blank=True)
    bbox = models.JSONField(null=True, blank=True)  # [x0, top, x1, bottom] in PDF points
    sheet = models.CharField(max_length=255, blank=True)
    row = models.PositiveIntegerField(null=True, blank=True)
    column = models.CharField(max_length=16, blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When anything a reader of the row sees changed: the row itself, people's answers, the active model's
    # tags or the quality score (those live in other tables; their writers call `requirements_touch`).
    # The BI feed's `updated_since` reads it through the (project, updated_at) index.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["document_id", "order"]
        indexes = [
            # With the id, a deep page skips its offset on the index alone (an index-only scan).
            models.Index(fields=["project", "document", "order", "id"], name="requirement_reading_order"),
            models.Index(fields=["project", "updated_at"], name="requirement_project_updated"),
        ]

    def __str__(self) -> str:
        return self.external_id or self.text[:60]

    @property
    def section_display(self) -> str:
        return " > ".join(self.section_path)


class CorrectionKind(models.TextChoices):
    MARK = "mark", "Marked requirement or informative"
    EXTERNAL_ID = "external_id", "Edited ID"
    MERGE_NEXT = "merge_next", "Merged with the next segment"
    SPLIT = "split", "Split in two"


class SegmentCorrection(models.Model):
    """A person's fix of what the parser got wrong, kept apart from the requirements so a re-ingest of
    the same revision can apply it again. The segment is found again by its text, near its order."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="corrections")
    revision = models.ForeignKey(DocumentRevision, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=16, choices=CorrectionKind.choices)
    order = models.PositiveIntegerField()  # the segment's order when it was corrected
    text = models.TextField()  # the segment's text when it was corrected
    is_requirement = models.BooleanField(null=True, blank=True)  # MARK
    external_id = models.CharField(max_length=100, blank=True)  # EXTERNAL_ID
    split_at = models.PositiveIntegerField(null=True, blank=True)  # SPLIT: characters kept in the first part
    # Whether the latest ingest of the revision found the segment again and applied the correction.
    applied = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document_id", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"
