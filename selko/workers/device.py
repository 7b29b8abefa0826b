"""What a worker computes on, without initialising CUDA in a process that may fork.

`nvidia-smi` answers from the driver (NVML) in a child process; asking torch would create a CUDA
context in the worker's parent, which its prefork pool then forks (see training/ml/device.py).
"""

import os
import shutil
import subprocess
from dataclasses import dataclass

NVIDIA_SMI_TIMEOUT_SECONDS = 10
MIB = 1024 * 1024


@dataclass(frozen=True)
class Device:
    name: str
    memory_bytes: int | None  # a GPU's memory; None for the CPU


def device_describe() -> Device:
    cpu = Device(name=f"CPU ({os.cpu_count()} cores)", memory_bytes=None)
    visible = os.environ.get("CUDA_VISIBLE_DEVICES")
    if visible is not None and visible.strip() in ("", "-1"):
        return cpu  # the GPUs are hidden from this worker on purpose
    nvidia_smi = shutil.which("nvidia-smi")
    if nvidia_smi is None:
        return cpu
    command = [nvidia_smi, "--query-gpu=name,memory.total", "--format=csv,noheader,nounits"]
    if visible:
        command.append(f"--id={visible.split(',')[0].strip()}")
    try:
        output = subprocess.run(
            command, capture_output=True, text=True, timeout=NVIDIA_SMI_TIMEOUT_SECONDS, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return cpu
    return device_from_nvidia_smi(output) or cpu


def device_from_nvidia_smi(output: str) -> Device | None:
    """`NVIDIA H200, 143771` (name, MiB) from the first GPU line; None when there is none."""
    lines = [line for line in output.splitlines() if line.strip()]
    if not lines or "," not in lines[0]:
        return None
    name, _, memory = lines[0].rpartition(",")
    try:
        memory_bytes = int(memory.strip()) * MIB
    except ValueError:
        return None
    return Device(name=name.strip(), memory_bytes=memory_bytes)
