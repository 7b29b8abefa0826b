"""The model artifact folder: everything needed to predict, and a card on how it was made.

Layout (all plain files, safetensors for weights so loading never unpickles code):
  model.safetensors   encoder and head weights        config.json      encoder architecture
  tokenizer files     as saved by the tokenizer       labels.json      trained tree, label order, full tree
  thresholds.json     per-label decision thresholds   metrics.json     figures on unseen examples (below)
  training_card.json  data hash, base model + sha256, hyperparameters, versions, device, seed, durations
  selko_model.json    format version, pooling, max_length, sha256 of model.safetensors (and model.onnx)
  model.onnx          optional: the same network for ONNX Runtime (CPU prediction), see onnx_export.py

metrics.json holds at its top level only figures measured on examples the model was not trained on (its
validation split; the product replaces them with the figures its registry shows, `metrics_record`).
Trained without a split, the trainer's figures come from its own training rows: they are kept, under
"fit_on_training_rows", so that no reader mistakes them for the model's quality.
"""

from __future__ import annotations

import json
import platform
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import torch

from training.ml.base_model import sha256_file, weights_file
from training.ml.errors import ArtifactError, LabelTreeError
from training.ml.hierarchy import DECISION_RULES
from training.ml.labels import LabelTree
from training.ml.model import LabelScorer
from training.ml.onnx_export import ONNX_FILE, export_onnx

FORMAT_VERSION = 1
WEIGHTS = "model.safetensors"
MANIFEST = "selko_model.json"
REQUIRED = (MANIFEST, WEIGHTS, "config.json", "labels.json", "thresholds.json", "training_card.json")


def _library_versions() -> dict[str, str]:
    import numpy
    import sklearn
    import transformers

    return {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "numpy": numpy.__version__,
        "scikit-learn": sklearn.__version__,
    }


def training_card(
    *,
    data_sha256: str,
    base_model_path: Path,
    config: dict[str, Any],
    device: str,
    seed: int,
    durations: dict[str, float],
    counts: dict[str, Any],
    skipped_labels: dict[str, int],
) -> dict[str, Any]:
    base_weights = weights_file(base_model_path)
    return {
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "data_sha256": data_sha256,
        "base_model": {
            "path": str(base_model_path),
            "weights_sha256": sha256_file(base_weights) if base_weights else None,
        },
        "hyperparameters": {k: str(v) if isinstance(v, Path) else v for k, v in config.items()},
        "libraries": _library_versions(),
        "platform": f"{platform.system()} {platform.machine()}, {sys.implementation.name}",
        "device": device,
        "seed": seed,
        "durations": durations,
        "counts": counts,
        "skipped_labels": skipped_labels,
    }


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8")


def write_artifact(
    folder: Path,
    *,
    net: LabelScorer,
    tokenizer: Any,
    tree: LabelTree,
    full_tree: LabelTree,
    thresholds: dict[str, float],
    metrics: dict[str, Any],
    card: dict[str, Any],
    max_length: int,
    decision_rule: str,
) -> None:
    from safetensors.torch import save_file

    folder.mkdir(parents=True)
    state = {name: tensor.detach().float().cpu().contiguous() for name, tensor in net.state_dict().items()}
    save_file(state, str(folder / WEIGHTS), metadata={"format": "pt", "selko_format": str(FORMAT_VERSION)})
    net.encoder.config.save_pretrained(str(folder))  # type: ignore[union-attr,operator]
    tokenizer.save_pretrained(str(folder))
    _write_json(
        folder / "labels.json",
        {
            "label_keys": list(tree.keys),
            "parents": tree.to_parents(),
            "names": {key: full_tree.name(key) for key in full_tree.keys},
            "full_tree_parents": full_tree.to_parents(),
        },
    )
    _write_json(folder / "thresholds.json", thresholds)
    _write_json(folder / "metrics.json", _metrics_for_file(metrics))
    _write_json(folder / "training_card.json", card)
    has_onnx = export_onnx(net, tokenizer, folder / ONNX_FILE)
    _write_json(
        folder / MANIFEST,
        {
            "format_version": FORMAT_VERSION,
            "architecture": "encoder, masked mean pooling, L2 normalisation, linear head, sigmoid per label",
            "hidden_size": int(net.head.in_features),
            "n_labels": int(net.head.out_features),
            "max_length": max_length,
            "decision_rule": decision_rule,
            "weights_sha256": sha256_file(folder / WEIGHTS),
            "onnx_sha256": sha256_file(folder / ONNX_FILE) if has_onnx else None,
        },
    )


FIT_ON_TRAINING_ROWS = "fit_on_training_rows"
# How a figure was obtained rather than a figure: stays at the top level.
_NOT_FIGURES = ("evaluated_on", "decision_rule", "final_train_loss", "kind")


def _metrics_for_file(metrics: dict[str, Any]) -> dict[str, Any]:
    if not str(metrics.get("evaluated_on", "")).startswith("training"):
        return metrics
    kept = {key: value for key, value in metrics.items() if key in _NOT_FIGURES}
    fit = {key: value for key, value in metrics.items() if key not in _NOT_FIGURES}
    return kept | {FIT_ON_TRAINING_ROWS: fit}


def metrics_record(folder: Path, measured: dict[str, Any]) -> None:
    """Replace the figures of metrics.json with `measured` (the ones measured on unseen examples that the
    registry shows), keeping any training-fit figures under their explicit name."""
    fit = read_json(folder, "metrics.json").get(FIT_ON_TRAINING_ROWS)
    _write_json(folder / "metrics.json", measured | ({FIT_ON_TRAINING_ROWS: fit} if fit else {}))


def update_card_durations(folder: Path, durations: dict[str, float]) -> None:
    card = read_json(folder, "training_card.json")
    card["durations"] = durations
    _write_json(folder / "training_card.json", card)


def read_json(folder: Path, name: str) -> Any:
    path = folder / name
    if not path.is_file():
        raise ArtifactError(f"Model folder {str(folder)!r} is incomplete: {name} is missing.")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ArtifactError(
            f"Model folder {str(folder)!r} is corrupted: {name} is not valid JSON ({error})."
        ) from error


@dataclass
class LoadedArtifact:
    folder: Path
    net: LabelScorer | None  # None when loaded for ONNX Runtime only
    onnx_path: Path | None  # None when the artifact has no ONNX export
    tokenizer: Any
    tree: LabelTree
    label_keys: list[str]
    thresholds: dict[str, float]
    max_length: int
    decision_rule: str
    metrics: dict[str, Any]
    card: dict[str, Any]


def validate_artifact(folder: Path, *, verify_weights: bool = True) -> dict[str, Any]:
    """Check the folder without loading the network; returns the manifest. Raises `ArtifactError`."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ArtifactError(f"Model folder {str(folder)!r} does not exist.")
    missing = [name for name in REQUIRED if not (folder / name).is_file()]
    if missing:
        raise ArtifactError(f"Model folder {str(folder)!r} is incomplete: missing {', '.join(missing)}.")
    manifest = read_json(folder, MANIFEST)
    if manifest.get("decision_rule", "thresholds") not in DECISION_RULES:
        raise ArtifactError(
            f"Model folder {str(folder)!r} has an unknown decision rule {manifest.get('decision_rule')!r}."
        )
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ArtifactError(
            f"Model folder {str(folder)!r} has format version {manifest.get('format_version')!r}; "
            f"this code reads version {FORMAT_VERSION}."
        )
    checked = [(WEIGHTS, manifest.get("weights_sha256"))]
    if manifest.get("onnx_sha256"):
        if not (folder / ONNX_FILE).is_file():
            raise ArtifactError(f"Model folder {str(folder)!r} is incomplete: {ONNX_FILE} is missing.")
        checked.append((ONNX_FILE, manifest["onnx_sha256"]))
    for name, recorded in checked if verify_weights else []:
        if sha256_file(folder / name) != recorded:
            raise ArtifactError(
                f"Model folder {str(folder)!r} is corrupted: {name} does not match its recorded sha256."
            )
    return dict(manifest)


def load_artifact(
    folder: Path, *, device: torch.device | None = None, with_network: bool = True
) -> LoadedArtifact:
    """Validate and load a folder; `with_network=False` skips the PyTorch weights (ONNX prediction)."""
    from safetensors import SafetensorError
    from safetensors.torch import load_file
    from transformers import AutoConfig, AutoModel, AutoTokenizer

    folder = Path(folder)
    manifest = validate_artifact(folder)
    labels = read_json(folder, "labels.json")
    thresholds = read_json(folder, "thresholds.json")
    try:
        tree = LabelTree(parents=labels["parents"], names=labels.get("names", {}))
        keys = list(labels["label_keys"])
    except (KeyError, TypeError, LabelTreeError) as error:
        raise ArtifactError(
            f"Model folder {str(folder)!r} is corrupted: labels.json is invalid ({error})."
        ) from error
    if keys != list(tree.keys) or len(keys) != manifest.get("n_labels"):
        raise ArtifactError(
            f"Model folder {str(folder)!r} is corrupted: labels.json does not match the model."
        )
    missing_thresholds = [key for key in keys if key not in thresholds]
    if missing_thresholds:
        raise ArtifactError(
            f"Model folder {str(folder)!r} is corrupted: "
            f"thresholds.json lacks {', '.join(missing_thresholds)}."
        )
    try:
        tokenizer = AutoTokenizer.from_pretrained(str(folder))
        encoder_config = AutoConfig.from_pretrained(str(folder))
    except (OSError, ValueError) as error:
        raise ArtifactError(
            f"Model folder {str(folder)!r} has an unreadable tokenizer or config ({error})."
        ) from error
    net = None
    if with_network:
        net = LabelScorer(AutoModel.from_config(encoder_config), int(manifest["hidden_size"]), len(keys))
        try:
            net.load_state_dict(load_file(str(folder / WEIGHTS)), strict=True)
        except (SafetensorError, RuntimeError, OSError) as error:
            raise ArtifactError(
                f"Model folder {str(folder)!r} has weights that do not fit the model ({error})."
            ) from error
        net.eval()
        if device is not None:
            net.to(device)
    return LoadedArtifact(
        folder=folder,
        net=net,
        onnx_path=folder / ONNX_FILE if manifest.get("onnx_sha256") else None,
        tokenizer=tokenizer,
        tree=tree,
        label_keys=keys,
        thresholds={key: float(thresholds[key]) for key in keys},
        max_length=int(manifest["max_length"]),
        decision_rule=str(manifest.get("decision_rule", "thresholds")),
        metrics=read_json(folder, "metrics.json") if (folder / "metrics.json").is_file() else {},
        card=read_json(folder, "training_card.json"),
    )
