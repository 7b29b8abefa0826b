"""Export the trained network to ONNX for CPU prediction with ONNX Runtime.

ONNX Runtime fuses attention, layer norm and GELU into single kernels; on 2 CPU cores it scores
PROMISE requirements about 3x faster than PyTorch eager with the same scores (largest difference
around 1e-6). The export is checked against PyTorch on a padded batch before it is kept: a graph that
disagrees, or an encoder the exporter cannot trace, leaves the artifact without ONNX and prediction
falls back to PyTorch, so an export problem never costs a trained model.
"""

from __future__ import annotations

import copy
import logging
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from training.ml.model import LabelScorer, collate

log = logging.getLogger(__name__)

ONNX_FILE = "model.onnx"
INPUT_NAMES = ("input_ids", "attention_mask")
OUTPUT_NAME = "scores"
# Same tolerance as a float32 round-trip through fused kernels; decisions are unaffected far below it.
MAX_SCORE_DIFFERENCE = 1e-4
# Two texts of different lengths: the traced graph must see padding, or a mask-free attention path
# could be baked in and padded batches would score wrongly.
_PROBE_TEXTS = (
    "The system shall export a report.",
    "The operator shall be able to acknowledge every alarm within two seconds of it being raised.",
)


class _Scores(nn.Module):
    def __init__(self, net: LabelScorer) -> None:
        super().__init__()
        self.net = net

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.net(input_ids, attention_mask))


def onnx_session(path: Path, *, threads: int | None = None) -> Any:
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    # Follow torch's thread count (OMP_NUM_THREADS / torch.set_num_threads), so a worker configured
    # for N threads stays at N whichever runtime scores.
    options.intra_op_num_threads = threads or torch.get_num_threads()
    return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def export_onnx(net: LabelScorer, tokenizer: Any, path: Path) -> bool:
    """Write `path` and return True, or log why not and return False (the caller keeps PyTorch)."""
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        log.info("onnxruntime is not installed; the model is saved without ONNX.")
        return False
    module = _Scores(copy.deepcopy(net).float().cpu()).eval()
    pad_id = int(tokenizer.pad_token_id or 0)
    probe = tokenizer(list(_PROBE_TEXTS), truncation=True, max_length=64)["input_ids"]
    input_ids, attention_mask = collate(probe, pad_id)
    try:
        with warnings.catch_warnings(), torch.no_grad():
            # The TorchScript exporter is deprecated upstream but gives a graph that ONNX Runtime
            # fuses better (measured 1.3x faster than the torch.export one on MiniLM) in 1.5 s.
            warnings.simplefilter("ignore")
            torch.onnx.export(
                module,
                (input_ids, attention_mask),
                str(path),
                input_names=list(INPUT_NAMES),
                output_names=[OUTPUT_NAME],
                dynamic_axes={
                    "input_ids": {0: "batch", 1: "tokens"},
                    "attention_mask": {0: "batch", 1: "tokens"},
                    OUTPUT_NAME: {0: "batch"},
                },
                opset_version=17,
                dynamo=False,
            )
            expected = module(input_ids, attention_mask).numpy()
        got = onnx_session(path, threads=1).run(
            None, {"input_ids": input_ids.numpy(), "attention_mask": attention_mask.numpy()}
        )[0]
        difference = float(np.abs(got - expected).max())
        if difference > MAX_SCORE_DIFFERENCE:
            raise ValueError(f"ONNX scores differ from PyTorch by {difference:.2e}")
    except Exception as error:  # any exporter or runtime failure: keep the PyTorch path
        log.warning("ONNX export skipped: %s", error)
        path.unlink(missing_ok=True)
        return False
    return True
