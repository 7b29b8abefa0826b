"""When is a candidate model better than the active one? A pure rule, so it is easy to test and explain."""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PromotionDecision:
    promote: bool
    reason: str


def _label_f1(metrics: dict[str, Any]) -> dict[str, float]:
    return {
        key: float(values["f1"])
        for key, values in metrics.get("per_label", {}).items()
        if values.get("support")
    }


def promotion_decide(
    *,
    candidate: dict[str, Any],
    active: dict[str, Any] | None,
    max_label_drop_points: float,
    label_names: dict[str, str] | None = None,
    basis: str = "the same validation examples",
) -> PromotionDecision:
    """`candidate` and `active` are metrics of both models on the same examples, which neither was
    trained on; `basis` says which, in the words the reason uses ("on {basis}")."""
    if active is None:
        return PromotionDecision(True, "First model of the project.")
    names = label_names or {}
    new_f1, old_f1 = float(candidate["macro_f1"]), float(active["macro_f1"])
    if new_f1 < old_f1:
        return PromotionDecision(False, f"Macro-F1 would drop from {old_f1:.3f} to {new_f1:.3f} on {basis}.")
    candidate_labels, active_labels = _label_f1(candidate), _label_f1(active)
    drops = {
        key: (active_labels[key] - score) * 100
        for key, score in candidate_labels.items()
        if key in active_labels and (active_labels[key] - score) * 100 > max_label_drop_points
    }
    if drops:
        worst = max(drops, key=lambda key: drops[key])
        return PromotionDecision(
            False,
            f"Label “{names.get(worst, worst)}” would lose {drops[worst]:.1f} F1 points "
            f"(more than the allowed {max_label_drop_points:g}).",
        )
    return PromotionDecision(True, f"Macro-F1 {old_f1:.3f} → {new_f1:.3f} on {basis}.")
