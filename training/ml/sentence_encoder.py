"""Sentence embeddings from the project's pretrained encoder, the one training fine-tunes from.

The same pooling as the trained network (mean over tokens, unit length: model.py), so a sentence sits in
the space the classifier starts from. The encoder is loaded on first use and kept for the life of the
process (a worker embeds every document it ingests); torch is imported only then, so importing this
module costs nothing in a process that never embeds.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from training.ml.base_model import check_base_model, default_base_model_path

MAX_LENGTH = 128  # tokens; a summary candidate has at most 80 words
BATCH_SIZE = 64


@dataclass(frozen=True)
class SentenceEncoder:
    path: Path
    tokenizer: Any
    net: Any  # a LabelScorer whose head is unused: only its embed() runs
    device: Any

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-length float32 row per text, in the order given."""
        from training.ml.model import run_batches, tokenize

        if not texts:
            return np.empty((0, 0), dtype=np.float32)
        return run_batches(
            self.net,
            tokenize(self.tokenizer, texts, MAX_LENGTH),
            pad_id=int(self.tokenizer.pad_token_id or 0),
            batch_size=BATCH_SIZE,
            device=self.device,
            embed_only=True,
        ).astype(np.float32)


def sentence_encoder(base_model_path: Path | None = None) -> SentenceEncoder:
    """The encoder at `base_model_path` (default: `$SELKO_BASE_MODEL`, else the bundled MiniLM), loaded
    once per process. Raises `ConfigError` when there is no usable checkpoint."""
    path = check_base_model(Path(base_model_path) if base_model_path else default_base_model_path())
    return _load(path.resolve())


@functools.lru_cache(maxsize=2)
def _load(path: Path) -> SentenceEncoder:
    import torch
    from torch import nn
    from transformers import AutoModel, AutoTokenizer

    from training.ml.device import resolve_device
    from training.ml.model import LabelScorer

    device = resolve_device("auto")
    tokenizer = AutoTokenizer.from_pretrained(str(path))
    encoder = AutoModel.from_pretrained(str(path))
    net: nn.Module = LabelScorer(encoder, int(encoder.config.hidden_size), 1, dropout=0.0).eval()
    if device.type == "cpu":
        # Dynamic int8 on the Linear layers: ~2.8x faster on CPU (DESIGN.md), and picking central
        # sentences by cosine does not notice the rounding.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from torch.ao.quantization import quantize_dynamic

            net = quantize_dynamic(net, {nn.Linear}, dtype=torch.qint8)
    return SentenceEncoder(path=path, tokenizer=tokenizer, net=net.to(device), device=device)
