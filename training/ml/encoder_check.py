"""Check that a local checkpoint folder is a usable sentence encoder, and measure it on this machine.

Run before an encoder is registered for projects to train from (`manage.py encoders register`): a folder
that does not load, or whose model gives no hidden states, is refused with a message naming what is
missing, before anything is recorded.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from training.ml.base_model import check_base_model, sha256_file, weights_file
from training.ml.errors import ConfigError

# Requirement-like sentences of typical length: the speed figure is for the text Selko actually encodes.
SAMPLE_SENTENCES = [
    "The system shall encrypt every stored password with a salted hash.",
    "The operator display shall refresh the train position at least once per second.",
    "Only authorised maintenance staff shall be able to change the braking parameters.",
    "The application shall be available 99.5% of the time during business hours.",
]


@dataclass(frozen=True)
class EncoderFacts:
    path: Path
    weights_sha256: str
    size_bytes: int  # every file of the folder
    hidden_size: int
    architecture: str
    sentences_per_second: float


def _folder_size(path: Path) -> int:
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file())


def inspect_encoder(path: Path, *, sentences: int = 64, batch_size: int = 16) -> EncoderFacts:
    """Load the folder as a transformers encoder with its tokenizer, encode `sentences` sentences on the
    CPU and return its identity and speed. Raises ConfigError naming the problem."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    path = Path(path).expanduser().resolve()
    check_base_model(path)
    try:
        tokenizer = AutoTokenizer.from_pretrained(str(path))
        model = AutoModel.from_pretrained(str(path))
    except Exception as error:  # transformers raises many kinds for a bad folder
        raise ConfigError(
            f"{str(path)!r} does not load as a transformers model with a tokenizer: {error}"
        ) from error
    hidden_size = getattr(model.config, "hidden_size", None)
    if not isinstance(hidden_size, int):
        raise ConfigError(f"{str(path)!r} has no hidden_size in its config: not a sentence encoder.")
    texts = [SAMPLE_SENTENCES[i % len(SAMPLE_SENTENCES)] for i in range(sentences)]
    model.eval()
    started = time.perf_counter()
    with torch.inference_mode():
        for start in range(0, len(texts), batch_size):
            batch = tokenizer(
                texts[start : start + batch_size],
                padding=True,
                truncation=True,
                max_length=128,
                return_tensors="pt",
            )
            output = model(**batch)
            if getattr(output, "last_hidden_state", None) is None:
                raise ConfigError(f"{str(path)!r} gives no hidden states: not a sentence encoder.")
    elapsed = max(time.perf_counter() - started, 1e-9)
    weights = weights_file(path)
    assert weights is not None  # check_base_model made sure
    return EncoderFacts(
        path=path,
        weights_sha256=sha256_file(weights),
        size_bytes=_folder_size(path),
        hidden_size=hidden_size,
        architecture=",".join(getattr(model.config, "architectures", None) or [type(model).__name__]),
        sentences_per_second=round(len(texts) / elapsed, 1),
    )
