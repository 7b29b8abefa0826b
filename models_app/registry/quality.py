"""A version's quality as the product shows it: one figure measured on examples the version was not
trained on, how it was measured, and how uncertain it is (training/ml/estimate.py makes the record).

Versions registered before the record existed are read here too: a figure their trainer measured on its
own training examples is never shown as their quality.
"""

from typing import Any

NOT_MEASURED_ZERO_SHOT = "not measured: built from the labels' names and descriptions"


def version_quality(*, metrics: dict[str, Any] | None, zero_shot: bool = False) -> dict[str, Any]:
    metrics = metrics or {}
    recorded = metrics.get("quality")
    if isinstance(recorded, dict):
        return recorded
    blank: dict[str, Any] = {"macro_f1": None, "micro_f1": None, "uncertainty": None, "folds": None}
    if zero_shot:
        return blank | {
            "method": "none",
            "summary": NOT_MEASURED_ZERO_SHOT,
            "how": "A zero-shot version is measured against a trained one when training compares them.",
        }
    evaluated_on = str(metrics.get("evaluated_on", ""))
    if metrics.get("macro_f1") is None or evaluated_on.startswith("training"):
        return blank | {
            "method": "training_examples" if evaluated_on.startswith("training") else "none",
            "summary": "not estimated",
            "how": "This version was measured only on its own training examples, which says nothing "
            "about new requirements. Retrain to get an estimate.",
        }
    macro = float(metrics["macro_f1"])
    return blank | {
        "method": "held_out",
        "macro_f1": macro,
        "micro_f1": metrics.get("micro_f1"),
        "examples": metrics.get("n_examples"),
        "summary": f"{macro:.2f}, {metrics.get('n_examples', '?')} held-out examples",
        "how": "Measured on answered examples held out from training.",
    }
