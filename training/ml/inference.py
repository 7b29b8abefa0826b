"""Load a trained artifact folder and tag texts with it. Plain Python: no Django imports, so web
workers, GPU workers, benchmarks and the CLI all predict with exactly this code."""

from __future__ import annotations

import importlib.util
import logging
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from training.ml.artifact import LoadedArtifact, load_artifact
from training.ml.device import resolve_device
from training.ml.errors import ArtifactError
from training.ml.hierarchy import RAW_SCORE_RULES, consistent_scores, decide_by_rule, parent_indices
from training.ml.labels import LabelTree
from training.ml.model import batches_by_length, collate, run_batches, tokenize
from training.ml.onnx_export import onnx_session

__all__ = ["ArtifactError", "Classifier", "Prediction", "load_classifier"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Prediction:
    labels: frozenset[str]
    scores: dict[str, float]


RUNTIMES = ("auto", "torch", "onnx")


class Classifier:
    def __init__(
        self, loaded: LoadedArtifact, device: torch.device, *, quantized: bool, session: Any = None
    ) -> None:
        self._loaded = loaded
        self._device = device
        self._session = session  # an ONNX Runtime session, or None to score with PyTorch
        self._parents = parent_indices(loaded.tree, loaded.label_keys)
        self._threshold_array = np.array([loaded.thresholds[k] for k in loaded.label_keys], dtype=np.float32)
        self._pad_id = int(loaded.tokenizer.pad_token_id or 0)
        self.quantized = quantized

    @property
    def runtime(self) -> str:
        """ "onnx" (ONNX Runtime on CPU) or "torch"."""
        return "onnx" if self._session is not None else "torch"

    @property
    def label_keys(self) -> list[str]:
        return list(self._loaded.label_keys)

    @property
    def thresholds(self) -> dict[str, float]:
        return dict(self._loaded.thresholds)

    @property
    def decision_rule(self) -> str:
        """ "single_path" (one best root-to-leaf path per text) or "thresholds" (per-label yes/no)."""
        return self._loaded.decision_rule

    @property
    def tree(self) -> LabelTree:
        return self._loaded.tree

    @property
    def artifact_dir(self) -> Path:
        return self._loaded.folder

    @property
    def metrics(self) -> dict[str, object]:
        return dict(self._loaded.metrics)

    @property
    def device(self) -> torch.device:
        return self._device

    def score_array(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        """Hierarchy-consistent scores, shape (len(texts), len(label_keys))."""
        return consistent_scores(self._raw_scores(texts, batch_size=batch_size), self._parents)

    def score_and_decide(
        self, texts: Sequence[str], *, batch_size: int = 64
    ) -> tuple[np.ndarray, np.ndarray]:
        """Hierarchy-consistent scores and the decisions, in one pass over the network. The per-depth
        and top-down rules decide on the raw scores, where siblings are not tied at their parent's score."""
        raw = self._raw_scores(texts, batch_size=batch_size)
        scores = consistent_scores(raw, self._parents)
        return scores, self.decide_array(raw if self.decision_rule in RAW_SCORE_RULES else scores)

    def _raw_scores(self, texts: Sequence[str], *, batch_size: int) -> np.ndarray:
        if not texts:
            return np.zeros((0, len(self._loaded.label_keys)), dtype=np.float32)
        token_ids = tokenize(self._loaded.tokenizer, list(texts), self._loaded.max_length)
        if self._session is not None:
            raw = _onnx_scores(
                self._session,
                token_ids,
                n_labels=len(self._loaded.label_keys),
                pad_id=self._pad_id,
                batch_size=batch_size,
            )
        else:
            assert self._loaded.net is not None
            raw = run_batches(
                self._loaded.net, token_ids, pad_id=self._pad_id, batch_size=batch_size, device=self._device
            )
        return raw

    def predict(self, texts: Sequence[str], *, batch_size: int = 64) -> list[dict[str, float]]:
        """Label key -> score for every text; a child's score is never above its parent's."""
        scores = self.score_array(texts, batch_size=batch_size)
        keys = self._loaded.label_keys
        return [{key: float(value) for key, value in zip(keys, row, strict=True)} for row in scores]

    def decide_array(self, scores: np.ndarray) -> np.ndarray:
        return decide_by_rule(scores, self._threshold_array, self._parents, self._loaded.decision_rule)

    def decide(self, scores: Mapping[str, float]) -> set[str]:
        """The decided labels: the best path, or each label at or above its threshold; with ancestors."""
        row = np.array([[scores.get(key, 0.0) for key in self._loaded.label_keys]], dtype=np.float32)
        decided = self.decide_array(row)[0]
        return {key for key, yes in zip(self._loaded.label_keys, decided, strict=True) if yes}

    def classify(self, texts: Sequence[str], *, batch_size: int = 64) -> list[Prediction]:
        scores, decided = self.score_and_decide(texts, batch_size=batch_size)
        keys = self._loaded.label_keys
        return [
            Prediction(
                labels=frozenset(k for k, yes in zip(keys, flags, strict=True) if yes),
                scores={k: float(v) for k, v in zip(keys, row, strict=True)},
            )
            for row, flags in zip(scores, decided, strict=True)
        ]


def _quantize_int8(net: nn.Module) -> nn.Module:
    # Dynamic int8 quantisation of the Linear layers: ~2.8x faster on CPU for MiniLM. The bench checks
    # that macro-F1 stays within 0.5 points of fp32 on PROMISE before it is allowed as a default.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from torch.ao.quantization import quantize_dynamic

        return quantize_dynamic(net, {nn.Linear}, dtype=torch.qint8)


def _onnx_scores(
    session: Any, token_ids: Sequence[Sequence[int]], *, n_labels: int, pad_id: int, batch_size: int
) -> np.ndarray:
    scores = np.empty((len(token_ids), n_labels), dtype=np.float32)
    for batch in batches_by_length(token_ids, batch_size):
        input_ids, attention_mask = collate([token_ids[i] for i in batch], pad_id)
        feed = {"input_ids": input_ids.numpy(), "attention_mask": attention_mask.numpy()}
        scores[batch] = session.run(None, feed)[0]
    return scores


def _onnx_session_or_none(loaded: LoadedArtifact, *, required: bool) -> Any:
    """The artifact's ONNX Runtime session, or None (with the reason logged) to score with PyTorch.

    `required` turns every reason into an `ArtifactError` instead.
    """
    if loaded.onnx_path is None:
        problem = "it has no ONNX export"
    elif importlib.util.find_spec("onnxruntime") is None:
        problem = "onnxruntime is not installed"
    else:
        try:
            return onnx_session(loaded.onnx_path)
        except Exception as error:  # e.g. an export newer than the installed onnxruntime reads
            problem = f"ONNX Runtime cannot open {loaded.onnx_path.name} ({error})"
    if required:
        raise ArtifactError(f"Model folder {str(loaded.folder)!r} cannot be scored with ONNX: {problem}.")
    log.info("Scoring %s with PyTorch: %s", loaded.folder, problem)
    return None


def load_classifier(
    artifact_dir: Path | str, *, device: str = "auto", quantize: bool = False, runtime: str = "auto"
) -> Classifier:
    """Load an artifact folder (raises `ArtifactError` naming what is missing or corrupted).

    `runtime="auto"` scores with ONNX Runtime on CPU when the artifact has an ONNX export and
    onnxruntime is installed (same scores, about 3x faster), else with PyTorch; "onnx" insists on it.
    `quantize=True` uses PyTorch int8 dynamic quantisation, CPU only; on CUDA it is ignored.
    """
    if runtime not in RUNTIMES:
        raise ValueError(f"Unknown runtime {runtime!r}: use auto, torch or onnx.")
    resolved = resolve_device(device)
    folder = Path(artifact_dir)
    use_onnx = runtime != "torch" and resolved.type == "cpu" and not quantize
    if runtime == "onnx" and not use_onnx:
        raise ValueError("The ONNX runtime scores on CPU without quantisation; use device='cpu'.")
    if use_onnx:
        loaded = load_artifact(folder, device=resolved, with_network=False)
        session = _onnx_session_or_none(loaded, required=runtime == "onnx")
        if session is not None:
            return Classifier(loaded, resolved, quantized=False, session=session)
    loaded = load_artifact(folder, device=resolved)
    assert loaded.net is not None
    quantized = quantize and resolved.type == "cpu"
    if quantized:
        loaded.net = _quantize_int8(loaded.net)  # type: ignore[assignment]
    return Classifier(loaded, resolved, quantized=quantized)
