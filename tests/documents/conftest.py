"""Fixtures for the parser tests: the real documents when ../shared is present."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"


@pytest.fixture
def shared_documents() -> Path:
    folder = SHARED_DATA / "documents"
    if not folder.is_dir():
        pytest.skip(f"real documents not found at {folder} (the ../shared folder beside the checkout)")
    return folder


@pytest.fixture
def nasa_ground_truth() -> Path:
    path = SHARED_DATA / "classification" / "nasa_cfs_requirements.csv"
    if not path.is_file():
        pytest.skip(f"NASA ground truth not found at {path} (the ../shared folder beside the checkout)")
    return path
