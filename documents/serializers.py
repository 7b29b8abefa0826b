"""Input and output serializers of the documents API, one pair per operation."""

from django.urls import reverse
from rest_framework import serializers

from documents.models import Document, Requirement
from documents.selectors import document_findings_pending
from selko.api.fields import IdField


class DocumentOutputSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    revision = serializers.IntegerField(
        source="current_revision.number", read_only=True, default=None, allow_null=True
    )
    parsed_revision = serializers.IntegerField(
        source="parsed_revision.number", read_only=True, default=None, allow_null=True
    )
    original_filename = serializers.CharField(
        source="current_revision.original_filename", read_only=True, default=""
    )
    size = serializers.IntegerField(
        source="current_revision.size", read_only=True, default=None, allow_null=True
    )
    sha256 = serializers.CharField(source="current_revision.sha256", read_only=True, default="")
    download_url = serializers.SerializerMethodField()
    findings_pending = serializers.SerializerMethodField(
        help_text="True while the quality findings and the summary of a parsed document are still being "
        "computed (a follow-up of the ingest); its requirements are readable already."
    )

    class Meta:
        model = Document
        fields = [
            "id", "name", "kind", "status", "status_label", "error_message", "progress_done",
            "progress_total", "page_count", "row_count", "requirement_count", "parse_seconds",
            "parse_warnings", "findings_pending", "revision", "parsed_revision", "original_filename", "size",
            "sha256", "download_url", "created_at", "updated_at",
        ]  # fmt: skip

    def get_findings_pending(self, document: Document) -> bool:
        return document_findings_pending(document=document)

    def get_download_url(self, document: Document) -> str:
        return reverse(
            "api:document-file",
            kwargs={"project_slug": document.project.slug, "document_id": document.pk},
        )


class DocumentUploadInputSerializer(serializers.Serializer):
    file = serializers.FileField(
        allow_empty_file=True,  # an empty file becomes a failed document that says so, like other bad input
        help_text="A PDF, a Word document (.docx), an HTML page (.html, .htm), an Excel workbook "
        "(.xlsx, .xls), a CSV file or a ReqIF file (.reqif, .reqifz). "
        "A file with the name of an existing document becomes its new revision.",
    )


class DocumentUploadOutputSerializer(DocumentOutputSerializer):
    created_revision = serializers.BooleanField(
        help_text="False when the file is identical to the current revision: nothing was stored or parsed."
    )

    class Meta(DocumentOutputSerializer.Meta):
        fields = [*DocumentOutputSerializer.Meta.fields, "created_revision"]


class RequirementListInputSerializer(serializers.Serializer):
    document = IdField(required=False)
    section = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    is_requirement = serializers.BooleanField(required=False, allow_null=True, default=None)
    cursor = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Keyset pages instead of page numbers: empty for the first page, then the cursor in "
        "`next`. As fast at any depth; no `count`.",
    )


class RequirementOutputSerializer(serializers.ModelSerializer):
    document_name = serializers.CharField(source="document.name", read_only=True)

    class Meta:
        model = Requirement
        fields = [
            "id", "document", "document_name", "order", "external_id", "text", "is_requirement", "obligation",
            "section_path", "section_title", "page", "bbox", "sheet", "row", "column", "attributes",
        ]  # fmt: skip
