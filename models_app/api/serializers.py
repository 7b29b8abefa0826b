"""Input and output serializers: one pair per operation, so each endpoint documents exactly its shape."""

from django.urls import reverse
from rest_framework import serializers

from models_app.annotation_services import MAX_ANNOTATIONS_PER_CALL
from models_app.export import FILE_TYPES
from models_app.models import Annotation, ExportJob
from models_app.taxonomy_io import FORMATS


class LabelOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    parent = serializers.IntegerField(allow_null=True)  # type: ignore[assignment]
    path = serializers.CharField(help_text='"Electrical > Power supply"')
    depth = serializers.IntegerField()
    description = serializers.CharField()
    color = serializers.CharField()
    order = serializers.IntegerField()
    positives = serializers.IntegerField(help_text='Requirements answered "yes".')
    negatives = serializers.IntegerField(help_text='Requirements answered "no".')
    needed = serializers.IntegerField(help_text='How many more "yes" the trainer needs for this label.')


class LabelCreateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    parent = serializers.IntegerField(required=False, allow_null=True, default=None)  # type: ignore[assignment]
    description = serializers.CharField(required=False, allow_blank=True, default="")
    color = serializers.CharField(required=False, allow_blank=True, default="", help_text="#rrggbb")


class LabelUpdateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    color = serializers.CharField(required=False)
    parent = serializers.IntegerField(required=False, allow_null=True, help_text="null moves it to the top.")  # type: ignore[assignment]
    order = serializers.IntegerField(required=False, min_value=0)


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


class AnnotationOutputSerializer(serializers.ModelSerializer):
    requirement = serializers.IntegerField(source="requirement_id")
    label = serializers.IntegerField(source="label_id")  # type: ignore[assignment]
    user = serializers.SerializerMethodField()

    class Meta:
        model = Annotation
        fields = ["id", "requirement", "label", "value", "user", "created_at", "updated_at"]

    def get_user(self, annotation: Annotation) -> str | None:
        return annotation.user.get_username() if annotation.user else None


class AnnotationListFilterSerializer(serializers.Serializer):
    requirement = serializers.IntegerField(required=False)
    label = serializers.IntegerField(required=False)  # type: ignore[assignment]
    document = serializers.IntegerField(required=False)
    value = serializers.BooleanField(required=False, allow_null=True, default=None)


class AnnotationItemSerializer(serializers.Serializer):
    requirement = serializers.IntegerField()
    label = serializers.IntegerField()  # type: ignore[assignment]
    value = serializers.BooleanField(allow_null=True, help_text="true, false, or null to clear the answer.")


class AnnotationBulkInputSerializer(serializers.Serializer):
    annotations = AnnotationItemSerializer(many=True, max_length=MAX_ANNOTATIONS_PER_CALL, allow_empty=False)  # type: ignore[call-arg]


class AnnotationBulkOutputSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    deleted = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    implied = serializers.IntegerField(help_text="Answers the hierarchy added to those asked for.")


class LabelingNextFilterSerializer(serializers.Serializer):
    document = serializers.IntegerField(required=False, allow_null=True, default=None)
    section = serializers.CharField(required=False, allow_blank=True, default="")
    label = serializers.IntegerField(required=False, allow_null=True, default=None)  # type: ignore[assignment]
    unlabeled = serializers.BooleanField(required=False, default=True)
    after = serializers.IntegerField(required=False, allow_null=True, default=None)


class RequirementBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    document = serializers.IntegerField(source="document_id")
    document_name = serializers.CharField(source="document.name")
    external_id = serializers.CharField()
    section_path = serializers.ListField(child=serializers.CharField())
    order = serializers.IntegerField()
    text = serializers.CharField()


class PredictedTagSerializer(serializers.Serializer):
    label = serializers.IntegerField(source="label_id")  # type: ignore[assignment]
    path = serializers.CharField()
    score = serializers.FloatField()
    predicted = serializers.BooleanField()
    model_version = serializers.IntegerField()


class RequirementTagsOutputSerializer(serializers.Serializer):
    requirement = RequirementBriefSerializer()
    positive = serializers.ListField(child=serializers.IntegerField())
    negative = serializers.ListField(child=serializers.IntegerField())
    predicted = PredictedTagSerializer(many=True)


class LabelingNextOutputSerializer(serializers.Serializer):
    requirement = RequirementBriefSerializer(allow_null=True)
    position = serializers.IntegerField()
    size = serializers.IntegerField(help_text="Requirements in the queue with these filters.")
    strategy = serializers.ChoiceField(choices=["uncertainty", "diversity"])


class RequirementLabelsSetInputSerializer(serializers.Serializer):
    label_ids = serializers.ListField(
        child=serializers.IntegerField(), allow_empty=True, help_text='Every other label becomes "no".'
    )


class ExportInputSerializer(serializers.Serializer):
    file_type = serializers.ChoiceField(choices=FILE_TYPES, default="xlsx")
    include_informative = serializers.BooleanField(default=False)


class ExportJobOutputSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = ["id", "file_type", "status", "row_count", "error_message", "created_at", "finished_at",
                  "download_url"]  # fmt: skip

    def get_download_url(self, job: ExportJob) -> str | None:
        if job.status != "succeeded":
            return None
        return reverse("api:export-download", args=[job.project.slug, job.pk])
