"""What a training would learn right now: which labels rest on their own examples, and which (still
short of the minimum) rest on their description or name as well."""

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
    learnable: list[LabelReadiness] = field(default_factory=list)  # every label a training learns
    below_minimum: list[LabelReadiness] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        # One "yes" is enough: every label is learned, from its examples or from its meaning.
        return any(row.positives for row in self.learnable)

    @property
    def from_examples(self) -> list[LabelReadiness]:
        return [row for row in self.learnable if row.rests_on == "examples"]

    @property
    def from_description(self) -> list[LabelReadiness]:
        return [row for row in self.learnable if row.rests_on == "description"]

    @property
    def from_name(self) -> list[LabelReadiness]:
        return [row for row in self.learnable if row.rests_on == "name"]

    def summary(self) -> str:
        if not self.ready:
            return (
                'Nothing to learn yet: no requirement has a "yes" answer. Label a few requirements; '
                f"each label's own examples dominate from {self.minimum} on."
            )
        text = (
            f"Will learn {len(self.learnable)} labels from {self.example_count} labeled requirements: "
            f"{len(self.from_examples)} from their own examples"
        )
        if self.from_description:
            text += f"; resting on their description (fewer than {self.minimum} examples): " + ", ".join(
                f"{r.path} ({r.positives}/{self.minimum})" for r in self.from_description
            )
        if self.from_name:
            text += (
                f"; resting on their name only (no description, fewer than {self.minimum} examples): "
                + ", ".join(f"{r.path} ({r.positives}/{self.minimum})" for r in self.from_name)
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
        described=[key for key, meaning in content.meanings().items() if meaning.described],
    )
    return TrainingPlan(
        minimum=settings.SELKO_MIN_EXAMPLES_PER_LABEL,
        example_count=len(content.examples),
        annotation_count=content.annotation_count,
        learnable=readiness,
        below_minimum=[row for row in readiness if not row.ready],
    )


def training_plan(*, project: Project) -> TrainingPlan:
    return training_plan_from_content(content=snapshot_content_collect(project=project))
