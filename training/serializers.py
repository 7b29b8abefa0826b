"""API input/output shapes for training jobs, model versions and predictions."""

from rest_framework import serializers

from models_app.models import ModelSettings, ModelVersion, Prediction
from training.models import TrainingJob


class TrainingJobOutputSerializer(serializers.ModelSerializer):
    triggered_by = serializers.CharField(source="triggered_by.username", default=None, read_only=True)
    model_version = serializers.IntegerField(source="model_version.number", default=None, read_only=True)
    snapshot_sha256 = serializers.CharField(source="snapshot.sha256", default=None, read_only=True)

    class Meta:
        model = TrainingJob
        fields = [
            "id", "status", "phase", "progress", "config", "snapshot_sha256", "metrics_series",
            "error_message", "outcome", "model_version", "worker_host", "device", "attempts",
            "cancel_requested", "triggered_by", "created_at", "started_at", "heartbeat_at", "finished_at",
        ]  # fmt: skip


class TrainingJobDetailOutputSerializer(TrainingJobOutputSerializer):
    class Meta(TrainingJobOutputSerializer.Meta):
        fields = [*TrainingJobOutputSerializer.Meta.fields, "log_lines"]


class LabelReadinessSerializer(serializers.Serializer):
    label_id = serializers.IntegerField()
    name = serializers.CharField()
    positives = serializers.IntegerField()
    missing = serializers.IntegerField()


class TrainingPlanOutputSerializer(serializers.Serializer):
    ready = serializers.BooleanField()
    summary = serializers.CharField()
    minimum = serializers.IntegerField()
    example_count = serializers.IntegerField()
    annotation_count = serializers.IntegerField()
    learnable = LabelReadinessSerializer(many=True)
    below_minimum = LabelReadinessSerializer(many=True)


class TrainingRequestInputSerializer(serializers.Serializer):
    force = serializers.BooleanField(default=False, help_text="Train even if an identical model exists.")


class ModelVersionOutputSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", default=None, read_only=True)
    training_job = serializers.IntegerField(source="training_job_id", read_only=True)
    macro_f1 = serializers.FloatField(source="metrics.macro_f1", default=None, read_only=True)

    class Meta:
        model = ModelVersion
        fields = [
            "number", "status", "is_active", "macro_f1", "metrics", "lineage", "label_ids",
            "promotion_note", "training_job", "created_by", "created_at", "promoted_at",
            "tagging_done", "tagging_total", "tagged_at",
        ]  # fmt: skip


class TrainingRequestOutputSerializer(serializers.Serializer):
    created = serializers.BooleanField()
    job = TrainingJobOutputSerializer(allow_null=True)
    offered_version = ModelVersionOutputSerializer(allow_null=True)
    plan = TrainingPlanOutputSerializer()


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
