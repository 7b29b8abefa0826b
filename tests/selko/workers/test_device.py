"""The device a worker reports: a GPU's name and memory from nvidia-smi, the CPU otherwise."""

import os

import pytest

from selko.workers.device import Device, device_describe, device_from_nvidia_smi


def test_the_first_gpu_line_gives_name_and_memory() -> None:
    output = "NVIDIA H200, 143771\nNVIDIA H200, 143771\n"

    assert device_from_nvidia_smi(output) == Device(name="NVIDIA H200", memory_bytes=143771 * 1024 * 1024)


@pytest.mark.parametrize("output", ["", "No devices were found\n", "NVIDIA H200, [N/A]\n"])
def test_no_usable_gpu_line_gives_nothing(output: str) -> None:
    assert device_from_nvidia_smi(output) is None


def test_hidden_gpus_mean_the_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")

    assert device_describe() == Device(name=f"CPU ({os.cpu_count()} cores)", memory_bytes=None)
