"""Trained model versions, the project's choices about promoting them, and their predictions."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Func, Q, Value
from django.db.models.functions import Abs

from documents.models import Requirement
from models_app.registry.quality import version_quality
from models_app.taxonomy.models import Label
from selko.tenancy.models import Project


class PromotionPolicy(models.TextChoices):
    AUTO = "auto", "Promote automatically when better"
    MANUAL = "manual", "Promote manually"


class ModelSettings(models.Model):
    """Per-project choices about training and promotion."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="model_settings")
    promotion_policy = models.CharField(
        max_length=8, choices=PromotionPolicy.choices, default=PromotionPolicy.AUTO
    )
    # "Better" also means no single label got much worse: the largest allowed drop in a label's F1, in points.
    max_label_f1_drop_points = models.FloatField(default=5.0)
    epochs = models.PositiveSmallIntegerField(default=0)  # 0: the trainer picks by data size
    # The registered encoder (Encoder.name) new versions start from; blank: the installation's default.
    encoder = models.CharField(max_length=100, blank=True, default="")

    def __str__(self) -> str:
        return f"model settings of {self.project}"


class Encoder(models.Model):
    """A local pretrained checkpoint folder an operator registered (`manage.py encoders register`), checked
    to load, with its identity and its speed on the machine that registered it."""

    name = models.CharField(max_length=100, unique=True)
    path = models.CharField(max_length=1000)
    weights_sha256 = models.CharField(max_length=64)
    size_bytes = models.BigIntegerField()
    hidden_size = models.PositiveIntegerField()
    architecture = models.CharField(max_length=200, blank=True)
    sentences_per_second = models.FloatField()  # measured on the CPU at registration
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ModelVersionStatus(models.TextChoices):
    READY = "ready", "Ready"
    ARCHIVED = "archived", "Archived"


class ModelVersionKind(models.TextChoices):
    TRAINED = "trained", "Trained"
    # Built from the labels' names, descriptions and example phrases, before any answer: v0.
    ZERO_SHOT = "zero_shot", "Zero-shot"


class ModelVersion(models.Model):
    """An immutable model: v0 (zero-shot), v1, v2, … with metrics, lineage and its artifact in storage."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="model_versions")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=12, choices=ModelVersionKind.choices, default=ModelVersionKind.TRAINED)
    status = models.CharField(
        max_length=12, choices=ModelVersionStatus.choices, default=ModelVersionStatus.READY
    )
    is_active = models.BooleanField(default=False)
    artifact_path = models.CharField(max_length=500)  # storage prefix of the artifact folder
    metrics = models.JSONField(default=dict, blank=True)
    lineage = models.JSONField(default=dict, blank=True)
    label_ids = models.JSONField(default=list, blank=True)  # the labels this version predicts
    promotion_note = models.TextField(blank=True)  # why it was (or was not) promoted
    # Progress of the `predict` task that tags every requirement with this version.
    tagging_done = models.PositiveIntegerField(default=0)
    tagging_total = models.PositiveIntegerField(default=0)
    tagged_at = models.DateTimeField(null=True, blank=True)
    training_job = models.ForeignKey(
        "training.TrainingJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    promoted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["project_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="model_version_number_unique"),
            models.UniqueConstraint(
                fields=["project"], condition=Q(is_active=True), name="one_active_model_version"
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.number}"

    @property
    def is_zero_shot(self) -> bool:
        return self.kind == ModelVersionKind.ZERO_SHOT

    @property
    def quality(self) -> dict[str, Any]:
        """The figure shown as this version's quality, with how it was measured (see quality.py)."""
        return version_quality(metrics=self.metrics, zero_shot=self.is_zero_shot)


def prediction_closeness() -> Func:
    """How far a prediction's score is from the fence (0.5): 0 is the most uncertain, 0.5 certain.
    The labeling queue orders by it; an index holds the same expression."""
    return Abs(F("score") - Value(0.5))


class Prediction(models.Model):
    """A model version's score for one requirement and one label."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="predictions")
    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="predictions")
    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="predictions")
    model_version = models.ForeignKey(ModelVersion, on_delete=models.CASCADE, related_name="predictions")
    score = models.FloatField()
    predicted = models.BooleanField()  # score at or above the label's tuned threshold

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["model_version", "requirement", "label"],
                name="one_prediction_per_version_requirement_label",
            )
        ]
        indexes = [
            models.Index(fields=["project", "model_version", "requirement"]),
            # The explorer sorted by a label's score walks its predictions from the highest score.
            models.Index(
                fields=["model_version", "label", "-score", "requirement"], name="prediction_label_score"
            ),
            # The labeling queue walks a version's predictions from the most uncertain one.
            models.Index(F("model_version"), prediction_closeness(), name="prediction_version_closeness"),
        ]

    def __str__(self) -> str:
        return f"{self.requirement_id} {self.label_id} {self.score:.2f} ({self.model_version})"
