"""An import killed half-way (SIGKILL of `manage.py ingest`) is finished by running the same import again.

Real processes on a real SQLite file: the first import is killed while it parses a 50,000-row CSV, the
second one, of the identical file, takes the interrupted document over and parses it to the end.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[3]
ROWS = 50_000


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _document(database: Path) -> tuple[str, int]:
    with sqlite3.connect(database, timeout=30) as connection:
        row = connection.execute("SELECT id, status FROM documents_document").fetchone()
        if row is None:
            return "", 0
        count = connection.execute(
            "SELECT COUNT(*) FROM documents_requirement WHERE document_id = ?", (row[0],)
        ).fetchone()[0]
    return row[1], count


def test_the_same_import_again_finishes_an_import_killed_half_way(tmp_path: Path) -> None:
    # given an embedded instance with a project, and a large CSV
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")}
    env.update(SELKO_VAR_DIR=str(tmp_path / "var"), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    database = tmp_path / "var" / "selko.sqlite3"
    assert _manage(env, "migrate", "-v", "0").returncode == 0
    created = _manage(
        env,
        "shell",
        "-c",
        "from selko.tenancy.models import Organization, Project; "
        "Project.objects.create(organization=Organization.objects.create(name='O', slug='o'), "
        "name='Crash', slug='crash')",
    )
    assert created.returncode == 0, created.stderr
    csv = tmp_path / "requirements.csv"
    csv.write_text(
        "ID,Requirement\n"
        + "".join(f"REQ-{n:05d},The pump {n} shall start within {n % 60 + 1} seconds.\n" for n in range(ROWS))
    )
    # when the import is killed while it parses
    first = subprocess.Popen(
        [sys.executable, "manage.py", "ingest", str(csv), "--project", "crash"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    while _document(database)[0] != "parsing" and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.wait()
    status, count = _document(database)
    assert (first.returncode, status, count) == (-signal.SIGKILL, "parsing", 0)
    # and the same import runs again
    second = _manage(env, "ingest", str(csv), "--project", "crash")
    # then it finished the document
    assert second.returncode == 0, second.stderr
    assert "an interrupted import of this file, finished now" in second.stdout
    assert _document(database) == ("parsed", ROWS)
