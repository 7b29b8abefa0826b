"""Fixtures for training tests: a tiny encoder and the settings that point training at it."""

from pathlib import Path
from typing import Any

import pytest

from tests.tiny_model import build_tiny_encoder


@pytest.fixture(scope="session")
def tiny_encoder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_encoder(tmp_path_factory.mktemp("tiny") / "encoder")


@pytest.fixture
def training_settings(settings: Any, tiny_encoder: Path) -> dict[str, str]:
    """Point this process and any worker started with the returned env at the tiny encoder."""
    settings.SELKO_BASE_MODEL = str(tiny_encoder)
    settings.SELKO_TRAIN_EPOCHS = 4
    settings.SELKO_MIN_EXAMPLES_PER_LABEL = 5
    return {
        "SELKO_BASE_MODEL": str(tiny_encoder),
        "SELKO_MIN_EXAMPLES_PER_LABEL": "5",
        "SELKO_JOB_HEARTBEAT_SECONDS": "1",
        "SELKO_JOB_STALE_SECONDS": "4",
        "SELKO_JOB_SWEEP_SECONDS": "1",
    }
