"""Output (and input) serializers of the quality API."""

from rest_framework import serializers


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
