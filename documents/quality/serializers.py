"""Output (and input) serializers of the quality API."""

from rest_framework import serializers

from documents.quality.models import QualitySettings


class RuleCountOutputSerializer(serializers.Serializer):
    rule = serializers.CharField()
    title = serializers.CharField()
    requirements = serializers.IntegerField()


class SectionQualityOutputSerializer(serializers.Serializer):
    document = serializers.IntegerField(source="document_id")
    document_name = serializers.CharField()
    section = serializers.CharField()
    average_score = serializers.FloatField()
    requirements = serializers.IntegerField()


class DocumentQualityOutputSerializer(serializers.Serializer):
    document = serializers.IntegerField(source="document_id")
    document_name = serializers.CharField()
    average_score = serializers.FloatField()
    requirements = serializers.IntegerField()
    findings = serializers.IntegerField()


class QualitySummaryOutputSerializer(serializers.Serializer):
    checked = serializers.IntegerField()
    average_score = serializers.FloatField(allow_null=True)
    by_rule = RuleCountOutputSerializer(many=True)
    worst_sections = SectionQualityOutputSerializer(many=True)
    worst_documents = DocumentQualityOutputSerializer(many=True)


class QualitySettingsInputSerializer(serializers.Serializer):
    """Shapes only: which rules exist and what a term may be is checked by `quality_settings_update`."""

    disabled_rules = serializers.ListField(child=serializers.CharField(), max_length=100)
    extra_vague_terms = serializers.ListField(
        child=serializers.CharField(allow_blank=True, trim_whitespace=False), max_length=1000
    )


class QualitySettingsOutputSerializer(serializers.Serializer):
    disabled_rules = serializers.ListField(child=serializers.CharField())
    extra_vague_terms = serializers.ListField(child=serializers.CharField())
    updated_by = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField(allow_null=True)

    def get_updated_by(self, stored: QualitySettings) -> str | None:
        return stored.updated_by.get_username() if stored.updated_by else None
