"""How ready each label is for training: "yes" and "no" answers against the minimum the trainer wants.

Below the minimum a label is still trained, resting on its description (or, without one, its name)
as well as its few examples; at the minimum its own examples weigh as much as its meaning, and above
it they dominate.

One calculation for every place that shows it (the labels page, the labeling view, the models page and
the training plan), whatever the counts come from: stored answers, or a dataset snapshot.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from training.ml.labels import LabelTree


@dataclass(frozen=True)
class LabelReadiness:
    label_id: int
    path: str
    depth: int
    positives: int
    negatives: int
    minimum: int
    color: str = ""
    described: bool = False  # has a description or example phrases

    @property
    def needed(self) -> int:
        """How many more "yes" examples before the label's own examples dominate what it learns."""
        return max(0, self.minimum - self.positives)

    @property
    def ready(self) -> bool:
        return self.needed == 0

    @property
    def rests_on(self) -> str:
        """What a training learns this label from: "examples", "description" or "name"."""
        if self.ready:
            return "examples"
        return "description" if self.described else "name"


def label_readiness(
    *,
    tree: LabelTree,
    positives: Mapping[str, int],
    negatives: Mapping[str, int],
    minimum: int,
    colors: Mapping[str, str] | None = None,
    described: Collection[str] = (),
) -> list[LabelReadiness]:
    """Per label of `tree` (keys are label ids as strings), in the tree's order. `positives` counts
    already include a child's "yes" for each of its ancestors."""
    return [
        LabelReadiness(
            label_id=int(key),
            path=tree.path_display(key),
            depth=tree.depth(key),
            positives=positives.get(key, 0),
            negatives=negatives.get(key, 0),
            minimum=minimum,
            color=(colors or {}).get(key, ""),
            described=key in described,
        )
        for key in tree.keys
    ]
