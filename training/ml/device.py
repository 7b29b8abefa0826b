"""Where training and prediction run: CUDA with bf16 autocast when present, else CPU in fp32."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import torch

from training.ml.errors import ConfigError


def resolve_device(requested: str = "auto") -> torch.device:
    if requested == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if requested.startswith("cuda") and not torch.cuda.is_available():
        raise ConfigError(f"Device {requested!r} was requested but no CUDA GPU is available.")
    try:
        return torch.device(requested)
    except RuntimeError as error:
        raise ConfigError(f"Unknown device {requested!r}: use 'auto', 'cpu' or 'cuda'.") from error


@contextlib.contextmanager
def autocast(device: torch.device) -> Iterator[None]:
    # bf16 keeps fp32's range, so no loss scaling is needed; on CPU autocast would only slow things down.
    if device.type == "cuda":
        with torch.autocast(device_type="cuda", dtype=torch.bfloat16):
            yield
    else:
        yield


def describe(device: torch.device) -> str:
    if device.type == "cuda":
        return f"cuda ({torch.cuda.get_device_name(device)}, bf16 autocast)"
    return f"cpu ({torch.get_num_threads()} threads, fp32)"
