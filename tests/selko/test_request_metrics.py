"""Request latency on `GET /metrics`: counted per route pattern, and added up over gunicorn's workers."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from tests import worker as worker_helpers

TOKEN = "metrics-token-for-tests"
HEALTH_ROUTE = "healthz"


def _request_counts(exposition: str) -> dict[tuple[str, str, str], float]:
    """(method, route, status) -> requests answered, from the latency histogram's `_count` samples."""
    return {
        (sample.labels["method"], sample.labels["route"], sample.labels["status"]): sample.value
        for family in text_string_to_metric_families(exposition)
        if family.name == "selko_http_request_duration_seconds"
        for sample in family.samples
        if sample.name.endswith("_count")
    }


def _scrape_in_process() -> dict[tuple[str, str, str], float]:
    response = Client().get("/metrics", headers={"authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    return _request_counts(response.content.decode())


@pytest.mark.django_db
def test_requests_are_counted_by_route_pattern_and_status(settings: Any, project: Any) -> None:
    settings.SELKO_METRICS_TOKEN = TOKEN
    before = _scrape_in_process()
    client = Client()

    for _ in range(3):
        assert client.get("/healthz").status_code == 200
    assert client.get(f"/api/v1/projects/{project.slug}/documents/").status_code in (401, 403)
    assert client.get("/no/such/page/at-all").status_code == 404

    after = _scrape_in_process()
    grew = {key: value - before.get(key, 0) for key, value in after.items() if value != before.get(key, 0)}
    # The project's slug is not in the series: one per route, however many projects there are.
    unauthenticated = ("GET", "api/v1/projects/<slug:project_slug>/documents/", "403")
    assert grew.pop(("GET", HEALTH_ROUTE, "200")) == 3
    assert grew.pop(unauthenticated, 0) + grew.pop((*unauthenticated[:2], "401"), 0) == 1
    assert grew.pop(("GET", "unmatched", "404")) == 1
    assert set(grew) <= {("GET", "metrics", "200")}  # the first scrape itself


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str, *, token: str = "") -> str:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return str(response.read().decode())


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_every_gunicorn_worker_s_requests_are_in_each_scrape(tmp_path: Path) -> None:
    port = _free_port()
    multiprocess_dir = tmp_path / "prometheus"
    env = {
        **os.environ,
        "DATABASE_URL": worker_helpers.test_database_url(),
        "SELKO_VAR_DIR": str(django_settings.VAR_DIR),
        "SELKO_METRICS_TOKEN": TOKEN,
        "PROMETHEUS_MULTIPROC_DIR": str(multiprocess_dir),
    }
    log_path = tmp_path / "gunicorn.log"
    command = [
        sys.executable, "-m", "gunicorn", "-c", "python:selko.gunicorn_conf", "selko.wsgi",
        "-b", f"127.0.0.1:{port}", "--workers", "2",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            command, cwd=worker_helpers.REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                _get(f"{base}/healthz")
                break
            except (urllib.error.URLError, ConnectionError):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(log_path.read_text(errors="replace")) from None
                time.sleep(0.3)
        sent = 1
        # Given health checks, in concurrent bursts until both workers have answered some
        with ThreadPoolExecutor(max_workers=8) as pool:
            for _ in range(30):
                list(pool.map(lambda _: _get(f"{base}/healthz"), range(16)))
                sent += 16
                if len(list(multiprocess_dir.glob("histogram_*.db"))) >= 2:
                    break
        assert len(list(multiprocess_dir.glob("histogram_*.db"))) == 2, "one worker answered everything"

        # When Prometheus scrapes several times, reaching whichever worker is free
        scrapes = [_request_counts(_get(f"{base}/metrics", token=TOKEN)) for _ in range(6)]

        # Then every scrape counts every health check, not the answering worker's share
        assert [scrape[("GET", HEALTH_ROUTE, "200")] for scrape in scrapes] == [sent] * 6
    finally:
        server.terminate()
        server.wait(timeout=30)
