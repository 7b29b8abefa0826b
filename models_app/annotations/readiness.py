"""How ready each label is for training: "yes" and "no" answers against the minimum the trainer wants.

One calculation for every place that shows it (the labels page, the labeling view, the models page and
the training plan), whatever the counts come from: stored answers, or a dataset snapshot.
"""

from collections.abc import Mapping
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

    @property
    def needed(self) -> int:
        """How many more "yes" examples the trainer wants before it learns this label."""
        return max(0, self.minimum - self.positives)

    @property
    def ready(self) -> bool:
        return self.needed == 0


def label_readiness(
    *,
    tree: LabelTree,
    positives: Mapping[str, int],
    negatives: Mapping[str, int],
    minimum: int,
    colors: Mapping[str, str] | None = None,
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
        )
        for key in tree.keys
    ]
