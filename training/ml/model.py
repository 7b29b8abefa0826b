"""The network (pretrained encoder, mean pooling, linear multi-label head) and batched scoring.

Training and inference share this module so that a model is scored the same way everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
from torch import nn

from training.ml.device import autocast


class LabelScorer(nn.Module):
    def __init__(self, encoder: nn.Module, hidden_size: int, n_labels: int, dropout: float = 0.1) -> None:
        super().__init__()
        self.encoder = encoder
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(hidden_size, n_labels)

    def embed(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1.0)
        # MiniLM-style sentence encoders were trained for cosine similarity: unit-length embeddings are
        # the space in which their neighbourhoods mean something, so the head starts from there.
        return nn.functional.normalize(pooled.float(), dim=-1)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.head(self.dropout(self.embed(input_ids, attention_mask)))


def tokenize(tokenizer: Any, texts: Sequence[str], max_length: int) -> list[list[int]]:
    encoded = tokenizer(list(texts), truncation=True, max_length=max_length, padding=False)
    return [list(ids) for ids in encoded["input_ids"]]


def collate(token_ids: Sequence[Sequence[int]], pad_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Pad to the longest sequence of this batch only: fixed-length padding costs ~2.3x on CPU."""
    longest = max(len(ids) for ids in token_ids)
    input_ids = torch.full((len(token_ids), longest), pad_id, dtype=torch.long)
    attention_mask = torch.zeros((len(token_ids), longest), dtype=torch.long)
    for row, ids in enumerate(token_ids):
        input_ids[row, : len(ids)] = torch.tensor(ids, dtype=torch.long)
        attention_mask[row, : len(ids)] = 1
    return input_ids, attention_mask


def batches_by_length(token_ids: Sequence[Sequence[int]], batch_size: int) -> list[list[int]]:
    # Sorting by length puts similar lengths together, so padding (wasted compute) nearly vanishes.
    order = sorted(range(len(token_ids)), key=lambda i: len(token_ids[i]))
    return [order[start : start + batch_size] for start in range(0, len(order), batch_size)]


def run_batches(
    module: nn.Module,
    token_ids: Sequence[Sequence[int]],
    *,
    pad_id: int,
    batch_size: int,
    device: torch.device,
    embed_only: bool = False,
) -> np.ndarray:
    """Sigmoid scores (or embeddings) in the order of `token_ids`, computed in length-sorted batches."""
    was_training = module.training
    module.eval()
    outputs: list[np.ndarray] = [np.empty(0)] * len(token_ids)
    try:
        with torch.inference_mode(), autocast(device):
            for batch in batches_by_length(token_ids, batch_size):
                input_ids, attention_mask = collate([token_ids[i] for i in batch], pad_id)
                input_ids, attention_mask = input_ids.to(device), attention_mask.to(device)
                if embed_only:
                    values = module.embed(input_ids, attention_mask)  # type: ignore[operator]
                else:
                    values = torch.sigmoid(module(input_ids, attention_mask).float())
                for row, i in enumerate(batch):
                    outputs[i] = values[row].float().cpu().numpy()
    finally:
        module.train(was_training)
    return np.stack(outputs) if outputs else np.empty((0, 0), dtype=np.float32)
