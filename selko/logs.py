"""What a log line is about (the task, its job, project, document, model version), and the JSON format.

With `SELKO_LOG_FORMAT=json` every process (web, worker) writes one JSON object per line and per event,
which log collectors (Loki, Elasticsearch, CloudWatch) index without parsing rules. The context lives in a
contextvar: a worker fills it from the task's arguments when a task starts (`selko/workers/task_logging.py`),
a web request from its URL (`LogContextMiddleware`), and code that learns more on the way adds to it with
`log_context_bind`. `LogContextFilter`, on the handler, copies it onto every record that passes, so any
plain `logger.info(...)` anywhere (Celery's and Django's included) carries it; the plain format ignores it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from pythonjsonlogger.json import JsonFormatter

# The ids a context may carry, as they appear in a JSON line. Task arguments and URL parameters with
# these names are taken as they are.
CONTEXT_FIELDS = (
    "task",
    "task_id",
    "job_id",
    "project_id",
    "project",
    "document_id",
    "revision_id",
    "model_version_id",
    "model_version",
    "export_id",
    "requirement_id",
    "http_method",
    "path",
)

_context: ContextVar[dict[str, Any] | None] = ContextVar("selko_log_context", default=None)


def log_context_current() -> dict[str, Any]:
    return dict(_context.get() or {})


def log_context_bind(**fields: Any) -> None:
    """Add to the current context until it is cleared (the end of the task or request)."""
    _context.set({**(_context.get() or {}), **{k: v for k, v in fields.items() if v is not None}})


def log_context_clear() -> None:
    _context.set(None)


@contextmanager
def log_context(**fields: Any) -> Iterator[None]:
    """Add to the context for the duration of a block."""
    token = _context.set({**(_context.get() or {}), **{k: v for k, v in fields.items() if v is not None}})
    try:
        yield
    finally:
        _context.reset(token)


class LogContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        for name, value in (_context.get() or {}).items():
            # What the call itself passed in `extra=` wins over the surrounding context.
            if not hasattr(record, name):
                setattr(record, name, value)
        return True


def json_formatter() -> JsonFormatter:
    """`{"time": ..., "level": ..., "logger": ..., "message": ..., <context>, <extra>}`; an exception's
    traceback goes in `exc_info` of the same line, never on lines of its own."""
    return JsonFormatter(
        # The pid: a prefork worker's processes write to one stream.
        ["asctime", "levelname", "name", "message", "process"],
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger", "process": "pid"},
        json_ensure_ascii=False,
    )
