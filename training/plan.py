"""What a training would learn right now: labels with enough examples, and those still short of them."""

from dataclasses import dataclass, field

from django.conf import settings

from selko.tenancy.models import Project
from training.snapshots import SnapshotContent, snapshot_content_collect


@dataclass(frozen=True)
class LabelReadiness:
    label_id: int
    name: str
    positives: int
    missing: int  # how many more positive examples the label needs


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
                + ", ".join(f"{r.name} needs {r.missing} more" for r in self.below_minimum[:8])
            )
        text = f"Will learn {len(self.learnable)} labels from {self.example_count} labeled requirements"
        if self.below_minimum:
            text += "; not yet: " + ", ".join(
                f"{r.name} ({r.positives}/{self.minimum})" for r in self.below_minimum
            )
        return text + "."


def training_plan_from_content(*, content: SnapshotContent) -> TrainingPlan:
    minimum = settings.SELKO_MIN_EXAMPLES_PER_LABEL
    counts = content.label_counts()
    tree = content.tree()
    names = {label["id"]: label["name"] for label in content.labels}
    learnable: list[LabelReadiness] = []
    below: list[LabelReadiness] = []
    for key in tree.keys:
        path = " > ".join([names[a] for a in reversed(tree.ancestors(key))] + [names[key]])
        readiness = LabelReadiness(
            label_id=int(key), name=path, positives=counts[key], missing=max(0, minimum - counts[key])
        )
        (learnable if counts[key] >= minimum else below).append(readiness)
    return TrainingPlan(
        minimum=minimum,
        example_count=len(content.examples),
        annotation_count=content.annotation_count,
        learnable=learnable,
        below_minimum=below,
    )


def training_plan(*, project: Project) -> TrainingPlan:
    return training_plan_from_content(content=snapshot_content_collect(project=project))
