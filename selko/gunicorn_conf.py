"""gunicorn's settings (`gunicorn -c python:selko.gunicorn_conf`): its own log lines (start, worker boot
and timeout) in the format of Django's, so `SELKO_LOG_FORMAT=json` makes the whole web process JSON; and
the folder in which the worker processes add up their request latencies (selko/request_metrics.py)."""

import os
import tempfile
from pathlib import Path
from typing import Any

from selko.env import env_choice

# Set before any worker imports prometheus_client, which chooses its storage once, at import. An operator
# may name the folder (a tmpfs); otherwise each start gets a fresh one.
MULTIPROCESS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
if not os.environ.get(MULTIPROCESS_DIR_VARIABLE):
    os.environ[MULTIPROCESS_DIR_VARIABLE] = tempfile.mkdtemp(prefix="selko-prometheus-")


def on_starting(server: Any) -> None:
    """A named folder may hold the files of a previous start: counting restarts from zero is what
    Prometheus expects of a restarted target."""
    folder = Path(os.environ[MULTIPROCESS_DIR_VARIABLE])
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()


def child_exit(server: Any, worker: Any) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


if env_choice("SELKO_LOG_FORMAT", "plain", ("plain", "json")) == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "selko.logs.json_formatter"}},
        "filters": {"context": {"()": "selko.logs.LogContextFilter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "filters": ["context"],
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"level": "INFO", "handlers": ["console"]},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
        },
    }
