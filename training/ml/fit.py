"""The optimisation itself: class-balanced loss weights, linear-probe head initialisation, the loop."""

from __future__ import annotations

import math
import random
from collections.abc import Callable

import numpy as np
import torch
from torch import nn

from training.ml.config import TrainConfig, TrainingEvent
from training.ml.device import autocast
from training.ml.errors import TrainingCancelled
from training.ml.model import LabelScorer, collate, run_batches


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


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


def linear_probe(
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


def fit(
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
        counts = _RunningF1(targets.shape[1], device)
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
            counts.add(logits.detach().float(), batch_targets, batch_weights)
            step += 1
            total_loss += float(loss.detach()) * float(weight_sum)
            total_weight += float(weight_sum)
        epoch_loss = total_loss / max(total_weight, 1.0)
        epoch_losses.append(epoch_loss)
        train_f1 = counts.macro_f1()
        emit(
            TrainingEvent(
                phase="epoch",
                message=f"Epoch {epoch}/{epochs}: loss {epoch_loss:.4f}, training macro-F1 {train_f1:.3f}",
                progress=0.05 + 0.85 * step / total_steps,
                epoch=epoch,
                total_epochs=epochs,
                step=step,
                total_steps=total_steps,
                loss=epoch_loss,
                metrics={"train_macro_f1": train_f1},
            )
        )
    return epoch_losses


class _RunningF1:
    """Macro-F1 of the decisions the training batches already computed, at no extra forward pass.

    It is measured while the weights move, on training examples: a learning curve for the job page, not
    a quality figure (the validation metrics at the end are that).
    """

    def __init__(self, n_labels: int, device: torch.device) -> None:
        self.tp = torch.zeros(n_labels, device=device)
        self.fp = torch.zeros(n_labels, device=device)
        self.fn = torch.zeros(n_labels, device=device)

    def add(self, logits: torch.Tensor, targets: torch.Tensor, weights: torch.Tensor) -> None:
        known = weights > 0
        predicted = (logits > 0) & known
        actual = (targets > 0.5) & known
        self.tp += (predicted & actual).sum(dim=0)
        self.fp += (predicted & ~actual).sum(dim=0)
        self.fn += (~predicted & actual).sum(dim=0)

    def macro_f1(self) -> float:
        support = (self.tp + self.fn) > 0
        if not bool(support.any()):
            return 0.0
        f1 = 2 * self.tp / (2 * self.tp + self.fp + self.fn).clamp(min=1)
        return round(float(f1[support].mean()), 5)
