"""Fine-tune a pretrained sentence encoder with a multi-label head on a customer's labelled examples.

Method (chosen by measurement, see bench/classify.py): linear probe then full fine-tuning (LP-FT). A
logistic regression on the frozen, normalised sentence embeddings initialises the head, then encoder and
head are fine-tuned together with a masked binary cross-entropy over every node of the tree. Starting
from a head that already separates the labels keeps the first, noisy gradients from wrecking the
pretrained features, which matters most with 5-20 examples per label.
"""

from __future__ import annotations

import math
import random
import shutil
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import torch
from torch import nn

from training.ml import artifact
from training.ml.base_model import check_base_model, default_base_model_path
from training.ml.device import autocast, describe, resolve_device
from training.ml.errors import ArtifactError, DataError, TrainingCancelled
from training.ml.examples import Example, data_hash, label_targets, validate_examples
from training.ml.hierarchy import consistent_scores, decide_by_rule, is_single_path, parent_indices
from training.ml.labels import LabelTree
from training.ml.metrics import classification_metrics
from training.ml.model import LabelScorer, collate, run_batches, tokenize
from training.ml.splits import stratified_split
from training.ml.thresholds import tune_thresholds

Phase = Literal["snapshot", "epoch", "evaluating", "saving"]


@dataclass(frozen=True)
class TrainConfig:
    base_model_path: Path | None = None  # None: default_base_model_path()
    epochs: int | None = None  # None: enough epochs for about `target_steps` optimiser steps
    target_steps: int = 240
    min_epochs: int = 4
    max_epochs: int = 25
    batch_size: int = 16
    learning_rate: float = 1e-4  # encoder; PROMISE 16 shots: 5e-5 -1.6 and 2e-4 -3 macro-F1 points
    head_learning_rate: float = 1e-3
    weight_decay: float = 0.01
    warmup_fraction: float = 0.1
    max_length: int = 128
    seed: int = 0
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
    # "single_path": the best root-to-leaf path; "auto": single_path when every training example is
    # exactly one path. Measured on PROMISE (one category per requirement) the best path still lost 4-6
    # macro-F1 points to thresholds, which may abstain on an unsure text instead of guessing a rare
    # label, so thresholds is the default even for one-category data.
    decision_rule: Literal["auto", "thresholds", "single_path"] = "thresholds"
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


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def _count_positives(examples: Sequence[Example], tree: LabelTree) -> dict[str, int]:
    counts = dict.fromkeys(tree.keys, 0)
    for example in examples:
        for key in tree.with_ancestors(example.positives):
            counts[key] += 1
    return counts


def _choose_epochs(config: TrainConfig, n_train: int) -> int:
    if config.epochs is not None:
        return config.epochs
    steps_per_epoch = math.ceil(n_train / config.batch_size)
    wanted = math.ceil(config.target_steps / steps_per_epoch)
    return max(config.min_epochs, min(config.max_epochs, wanted))


def balanced_weights(targets: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Scale the loss weights so that, per label, positives and negatives carry the same total weight."""
    positive = (targets > 0.5) & (weights > 0)
    negative = (targets <= 0.5) & (weights > 0)
    pos_total = (weights * positive).sum(axis=0)
    neg_total = (weights * negative).sum(axis=0)
    total = pos_total + neg_total
    pos_scale = np.where(pos_total > 0, total / (2 * np.maximum(pos_total, 1e-9)), 1.0)
    neg_scale = np.where(neg_total > 0, total / (2 * np.maximum(neg_total, 1e-9)), 1.0)
    scale = np.where(positive, pos_scale[None, :], np.where(negative, neg_scale[None, :], 0.0))
    return (weights * scale).astype(np.float32)


def _linear_probe(
    net: LabelScorer,
    token_ids: list[list[int]],
    targets: np.ndarray,
    weights: np.ndarray,
    *,
    pad_id: int,
    device: torch.device,
    seed: int,
) -> None:
    """Initialise the head with per-label logistic regressions on frozen embeddings."""
    from sklearn.linear_model import LogisticRegression

    embeddings = run_batches(net, token_ids, pad_id=pad_id, batch_size=64, device=device, embed_only=True)
    weight = np.zeros((targets.shape[1], embeddings.shape[1]), dtype=np.float32)
    bias = np.zeros(targets.shape[1], dtype=np.float32)
    for label in range(targets.shape[1]):
        known = weights[:, label] > 0
        y = targets[known, label]
        if len(np.unique(y)) < 2:
            # Every known example agrees (e.g. a root that all examples carry): a constant prior logit.
            rate = float(np.clip(y.mean() if len(y) else 0.5, 0.02, 0.98))
            bias[label] = math.log(rate / (1 - rate))
            continue
        probe = LogisticRegression(C=10.0, max_iter=1000, class_weight="balanced", random_state=seed)
        probe.fit(embeddings[known], y, sample_weight=weights[known, label])
        weight[label] = probe.coef_[0]
        bias[label] = probe.intercept_[0]
    with torch.no_grad():
        net.head.weight.copy_(torch.from_numpy(weight))
        net.head.bias.copy_(torch.from_numpy(bias))


def _fit(
    net: LabelScorer,
    token_ids: list[list[int]],
    targets: np.ndarray,
    weights: np.ndarray,
    *,
    config: TrainConfig,
    epochs: int,
    pad_id: int,
    device: torch.device,
    emit: Callable[[TrainingEvent], None],
    should_stop: Callable[[], bool],
) -> list[float]:
    generator = torch.Generator().manual_seed(config.seed)
    steps_per_epoch = math.ceil(len(token_ids) / config.batch_size)
    total_steps = steps_per_epoch * epochs
    encoder_params = [p for n, p in net.named_parameters() if n.startswith("encoder.")]
    no_decay = [p for n, p in net.named_parameters() if n.startswith("encoder.") and p.ndim < 2]
    decay = [p for p in encoder_params if p.ndim >= 2]
    optimizer = torch.optim.AdamW(
        [
            {"params": decay, "lr": config.learning_rate, "weight_decay": config.weight_decay},
            {"params": no_decay, "lr": config.learning_rate, "weight_decay": 0.0},
            {"params": net.head.parameters(), "lr": config.head_learning_rate, "weight_decay": 0.0},
        ]
    )
    warmup = max(1, int(config.warmup_fraction * total_steps))

    def schedule(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (total_steps - step) / max(1, total_steps - warmup))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, schedule)
    targets_t = torch.from_numpy(targets)
    weights_t = torch.from_numpy(weights)
    net.train()
    step = 0
    epoch_losses = []
    for epoch in range(1, epochs + 1):
        order = torch.randperm(len(token_ids), generator=generator).tolist()
        total_loss, total_weight = 0.0, 0.0
        for start in range(0, len(order), config.batch_size):
            if should_stop():
                raise TrainingCancelled(f"Training was cancelled at epoch {epoch}, step {step}.")
            batch = order[start : start + config.batch_size]
            input_ids, attention_mask = collate([token_ids[i] for i in batch], pad_id)
            batch_targets = targets_t[batch].to(device)
            batch_weights = weights_t[batch].to(device)
            with autocast(device):
                logits = net(input_ids.to(device), attention_mask.to(device))
            losses = nn.functional.binary_cross_entropy_with_logits(
                logits.float(), batch_targets, reduction="none"
            )
            weight_sum = batch_weights.sum().clamp(min=1.0)
            loss = (losses * batch_weights).sum() / weight_sum
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            step += 1
            total_loss += float(loss.detach()) * float(weight_sum)
            total_weight += float(weight_sum)
        epoch_loss = total_loss / max(total_weight, 1.0)
        epoch_losses.append(epoch_loss)
        emit(
            TrainingEvent(
                phase="epoch",
                message=f"Epoch {epoch}/{epochs}: loss {epoch_loss:.4f}",
                progress=0.05 + 0.85 * step / total_steps,
                epoch=epoch,
                total_epochs=epochs,
                step=step,
                total_steps=total_steps,
                loss=epoch_loss,
            )
        )
    return epoch_losses


def train_classifier(
    *,
    examples: Sequence[Example],
    tree: LabelTree,
    config: TrainConfig,
    output_dir: Path,
    on_event: Callable[[TrainingEvent], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> TrainResult:
    """Train, tune thresholds on a stratified validation split, and write an artifact folder.

    The folder is assembled beside `output_dir` and renamed into place only when complete, so a crash or
    a cancellation never leaves a half-written model where a loader could find it.
    """
    from transformers import AutoModel, AutoTokenizer

    started = time.perf_counter()
    emit = on_event or (lambda _event: None)
    stop = should_stop or (lambda: False)
    output_dir = Path(output_dir)
    if output_dir.exists() and any(output_dir.iterdir()):
        raise ArtifactError(f"Output folder {str(output_dir)!r} already exists and is not empty.")

    validate_examples(examples, tree)
    base_path = check_base_model(Path(config.base_model_path or default_base_model_path()))
    device = resolve_device(config.device)
    seed_everything(config.seed)

    counts = _count_positives(examples, tree)
    trained = [key for key in tree.keys if counts[key] >= config.min_positive_examples]
    skipped = {key: counts[key] for key in tree.keys if key not in trained}
    if not trained:
        raise DataError(
            f"No label has the minimum of {config.min_positive_examples} positive examples "
            f"(most: {max(counts.values())})."
        )
    # Counts are closed under ancestors, so a parent never has fewer positives than its child: the
    # trained labels form an ancestor-closed subtree and keep the tree's topological order.
    sub_tree = LabelTree.from_parents({key: tree.parent(key) for key in trained})
    keys = list(sub_tree.keys)
    parents = parent_indices(sub_tree, keys)
    all_targets, all_weights = label_targets(
        examples, tree, unknown_negative_weight=config.unknown_negative_weight
    )
    columns = [tree.index(key) for key in keys]
    all_targets, all_weights = all_targets[:, columns], all_weights[:, columns]
    closed = [frozenset(keys[j] for j in np.flatnonzero(row > 0.5)) for row in all_targets]

    if len(examples) >= config.min_examples_for_validation and config.validation_fraction > 0:
        train_idx, val_idx = stratified_split(
            closed, second_fraction=config.validation_fraction, seed=config.seed
        )
    else:
        train_idx, val_idx = list(range(len(examples))), []
    skipped_note = (
        f"; not trained (fewer than {config.min_positive_examples} examples): "
        + ", ".join(f"{k} ({n})" for k, n in skipped.items())
        if skipped
        else ""
    )
    emit(
        TrainingEvent(
            phase="snapshot",
            message=f"{len(examples)} examples, {len(trained)} labels trained, {len(train_idx)} for "
            f"training, {len(val_idx)} for validation, on {describe(device)}{skipped_note}",
            progress=0.0,
        )
    )

    tokenizer = AutoTokenizer.from_pretrained(str(base_path))
    pad_id = int(tokenizer.pad_token_id or 0)
    encoder = AutoModel.from_pretrained(str(base_path))
    net = LabelScorer(encoder, int(encoder.config.hidden_size), len(keys)).to(device)
    token_ids = tokenize(tokenizer, [e.text for e in examples], config.max_length)
    train_ids = [token_ids[i] for i in train_idx]

    fit_started = time.perf_counter()
    if config.linear_probe_init:
        _linear_probe(
            net,
            train_ids,
            all_targets[train_idx],
            all_weights[train_idx],
            pad_id=pad_id,
            device=device,
            seed=config.seed,
        )
    epochs = _choose_epochs(config, len(train_idx))
    train_weights = all_weights[train_idx]
    if config.class_balance:
        train_weights = balanced_weights(all_targets[train_idx], train_weights)
    losses = _fit(
        net,
        train_ids,
        all_targets[train_idx],
        train_weights,
        config=config,
        epochs=epochs,
        pad_id=pad_id,
        device=device,
        emit=emit,
        should_stop=stop,
    )
    fit_seconds = time.perf_counter() - fit_started
    rule = config.decision_rule
    if rule == "auto":
        single = is_single_path(all_targets[train_idx], all_weights[train_idx], parents)
        rule = "single_path" if single else "thresholds"

    emit(TrainingEvent(phase="evaluating", message="Tuning thresholds and measuring", progress=0.92))
    eval_idx = val_idx or train_idx
    scores = consistent_scores(
        run_batches(net, [token_ids[i] for i in eval_idx], pad_id=pad_id, batch_size=64, device=device),
        parents,
    )
    if val_idx:
        thresholds, _tuned = tune_thresholds(
            scores,
            all_targets[val_idx],
            all_weights[val_idx],
            min_positives=config.min_validation_positives,
        )
    else:
        thresholds = np.full(len(keys), 0.5, dtype=np.float32)
    decided = decide_by_rule(scores, thresholds, parents, rule)
    metrics = classification_metrics(
        truth=[closed[i] for i in eval_idx],
        predicted=[frozenset(keys[j] for j in np.flatnonzero(row)) for row in decided],
        tree=sub_tree,
        ignored=[frozenset(keys[j] for j in np.flatnonzero(all_weights[i] == 0)) for i in eval_idx],
    )
    metrics["decision_rule"] = rule
    metrics["evaluated_on"] = "validation" if val_idx else "training (too few examples for a split)"
    metrics["final_train_loss"] = round(losses[-1], 5) if losses else None
    if stop():
        raise TrainingCancelled("Training was cancelled before saving.")

    emit(TrainingEvent(phase="saving", message=f"Writing the model to {output_dir}", progress=0.96))
    durations = {"fit_seconds": round(fit_seconds, 2), "total_seconds": 0.0}
    threshold_map = {key: round(float(t), 4) for key, t in zip(keys, thresholds, strict=True)}
    card = artifact.training_card(
        data_sha256=data_hash(examples, tree),
        base_model_path=base_path,
        config=asdict(config) | {"epochs_run": epochs, "base_model_path": str(base_path)},
        device=describe(device),
        seed=config.seed,
        durations=durations,
        counts={
            "examples": len(examples),
            "train": len(train_idx),
            "validation": len(val_idx),
            "positives_per_label": counts,
        },
        skipped_labels=skipped,
    )
    temp_dir = output_dir.parent / f".{output_dir.name}.partial-{uuid.uuid4().hex[:8]}"
    try:
        artifact.write_artifact(
            temp_dir,
            net=net,
            tokenizer=tokenizer,
            tree=sub_tree,
            full_tree=tree,
            thresholds=threshold_map,
            metrics=metrics,
            card=card,
            max_length=config.max_length,
            decision_rule=rule,
        )
        durations["total_seconds"] = round(time.perf_counter() - started, 2)
        artifact.update_card_durations(temp_dir, durations)
        if output_dir.exists():
            output_dir.rmdir()  # empty, checked above
        temp_dir.rename(output_dir)
    except BaseException:
        shutil.rmtree(temp_dir, ignore_errors=True)
        raise
    emit(TrainingEvent(phase="saving", message="Model saved", progress=1.0, metrics=metrics))
    return TrainResult(
        output_dir=output_dir,
        metrics=metrics,
        trained_labels=keys,
        skipped_labels=skipped,
        train_indices=train_idx,
        validation_indices=val_idx,
        thresholds=threshold_map,
        device=describe(device),
        durations=durations,
    )
