"""Input and output serializers of this noun's API: one pair per operation."""

from rest_framework import serializers

from models_app.annotations.labeling_queue import QUEUE_SIZE_COUNTED_UP_TO
from models_app.annotations.models import Annotation
from models_app.annotations.services import MAX_ANNOTATIONS_PER_CALL
from selko.api.fields import IdField


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
    requirement = IdField(required=False)
    label = IdField(required=False)  # type: ignore[assignment]
    document = IdField(required=False)
    value = serializers.BooleanField(required=False, allow_null=True, default=None)


class AnnotationItemSerializer(serializers.Serializer):
    requirement = IdField()
    label = IdField()  # type: ignore[assignment]
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
    document = IdField(required=False, allow_null=True, default=None)
    section = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    label = IdField(required=False, allow_null=True, default=None)  # type: ignore[assignment]
    unlabeled = serializers.BooleanField(required=False, default=True)
    after = IdField(
        required=False, allow_null=True, default=None, help_text="Skip to after this requirement."
    )


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
    position = serializers.IntegerField(
        help_text="The requirement's place in the queue; in a queue ordered by uncertainty the ones ahead "
        f"are counted up to {QUEUE_SIZE_COUNTED_UP_TO} (see position_exact)."
    )
    position_exact = serializers.BooleanField(
        help_text="False when counting stopped: the requirement is at least that far down the queue."
    )
    size = serializers.IntegerField(
        help_text="Requirements in the queue with these filters; a queue ordered by uncertainty is counted "
        f"up to {QUEUE_SIZE_COUNTED_UP_TO} (see size_exact)."
    )
    size_exact = serializers.BooleanField(
        help_text="False when counting stopped at `size`: the queue holds at least that many."
    )
    strategy = serializers.ChoiceField(choices=["uncertainty", "diversity"])


class RequirementLabelsSetInputSerializer(serializers.Serializer):
    label_ids = serializers.ListField(
        child=IdField(), allow_empty=True, help_text='Every other label becomes "no".'
    )
