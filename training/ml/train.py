"""Fine-tune a pretrained sentence encoder with a multi-label head on a customer's labelled examples.

Method (chosen by measurement, see bench/classify.py): linear probe then full fine-tuning (LP-FT). A
logistic regression on the frozen, normalised sentence embeddings initialises the head, then encoder and
head are fine-tuned together with a masked binary cross-entropy over every node of the tree. Starting
from a head that already separates the labels keeps the first, noisy gradients from wrecking the
pretrained features, which matters most with 5-20 examples per label.
"""

from __future__ import annotations

import math
import shutil
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict
from pathlib import Path

import numpy as np

from training.ml import artifact
from training.ml.base_model import check_base_model, default_base_model_path
from training.ml.config import TrainConfig, TrainingEvent, TrainResult
from training.ml.device import describe, resolve_device
from training.ml.document_thresholds import root_thresholds
from training.ml.errors import ArtifactError, DataError, TrainingCancelled
from training.ml.examples import Example, data_hash, label_targets, validate_examples
from training.ml.fit import balanced_weights, fit, linear_probe, seed_everything
from training.ml.hierarchy import (
    RAW_SCORE_RULES,
    consistent_scores,
    decide_by_rule,
    is_single_path,
    parent_indices,
)
from training.ml.labels import LabelTree
from training.ml.meanings import LabelMeaning, meaning_examples
from training.ml.metrics import classification_metrics
from training.ml.model import LabelScorer, run_batches, tokenize
from training.ml.splits import stratified_split
from training.ml.thresholds import tune_thresholds

__all__ = ["TrainConfig", "TrainResult", "TrainingEvent", "train_classifier"]


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


def train_classifier(
    *,
    examples: Sequence[Example],
    tree: LabelTree,
    config: TrainConfig,
    output_dir: Path,
    on_event: Callable[[TrainingEvent], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    meanings: Mapping[str, LabelMeaning] | None = None,
    unanswered_texts: Sequence[str] = (),
) -> TrainResult:
    """Train, tune thresholds on a stratified validation split, and write an artifact folder.

    With `meanings` (every label's description and phrases; a label missing from it still has its
    name), each trained label's meaning texts are added as weighted training examples (meanings.py),
    and a label is trained even without an example of its own. Without `meanings`, a label needs at
    least one positive example. Labels below `config.min_positive_examples` are reported in
    `TrainResult.from_meaning`: their own examples do not dominate yet.

    `unanswered_texts` (the project's requirements nobody answered; the caller bounds how many) set the
    top-level labels' thresholds where the model decides one category per requirement and no validation
    split tuned them (document_thresholds.py).

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
    wanted = {key for key in tree.keys if counts[key] > 0 or meanings is not None}
    trained = [key for key in tree.keys if key in tree.with_ancestors(wanted)]
    skipped = {key: counts[key] for key in tree.keys if key not in trained}
    from_meaning = {key: counts[key] for key in trained if counts[key] < config.min_positive_examples}
    if not trained:
        raise DataError('No label has a positive example: answer "yes" for some labels before training.')
    # Counts are closed under ancestors, so a parent never has fewer positives than its child, and the
    # trained set is closed under ancestors: an ancestor-closed subtree in the tree's topological order.
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
    extra = (
        meaning_examples(
            tree=tree,
            meanings=meanings,
            labels=keys,
            positives=counts,
            minimum=config.min_positive_examples,
        )
        if meanings is not None
        else []
    )
    if extra:
        extra_targets, extra_weights = label_targets(
            [Example(text=row.text, positives=frozenset({row.label})) for row in extra],
            tree,
            unknown_negative_weight=config.unknown_negative_weight,
        )
        row_weights = np.array([row.weight for row in extra], dtype=np.float32)[:, None]
        extra_targets, extra_weights = extra_targets[:, columns], (extra_weights * row_weights)[:, columns]
    else:
        extra_targets = np.zeros((0, len(keys)), dtype=np.float32)
        extra_weights = np.zeros((0, len(keys)), dtype=np.float32)
    skipped_note = "; not trained (no example and no meaning): " + ", ".join(skipped) if skipped else ""
    if from_meaning:
        basis = "their description" if meanings is not None else "their few examples"
        skipped_note += (
            f"; resting on {basis} (fewer than {config.min_positive_examples} examples): "
            + ", ".join(f"{k} ({n})" for k, n in from_meaning.items())
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
    # The meaning texts always train: they are not examples that validation could measure on.
    train_ids = [token_ids[i] for i in train_idx]
    if extra:
        train_ids += tokenize(tokenizer, [row.text for row in extra], config.max_length)
    train_targets = np.concatenate([all_targets[train_idx], extra_targets])
    train_weights = np.concatenate([all_weights[train_idx], extra_weights])

    fit_started = time.perf_counter()
    if config.linear_probe_init:
        linear_probe(
            net,
            train_ids,
            train_targets,
            train_weights,
            pad_id=pad_id,
            device=device,
            seed=config.seed,
        )
    epochs = _choose_epochs(config, len(train_ids))
    if config.class_balance:
        train_weights = balanced_weights(train_targets, train_weights)
    losses = fit(
        net,
        train_ids,
        train_targets,
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
        rule = "top_down" if single else "thresholds"

    emit(TrainingEvent(phase="evaluating", message="Tuning thresholds and measuring", progress=0.92))
    eval_idx = val_idx or train_idx
    raw = run_batches(net, [token_ids[i] for i in eval_idx], pad_id=pad_id, batch_size=64, device=device)
    scores = consistent_scores(raw, parents)
    if val_idx:
        thresholds, _tuned = tune_thresholds(
            scores,
            all_targets[val_idx],
            all_weights[val_idx],
            min_positives=config.min_validation_positives,
        )
    else:
        thresholds = np.full(len(keys), 0.5, dtype=np.float32)
    taught: dict[str, float] = {}
    if rule == "top_down" and not val_idx and unanswered_texts:
        unanswered_raw = run_batches(
            net,
            tokenize(tokenizer, list(unanswered_texts), config.max_length),
            pad_id=pad_id,
            batch_size=64,
            device=device,
        )
        answered = all_targets[train_idx] > 0.5
        thresholds, taught = root_thresholds(
            unanswered_raw,
            keys,
            parents,
            thresholds,
            answered_share=answered.mean(axis=0).tolist(),
            seed=config.seed,
        )
    decided = decide_by_rule(raw if rule in RAW_SCORE_RULES else scores, thresholds, parents, rule)
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
    card["from_meaning"] = from_meaning
    card["counts"]["meaning_texts"] = len(extra)
    card["counts"]["unanswered_texts"] = len(unanswered_texts)
    card["thresholds_from_unanswered"] = taught
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
        from_meaning=from_meaning,
        meaning_rows=extra,
        train_indices=train_idx,
        validation_indices=val_idx,
        thresholds=threshold_map,
        device=describe(device),
        durations=durations,
    )
