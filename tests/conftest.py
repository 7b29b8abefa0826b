"""Fixtures shared by every test: users with roles in projects, API clients, a real Celery worker, and a
tiny encoder with the settings that point training at it."""

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from selko.tenancy.models import Project, Role
from tests.factories import MembershipFactory, ProjectFactory, UserFactory
from tests.tiny_model import build_tiny_encoder
from tests.worker import CeleryWorker, start_celery_worker

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data not found at {SHARED_DATA} (the ../shared folder beside the checkout)")
    return SHARED_DATA


@pytest.fixture
def project(db: None) -> Project:
    return ProjectFactory()


@pytest.fixture
def member_of(db: None) -> Callable[..., object]:
    """member_of(project, role) -> a user with that role in the project's organization."""

    def make(project: Project, role: Role = Role.EDITOR) -> object:
        user = UserFactory()
        MembershipFactory(user=user, organization=project.organization, role=role)
        return user

    return make


@pytest.fixture
def editor(project: Project, member_of: Callable[..., object]) -> object:
    return member_of(project, Role.EDITOR)


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def editor_api(editor: object) -> APIClient:
    client = APIClient()
    client.force_authenticate(editor)
    return client


@pytest.fixture
def editor_browser(editor: object) -> Client:
    client = Client()
    client.force_login(editor)  # type: ignore[arg-type]
    return client


@pytest.fixture
def celery_worker(transactional_db: None) -> Iterator[CeleryWorker]:
    """A real `celery worker` process on the configured broker, reading the test database."""
    worker = start_celery_worker()
    try:
        yield worker
    finally:
        worker.stop()


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


@pytest.fixture(autouse=True)
def _rate_limits_forgotten() -> Iterator[None]:
    """Rate-limit counters live in the cache, keyed by user id; ids repeat from test to test."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _summaries_by_word_overlap(settings: Any) -> None:
    """Ingests in tests pick summary sentences by TF-IDF (workers started here inherit the setting), so
    a test that ingests a document does not load an encoder; tests/documents/summaries sets "encoder"
    with the tiny model, and one slow test with the real MiniLM."""
    settings.SELKO_SUMMARY_METHOD = "tfidf"
