"""Input and output serializers of this noun's API: one pair per operation."""

from rest_framework import serializers

from models_app.taxonomy.file_formats import FORMATS
from selko.api.fields import IdField

# A PositiveIntegerField: PostgreSQL's integer holds up to 2**31 - 1.
MAX_LABEL_ORDER = 2**31 - 1


class LabelOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    parent = serializers.IntegerField(allow_null=True)  # type: ignore[assignment]
    path = serializers.CharField(help_text='"Electrical > Power supply"')
    depth = serializers.IntegerField()
    description = serializers.CharField()
    examples = serializers.ListField(child=serializers.CharField(), help_text="Typical phrases.")
    color = serializers.CharField()
    order = serializers.IntegerField()
    positives = serializers.IntegerField(help_text='Requirements answered "yes".')
    negatives = serializers.IntegerField(help_text='Requirements answered "no".')
    needed = serializers.IntegerField(help_text='How many more "yes" the trainer needs for this label.')


class LabelCreateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    parent = IdField(required=False, allow_null=True, default=None)  # type: ignore[assignment]
    description = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="What the label means."
    )
    examples = serializers.ListField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        default=list,
        help_text="Typical phrases.",
    )
    color = serializers.CharField(required=False, allow_blank=True, default="", help_text="#rrggbb")


class LabelUpdateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    examples = serializers.ListField(child=serializers.CharField(allow_blank=True), required=False)
    color = serializers.CharField(required=False)
    parent = IdField(required=False, allow_null=True, help_text="null moves it to the top.")  # type: ignore[assignment]
    order = serializers.IntegerField(required=False, min_value=0, max_value=MAX_LABEL_ORDER)


class LabelDeletedOutputSerializer(serializers.Serializer):
    labels = serializers.IntegerField(help_text="The label and its descendants.")
    annotations = serializers.IntegerField()


class TaxonomyImportInputSerializer(serializers.Serializer):
    file_type = serializers.ChoiceField(choices=FORMATS)
    content = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    file = serializers.FileField(required=False, help_text="Instead of `content`, as multipart.")

    def validate(self, attrs: dict) -> dict:
        if not attrs.get("content") and not attrs.get("file"):
            raise serializers.ValidationError({"content": ["Give the taxonomy as `content` or `file`."]})
        return attrs


class TaxonomyImportOutputSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class TaxonomyTemplateOutputSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    paths = serializers.ListField(child=serializers.CharField())
