"""Training settings, progress events and results: the types the Celery job and the CLI exchange."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from training.ml.meanings import MeaningExample

Phase = Literal["snapshot", "epoch", "evaluating", "saving"]


@dataclass(frozen=True)
class TrainConfig:
    base_model_path: Path | None = None  # None: default_base_model_path()
    epochs: int | None = None  # None: enough epochs for about `target_steps` optimiser steps
    # PROMISE, seed 0: at half the data (485 examples) 240 steps (8 epochs) gave macro-F1 0.627, 480
    # (16 epochs) 0.663 and 800 (25) 0.664; at 16 shots both land on the 25-epoch cap (0.518 either way).
    target_steps: int = 480
    min_epochs: int = 4
    max_epochs: int = 25
    batch_size: int = 16
    learning_rate: float = 1e-4  # encoder; PROMISE 16 shots: 5e-5 -1.6 and 2e-4 -3 macro-F1 points
    head_learning_rate: float = 1e-3
    weight_decay: float = 0.01
    warmup_fraction: float = 0.1
    max_length: int = 128
    seed: int = 0
    # Not a gate: every label with an example (or a meaning) is trained. It is the number of examples
    # at which a label's own examples weigh as much as its description (meanings.meaning_mass).
    min_positive_examples: int = 5
    validation_fraction: float = 0.2
    # Below this many validation positives a label keeps the 0.5 threshold (see thresholds.py).
    min_validation_positives: int = 20
    # Below this many examples there is no validation split (documented fallback: thresholds 0.5,
    # metrics on the training examples, flagged as such). Measured on PROMISE: holding out 20% cost
    # 5 macro-F1 points at 485 examples and more at 156, more than tuned thresholds ever won back.
    min_examples_for_validation: int = 1000
    unknown_negative_weight: float = 1.0
    # "thresholds": independent per-label decisions (multi-label; a text may get no label).
    # "single_path": the best root-to-leaf path, always down to a leaf. "top_down": from the roots, the
    # best child while it scores 0.5 or more (one label per depth, may stop early or abstain).
    # "auto": top_down when every training example is exactly one path, else thresholds. Measured on
    # PROMISE (one category per requirement) single_path lost 4-6 macro-F1 points to thresholds (it never
    # abstains); top_down gained: 4 shots seed 0 0.532 -> 0.538, and frozen-embedding probes 5 seeds
    # +0.2 (4 shots) and +1.0 (16 shots) points. Multi-label data (both, or none) keeps thresholds.
    decision_rule: Literal["auto", "thresholds", "single_path", "top_down"] = "auto"
    linear_probe_init: bool = True
    # Weigh each label's positives and negatives equally in the loss (like scikit-learn's "balanced").
    # Few-shot data is drawn per label, so its label frequencies say little about the documents the
    # model will tag; without this a label seen in 16 of 150 examples is learnt as rare and under-called.
    class_balance: bool = True
    device: str = "auto"


@dataclass(frozen=True)
class TrainingEvent:
    phase: Phase
    message: str
    progress: float
    epoch: int = 0
    total_epochs: int = 0
    step: int = 0
    total_steps: int = 0
    loss: float | None = None
    metrics: dict[str, Any] | None = None


@dataclass
class TrainResult:
    output_dir: Path
    metrics: dict[str, Any]
    trained_labels: list[str]
    skipped_labels: dict[str, int]
    train_indices: list[int]
    validation_indices: list[int]
    thresholds: dict[str, float]
    device: str
    durations: dict[str, float] = field(default_factory=dict)
    # Trained labels with fewer than `min_positive_examples` positives: they rest on their meaning (and
    # their few examples). Label -> its positive count.
    from_meaning: dict[str, int] = field(default_factory=dict)
    # The weighted meaning texts it trained on beside the examples: the quality estimate's stand-in
    # model trains on them too, so that it estimates the model that was trained (estimate.py).
    meaning_rows: list[MeaningExample] = field(default_factory=list)
