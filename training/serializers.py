"""API input/output shapes for training jobs, model versions and predictions."""

from rest_framework import serializers

from models_app.registry.serializers import ModelVersionOutputSerializer
from training.models import TrainingJob


class TrainingJobOutputSerializer(serializers.ModelSerializer):
    triggered_by = serializers.CharField(
        source="triggered_by.username", default=None, read_only=True, allow_null=True
    )
    model_version = serializers.IntegerField(
        source="model_version.number", default=None, read_only=True, allow_null=True
    )
    snapshot_sha256 = serializers.CharField(
        source="snapshot.sha256", default=None, read_only=True, allow_null=True
    )

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
    name = serializers.CharField(source="path", help_text='The label\'s path, "NFR > Performance".')
    positives = serializers.IntegerField()
    missing = serializers.IntegerField(
        source="needed", help_text='How many more "yes" examples before its own examples dominate.'
    )
    rests_on = serializers.ChoiceField(
        choices=["examples", "description", "name"],
        help_text="What training learns the label from: its own examples (at least the minimum), or its "
        "description (or only its name, without one) beside its few examples.",
    )


class TrainingPlanOutputSerializer(serializers.Serializer):
    ready = serializers.BooleanField()
    summary = serializers.CharField()
    minimum = serializers.IntegerField()
    example_count = serializers.IntegerField()
    annotation_count = serializers.IntegerField()
    learnable = LabelReadinessSerializer(many=True, help_text="Every label the next training learns.")
    below_minimum = LabelReadinessSerializer(many=True)
    from_examples = LabelReadinessSerializer(many=True)
    from_description = LabelReadinessSerializer(many=True)
    from_name = LabelReadinessSerializer(many=True)


class TrainingRequestInputSerializer(serializers.Serializer):
    force = serializers.BooleanField(default=False, help_text="Train even if an identical model exists.")


class TrainingRequestOutputSerializer(serializers.Serializer):
    created = serializers.BooleanField()
    job = TrainingJobOutputSerializer(allow_null=True)
    offered_version = ModelVersionOutputSerializer(allow_null=True)
    plan = TrainingPlanOutputSerializer()
