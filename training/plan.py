"""What a training would learn right now: labels with enough examples, and those still short of them."""

from dataclasses import dataclass, field

from django.conf import settings

from models_app.annotations.readiness import LabelReadiness, label_readiness
from selko.tenancy.models import Project
from training.ml.labels import LabelTree
from training.snapshots import SnapshotContent, snapshot_content_collect


@dataclass(frozen=True)
class TrainingPlan:
    minimum: int
    example_count: int
    annotation_count: int
    learnable: list[LabelReadiness] = field(default_factory=list)
    below_minimum: list[LabelReadiness] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return bool(self.learnable)

    def summary(self) -> str:
        if not self.ready:
            return (
                f"Nothing to learn yet: every label needs at least {self.minimum} positive examples. "
                + ", ".join(f"{r.path} needs {r.needed} more" for r in self.below_minimum[:8])
            )
        text = f"Will learn {len(self.learnable)} labels from {self.example_count} labeled requirements"
        if self.below_minimum:
            text += "; not yet: " + ", ".join(
                f"{r.path} ({r.positives}/{self.minimum})" for r in self.below_minimum
            )
        return text + "."


def training_plan_from_content(*, content: SnapshotContent) -> TrainingPlan:
    tree = LabelTree(
        parents={label["id"]: label["parent"] for label in content.labels},
        names={label["id"]: label["name"] for label in content.labels},
    )
    readiness = label_readiness(
        tree=tree,
        positives=content.label_counts(),
        negatives={},
        minimum=settings.SELKO_MIN_EXAMPLES_PER_LABEL,
    )
    return TrainingPlan(
        minimum=settings.SELKO_MIN_EXAMPLES_PER_LABEL,
        example_count=len(content.examples),
        annotation_count=content.annotation_count,
        learnable=[row for row in readiness if row.ready],
        below_minimum=[row for row in readiness if not row.ready],
    )


def training_plan(*, project: Project) -> TrainingPlan:
    return training_plan_from_content(content=snapshot_content_collect(project=project))
