"""The auto-promotion rule: better means macro-F1 not lower and no label losing too much."""

from models_app.registry.promotion import promotion_decide


def _metrics(macro: float, per_label: dict[str, float]) -> dict[str, object]:
    return {"macro_f1": macro, "per_label": {k: {"f1": f1, "support": 3} for k, f1 in per_label.items()}}


def test_first_model_is_promoted() -> None:
    decision = promotion_decide(candidate=_metrics(0.4, {"1": 0.4}), active=None, max_label_drop_points=5)
    assert (decision.promote, decision.reason) == (True, "First model of the project.")


def test_lower_macro_f1_is_not_promoted_and_says_why() -> None:
    decision = promotion_decide(
        candidate=_metrics(0.70, {"1": 0.7}), active=_metrics(0.75, {"1": 0.75}), max_label_drop_points=5
    )
    assert decision.promote is False
    assert decision.reason == "Macro-F1 would drop from 0.750 to 0.700 on the same validation examples."


def test_a_label_losing_more_than_the_allowed_points_blocks_promotion() -> None:
    decision = promotion_decide(
        candidate=_metrics(0.80, {"1": 1.0, "2": 0.6}),
        active=_metrics(0.78, {"1": 0.86, "2": 0.70}),
        max_label_drop_points=5,
        label_names={"2": "NFR > Security"},
    )
    assert decision.promote is False
    assert decision.reason == "Label “NFR > Security” would lose 10.0 F1 points (more than the allowed 5)."


def test_equal_or_better_with_small_label_losses_is_promoted() -> None:
    decision = promotion_decide(
        candidate=_metrics(0.80, {"1": 0.9, "2": 0.67}),
        active=_metrics(0.80, {"1": 0.89, "2": 0.70}),
        max_label_drop_points=5,
    )
    assert decision.promote is True
    assert decision.reason == "Macro-F1 0.800 → 0.800 on the same validation examples."


def test_labels_without_support_are_ignored() -> None:
    active = {"macro_f1": 0.5, "per_label": {"1": {"f1": 1.0, "support": 0}}}
    candidate = {"macro_f1": 0.5, "per_label": {"1": {"f1": 0.0, "support": 0}}}
    assert promotion_decide(candidate=candidate, active=active, max_label_drop_points=1).promote is True


def test_the_reason_names_the_examples_both_versions_were_measured_on() -> None:
    basis = "24 answered examples neither version was trained on"

    decision = promotion_decide(
        candidate=_metrics(0.7, {}), active=_metrics(0.75, {}), max_label_drop_points=5, basis=basis
    )

    assert decision.reason == f"Macro-F1 would drop from 0.750 to 0.700 on {basis}."
