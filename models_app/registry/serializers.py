"""Input and output serializers of this noun's API: one pair per operation."""

from rest_framework import serializers

from models_app.registry.models import ModelSettings, ModelVersion, Prediction
from selko.api.fields import IdField


class ModelVersionOutputSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(
        source="created_by.username", default=None, read_only=True, allow_null=True
    )
    training_job = serializers.IntegerField(source="training_job_id", read_only=True, allow_null=True)
    macro_f1 = serializers.FloatField(
        source="metrics.macro_f1", default=None, read_only=True, allow_null=True
    )

    class Meta:
        model = ModelVersion
        fields = [
            "number", "status", "is_active", "macro_f1", "metrics", "lineage", "label_ids",
            "promotion_note", "training_job", "created_by", "created_at", "promoted_at",
            "tagging_done", "tagging_total", "tagged_at",
        ]  # fmt: skip


class PredictionOutputSerializer(serializers.ModelSerializer):
    label_id = serializers.IntegerField(source="label.pk", read_only=True)
    label_name = serializers.CharField(source="label.name", read_only=True)
    model_version = serializers.IntegerField(source="model_version.number", read_only=True)

    class Meta:
        model = Prediction
        fields = ["label_id", "label_name", "score", "predicted", "model_version"]


class ModelSettingsSerializer(serializers.ModelSerializer):
    class Meta:
        model = ModelSettings
        fields = ["promotion_policy", "max_label_f1_drop_points", "epochs"]
        extra_kwargs = {"max_label_f1_drop_points": {"min_value": 0, "max_value": 100}}


class ModelVersionCompareInputSerializer(serializers.Serializer):
    first = IdField(help_text="A version number of this project.")
    second = IdField(help_text="Another version number of this project.")
