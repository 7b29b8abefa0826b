"""A zero-shot classifier built from what the labels mean, before anyone answered anything.

Each label becomes a prototype: the mean of the frozen encoder's unit embeddings of its path with its
description ("Non-functional > Security: access control, authentication, …") and of each example
phrase, renormalised. A requirement's score for a label is a sigmoid of the cosine similarity between
its embedding and the prototype, shifted by the depth's minimum similarity.

That is exactly the trained network's shape (encoder, mean pooling, L2 normalisation, linear head,
sigmoid): the head's rows are the scaled prototypes and its biases the shifted floors. So the artifact
is an ordinary artifact folder, and `inference.load_classifier` (PyTorch or ONNX) scores it unchanged.

An inner label's prototype stands for its whole subtree: the renormalised mean of its own prototype and
those of every label below it, so "Non-functional" reads as the sum of the quality classes the user
described, not as its own vague sentence. Decisions use the "top_down" rule (hierarchy.py): from the
roots down, the most similar child of the label decided one level up, when its similarity reaches that
depth's floor. A child is therefore only suggested under a suggested parent, and siblings compete on
their own raw similarity, not on scores clipped to the parent's. Measured on PROMISE (hand-written
descriptions and phrases, bench/taxonomies): macro-F1 0.450 / F1(F) 0.638 with own-text prototypes and
the best-label-below rule, 0.453 / 0.759 with subtree prototypes and this rule.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch

from training.ml import artifact
from training.ml.base_model import check_base_model, default_base_model_path
from training.ml.device import describe, resolve_device
from training.ml.errors import ConfigError
from training.ml.labels import LabelTree
from training.ml.meanings import LabelMeaning, label_texts
from training.ml.model import LabelScorer, run_batches, tokenize

DECISION_RULE = "top_down"
KIND = "zero_shot"


@dataclass(frozen=True)
class ZeroShotConfig:
    base_model_path: Path | None = None  # None: default_base_model_path()
    max_length: int = 128
    # Cosine similarity a label (or a label below it) needs to be suggested, by depth (the last value
    # holds deeper down). MiniLM on PROMISE with hand-written descriptions: floors 0.1 gave macro-F1
    # 0.258 and left 4 of 969 requirements without a suggestion; 0.2 gave 0.254 and left 134.
    min_similarity: tuple[float, ...] = (0.1,)
    # Sigmoid steepness: scores 0.5 at the floor, about 0.9 at 0.1 above it. Only the display depends on it.
    scale: float = 20.0
    batch_size: int = 64
    device: str = "auto"
    extra: dict[str, str] = field(default_factory=dict)  # recorded in the training card (e.g. lineage)

    def floor(self, depth: int) -> float:
        if not self.min_similarity:
            raise ConfigError("ZeroShotConfig.min_similarity needs at least one value.")
        return self.min_similarity[min(depth, len(self.min_similarity) - 1)]


@dataclass(frozen=True)
class ZeroShotResult:
    output_dir: Path
    label_keys: list[str]
    meaning_sha256: str
    described_labels: int  # labels with a description or example phrases; the rest rest on their name


def meaning_sha256(tree: LabelTree, meanings: Mapping[str, LabelMeaning]) -> str:
    """A hash of everything the zero-shot model reads: keys, parents, names, descriptions, phrases.
    Two trees with the same hash give the same model (with the same encoder)."""
    rows = [
        [
            key,
            tree.parent(key),
            tree.name(key),
            meanings.get(key, LabelMeaning()).description.strip(),
            [p.strip() for p in meanings.get(key, LabelMeaning()).examples if p.strip()],
        ]
        for key in tree.keys
    ]
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode("utf-8")).hexdigest()


def prototypes(
    embeddings: np.ndarray, owners: Sequence[int], n_labels: int
) -> np.ndarray:  # (n_texts, hidden), owner label index of each text
    """One unit vector per label: the renormalised mean of its texts' unit embeddings."""
    sums = np.zeros((n_labels, embeddings.shape[1]), dtype=np.float64)
    np.add.at(sums, np.asarray(owners), embeddings.astype(np.float64))
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    return (sums / np.maximum(norms, 1e-12)).astype(np.float32)


def subtree_prototypes(centres: np.ndarray, tree: LabelTree, keys: Sequence[str]) -> np.ndarray:
    """Each label's prototype averaged with those of every label below it (each label counts once),
    renormalised; a leaf keeps its own."""
    position = {key: i for i, key in enumerate(keys)}
    sums = centres.astype(np.float64).copy()
    for key in keys:
        parent = tree.parent(key)
        while parent is not None:
            sums[position[parent]] += centres[position[key]]
            parent = tree.parent(parent)
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    return (sums / np.maximum(norms, 1e-12)).astype(np.float32)


def build_zero_shot(
    *,
    tree: LabelTree,
    meanings: Mapping[str, LabelMeaning],
    config: ZeroShotConfig,
    output_dir: Path,
) -> ZeroShotResult:
    """Write a zero-shot artifact folder for every label of `tree` (assembled beside `output_dir`,
    renamed into place when complete). Raises `ConfigError` for an empty tree or a bad encoder."""
    from transformers import AutoModel, AutoTokenizer

    if not len(tree):
        raise ConfigError("A zero-shot model needs at least one label.")
    output_dir = Path(output_dir)
    if output_dir.exists() and any(output_dir.iterdir()):
        raise ConfigError(f"Output folder {str(output_dir)!r} is not empty.")
    base_path = check_base_model(config.base_model_path or default_base_model_path())
    device = resolve_device(config.device)
    tokenizer = AutoTokenizer.from_pretrained(str(base_path))
    encoder = AutoModel.from_pretrained(str(base_path))
    keys = list(tree.keys)
    net = LabelScorer(encoder, int(encoder.config.hidden_size), len(keys), dropout=0.0).to(device)

    texts: list[str] = []
    owners: list[int] = []
    for index, key in enumerate(keys):
        for text in label_texts(tree, meanings, key):
            texts.append(text)
            owners.append(index)
    embeddings = run_batches(
        net,
        tokenize(tokenizer, texts, config.max_length),
        pad_id=int(tokenizer.pad_token_id or 0),
        batch_size=config.batch_size,
        device=device,
        embed_only=True,
    )
    centres = subtree_prototypes(prototypes(embeddings, owners, len(keys)), tree, keys)
    floors = np.array([config.floor(tree.depth(key)) for key in keys], dtype=np.float32)
    with torch.no_grad():
        net.head.weight.copy_(torch.from_numpy(config.scale * centres))
        net.head.bias.copy_(torch.from_numpy(-config.scale * floors))

    sha = meaning_sha256(tree, meanings)
    described = sum(1 for key in keys if meanings.get(key, LabelMeaning()).described)
    metrics = {
        "kind": KIND,
        "evaluated_on": "nothing: a zero-shot model is built from the labels' meaning, not from examples",
        "decision_rule": DECISION_RULE,
        "described_labels": described,
    }
    card = artifact.training_card(
        data_sha256=sha,
        base_model_path=base_path,
        config={k: v for k, v in asdict(config).items() if k != "extra"}
        | {"kind": KIND, "base_model_path": str(base_path), **config.extra},
        device=describe(device),
        seed=0,
        durations={},
        counts={"labels": len(keys), "label_texts": len(texts), "described_labels": described},
        skipped_labels={},
    )
    temp_dir = output_dir.parent / f".{output_dir.name}.partial-{uuid.uuid4().hex[:8]}"
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    try:
        artifact.write_artifact(
            temp_dir,
            net=net,
            tokenizer=tokenizer,
            tree=tree,
            full_tree=tree,
            thresholds=dict.fromkeys(keys, 0.5),  # the sigmoid's 0.5 is the depth's floor
            metrics=metrics,
            card=card,
            max_length=config.max_length,
            decision_rule=DECISION_RULE,
        )
        if output_dir.exists():
            output_dir.rmdir()  # empty, checked above
        temp_dir.rename(output_dir)
    except BaseException:
        shutil.rmtree(temp_dir, ignore_errors=True)
        raise
    return ZeroShotResult(
        output_dir=output_dir, label_keys=keys, meaning_sha256=sha, described_labels=described
    )


__all__ = [
    "DECISION_RULE",
    "KIND",
    "LabelMeaning",
    "ZeroShotConfig",
    "ZeroShotResult",
    "build_zero_shot",
    "label_texts",
    "meaning_sha256",
]
