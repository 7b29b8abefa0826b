"""Mirror a running training into its job row: progress, phase, metrics, log lines, heartbeats, cancel.

Writes are throttled (a few per second at most) except for phase changes and epoch ends, which the user
watches for. The heartbeat runs on its own thread so a long step never makes a live job look dead.
"""

import logging
import threading
import time
from datetime import timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from training.ml.train import TrainingEvent
from training.models import TrainingJob

logger = logging.getLogger(__name__)
MAX_LOG_LINES = 500
WRITE_INTERVAL_SECONDS = 0.5
CANCEL_CHECK_INTERVAL_SECONDS = 0.5


def _utc_stamp() -> str:
    return timezone.now().strftime("%H:%M:%S")


class JobReporter:
    def __init__(self, *, job_id: int, progress_range: tuple[float, float] = (5.0, 90.0)) -> None:
        self.job_id = job_id
        self.low, self.high = progress_range
        self._log: list[str] = list(
            TrainingJob.objects.values_list("log_lines", flat=True).get(pk=job_id) or []
        )
        self._series: list[dict[str, Any]] = list(
            TrainingJob.objects.values_list("metrics_series", flat=True).get(pk=job_id) or []
        )
        self._last_write = 0.0
        self._last_cancel_check = 0.0
        self._cancelled = False
        self._pending: dict[str, Any] = {}

    # --- what the trainer calls --------------------------------------------------------------
    def on_event(self, event: TrainingEvent) -> None:
        fields: dict[str, Any] = {"progress": round(self.low + (self.high - self.low) * event.progress, 2)}
        force = False
        if event.phase == "epoch" and event.total_epochs:
            fields["phase"] = f"epoch {event.epoch} of {event.total_epochs}"
        elif event.phase == "evaluating":
            fields["phase"] = "evaluating"
        elif event.phase == "saving":
            fields["phase"] = "saving"
        if event.phase == "epoch" and event.loss is not None:
            point: dict[str, Any] = {"epoch": event.epoch, "loss": round(event.loss, 5)}
            for name, value in (event.metrics or {}).items():
                if isinstance(value, int | float):
                    point[name] = round(float(value), 5)
            self._series.append(point)
            fields["metrics_series"] = list(self._series)
            force = True
        if event.message:
            self._append_log(event.message)
            fields["log_lines"] = list(self._log)
            force = force or event.phase != "epoch"
        self._write(fields, force=force)

    def should_stop(self) -> bool:
        now = time.monotonic()
        if not self._cancelled and now - self._last_cancel_check >= CANCEL_CHECK_INTERVAL_SECONDS:
            self._last_cancel_check = now
            self._cancelled = TrainingJob.objects.filter(pk=self.job_id, cancel_requested=True).exists()
        return self._cancelled

    # --- what the runner calls ---------------------------------------------------------------
    def phase(self, name: str, *, progress: float | None = None, message: str = "") -> None:
        fields: dict[str, Any] = {"phase": name}
        if progress is not None:
            fields["progress"] = progress
        if message:
            self._append_log(message)
            fields["log_lines"] = list(self._log)
        self._write(fields, force=True)

    def log(self, message: str) -> None:
        self._append_log(message)
        self._write({"log_lines": list(self._log)}, force=True)

    def flush(self) -> None:
        self._write({}, force=True)

    def _append_log(self, message: str) -> None:
        self._log.append(f"{_utc_stamp()} {message}")
        del self._log[:-MAX_LOG_LINES]

    def _write(self, fields: dict[str, Any], *, force: bool) -> None:
        self._pending.update(fields)
        now = time.monotonic()
        if not self._pending or (not force and now - self._last_write < WRITE_INTERVAL_SECONDS):
            return
        TrainingJob.objects.filter(pk=self.job_id).update(**self._pending, heartbeat_at=timezone.now())
        self._pending = {}
        self._last_write = now


class Heartbeat:
    """Touch the job's heartbeat every `interval` seconds from a background thread until stopped."""

    def __init__(self, *, job_id: int, interval: float) -> None:
        self.job_id = job_id
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-job-{job_id}", daemon=True)

    def __enter__(self) -> "Heartbeat":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=self.interval + 5)

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                TrainingJob.objects.filter(pk=self.job_id, status="running").update(
                    heartbeat_at=timezone.now()
                )
        except Exception:
            logger.exception("heartbeat of training job %s stopped", self.job_id)
        finally:
            # This thread has its own database connection; close it rather than leak it.
            connection.close()


def heartbeat_is_stale(job: TrainingJob, *, stale_after: timedelta) -> bool:
    return job.heartbeat_at is None or timezone.now() - job.heartbeat_at > stale_after
