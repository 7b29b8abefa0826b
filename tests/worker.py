"""Start and stop a real Celery worker process that sees the test database."""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection

from selko.celery import app as celery_app

REPO_ROOT = Path(__file__).resolve().parents[1]


def test_database_url() -> str:
    """The URL of the database the test runner created, for a process outside pytest."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}{db.get('HOST') or ''}{port}/{db['NAME']}"


def purge_broker() -> None:
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        queue = settings.CELERY_FILESYSTEM_BROKER_DIR / "queue"
        shutil.rmtree(queue, ignore_errors=True)
        queue.mkdir(parents=True, exist_ok=True)
    else:
        celery_app.control.purge()


@dataclass
class CeleryWorker:
    process: subprocess.Popen[bytes]
    log_path: Path
    queues: str
    extra_env: dict[str, str] = field(default_factory=dict)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self) -> None:
        """SIGKILL the whole worker (parent and pool children), as a crashed machine would."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def start_celery_worker(
    *,
    queues: str = "default,ingest,predict,train",
    purge: bool = True,
    extra_env: dict[str, str] | None = None,
) -> CeleryWorker:
    if purge:
        purge_broker()
    env = {
        **os.environ,
        "DATABASE_URL": test_database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "SELKO_VAR_DIR": str(settings.VAR_DIR),
        "SELKO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "SELKO_SUMMARY_METHOD": settings.SELKO_SUMMARY_METHOD,
        **(extra_env or {}),
    }
    log_dir = Path(settings.VAR_DIR) / "worker-logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"worker-{time.time_ns()}.log"
    command = [
        sys.executable, "-m", "celery", "-A", "selko", "worker", "-Q", queues, "--pool", "prefork",
        "--concurrency", "1", "--without-gossip", "--without-mingle", "-n", f"test-{time.time_ns()}@%h",
        "--loglevel", "INFO",
    ]  # fmt: skip
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
    worker = CeleryWorker(process=process, log_path=log_path, queues=queues, extra_env=extra_env or {})
    deadline = time.monotonic() + 120
    while "ready." not in worker.log():
        if process.poll() is not None or time.monotonic() > deadline:
            worker.stop()
            raise RuntimeError(f"Celery worker did not start:\n{worker.log()}")
        time.sleep(0.2)
    return worker


def wait_for(
    condition: "object", *, timeout: float = 60.0, interval: float = 0.2, worker: CeleryWorker | None = None
) -> None:
    """Poll `condition()` until it is truthy; fail with the worker's log when it never becomes so."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(interval)
    log = worker.log()[-4000:] if worker else ""
    raise AssertionError(f"condition not met within {timeout}s\n{log}")
