"""Input and output serializers of this noun's API: one pair per operation."""

from typing import Any

from rest_framework import serializers

from models_app.registry.models import ModelSettings, ModelVersion, Prediction
from selko.api.fields import IdField


class ModelVersionOutputSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(
        source="created_by.username", default=None, read_only=True, allow_null=True
    )
    training_job = serializers.IntegerField(source="training_job_id", read_only=True, allow_null=True)
    macro_f1 = serializers.SerializerMethodField(
        help_text="The quality figure: macro-F1 on examples the version was not trained on; null when "
        "there were not enough examples to estimate it."
    )
    quality = serializers.SerializerMethodField(
        help_text="How macro_f1 was measured: method (held_out, cross_validation, none), summary "
        '(e.g. "≈ 0.55 ± 0.06, 5-fold"), uncertainty, folds, examples, and a sentence saying how.'
    )
    encoder = serializers.CharField(
        source="lineage.base_model", default=None, read_only=True, allow_null=True,
        help_text="The registered encoder this version was trained (or built) from.",
    )  # fmt: skip

    class Meta:
        model = ModelVersion
        fields = [
            "number", "kind", "status", "is_active", "macro_f1", "quality", "encoder", "metrics",
            "lineage", "label_ids",
            "promotion_note", "training_job", "created_by", "created_at", "promoted_at",
            "tagging_done", "tagging_total", "tagged_at",
        ]  # fmt: skip

    def get_quality(self, version: ModelVersion) -> dict[str, Any]:
        return version.quality

    def get_macro_f1(self, version: ModelVersion) -> float | None:
        return self.get_quality(version).get("macro_f1")


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
        fields = ["promotion_policy", "max_label_f1_drop_points", "epochs", "encoder"]
        extra_kwargs = {"max_label_f1_drop_points": {"min_value": 0, "max_value": 100}}


class ModelVersionCompareInputSerializer(serializers.Serializer):
    first = IdField(help_text="A version number of this project.")
    second = IdField(help_text="Another version number of this project.")
