"""Input and output serializers of this noun's API: one pair per operation."""

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from models_app.exports.models import ExportJob
from models_app.exports.rendering import FILE_TYPES
from selko.api.fields import IdField


class ExportInputSerializer(serializers.Serializer):
    file_type = serializers.ChoiceField(choices=FILE_TYPES, default="xlsx")
    include_informative = serializers.BooleanField(default=False)
    document = IdField(required=False, help_text="Export one document only.")


class ExportJobOutputSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()
    filters = serializers.SerializerMethodField(help_text="The explorer view exported; null: all.")

    class Meta:
        model = ExportJob
        fields = ["id", "file_type", "status", "row_count", "error_message", "created_at", "finished_at",
                  "filters", "download_url"]  # fmt: skip

    def get_filters(self, job: ExportJob) -> dict[str, Any] | None:
        return job.options.get("explorer_filters")

    def get_download_url(self, job: ExportJob) -> str | None:
        if job.status != "succeeded":
            return None
        return reverse("api:export-download", args=[job.project.slug, job.pk])
