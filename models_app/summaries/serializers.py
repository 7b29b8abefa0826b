"""Output serializers of a document's gist."""

from rest_framework import serializers

from documents.quality.serializers import RuleCountOutputSerializer


class SummarySegmentOutputSerializer(serializers.Serializer):
    requirement = serializers.IntegerField(source="requirement_id")
    order = serializers.IntegerField()
    external_id = serializers.CharField()
    text = serializers.CharField()
    section = serializers.CharField()


class FindingsLeaderOutputSerializer(serializers.Serializer):
    requirement = serializers.IntegerField(source="requirement_id")
    order = serializers.IntegerField()
    external_id = serializers.CharField()
    text = serializers.CharField()
    findings = serializers.IntegerField()


class LabelCountOutputSerializer(serializers.Serializer):
    label = serializers.IntegerField(source="label_id")  # type: ignore[assignment]
    path = serializers.CharField()
    requirements = serializers.IntegerField()


class TaggedGistOutputSerializer(serializers.Serializer):
    section = serializers.CharField(source="gist.section")
    requirements = serializers.IntegerField(source="gist.requirements")
    by_obligation = serializers.DictField(child=serializers.IntegerField(), source="gist.by_obligation")
    by_label = LabelCountOutputSerializer(many=True)
    by_rule = RuleCountOutputSerializer(many=True, source="gist.by_rule")
    most_findings = FindingsLeaderOutputSerializer(many=True, source="gist.most_findings")
    summary = SummarySegmentOutputSerializer(many=True, source="gist.summary")


class DocumentGistOutputSerializer(serializers.Serializer):
    document = TaggedGistOutputSerializer()
    sections = TaggedGistOutputSerializer(many=True)
    model_version = serializers.IntegerField(allow_null=True)
