"""Typed readers for environment variables.

Every setting comes from the environment with an embedded default. A malformed value stops start-up
with a message naming the variable, instead of silently falling back to the default.
"""

import os
import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse


class ImproperlyConfiguredEnv(Exception):
    """Raised for an environment variable whose value cannot be used."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfiguredEnv(f"{name}={raw!r} is not an integer") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfiguredEnv(f"{name}={raw!r} must be at least {minimum}")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfiguredEnv(f"{name}={raw!r} is not a boolean (use true/false, 1/0, yes/no, on/off)")


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value not in choices:
        raise ImproperlyConfiguredEnv(f"{name}={raw!r} is not one of {', '.join(choices)}")
    return value


_RATE = re.compile(r"^\d+/(s|sec|second|m|min|minute|h|hour|d|day)$")


def env_rate(name: str, default: str) -> str:
    """A DRF throttle rate such as `60/hour`; DRF itself would only fail on the first throttled request."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip()
    if not _RATE.match(value):
        raise ImproperlyConfiguredEnv(
            f"{name}={raw!r} is not a rate like 60/hour (per second, minute, hour, day)"
        )
    return value


def cache_from_url(url: str) -> dict[str, object]:
    """`locmem://` (one process) or `redis://host:6379/1` (shared by every web process)."""
    scheme = urlparse(url).scheme
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if scheme in ("redis", "rediss"):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise ImproperlyConfiguredEnv(
        f"SELKO_CACHE_URL={url!r} is not supported: use locmem:// or redis://host:6379/1"
    )


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}
_DOTTED_PATH = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)+$")


def env_email_backend(name: str, default: str) -> str:
    """One of the short names above, or the dotted path of any e-mail backend class."""
    raw = os.environ.get(name)
    value = default if raw is None or raw.strip() == "" else raw.strip()
    if value in EMAIL_BACKENDS:
        return EMAIL_BACKENDS[value]
    if _DOTTED_PATH.match(value):
        return value
    raise ImproperlyConfiguredEnv(
        f"{name}={raw!r} is not an e-mail backend: use {', '.join(EMAIL_BACKENDS)} or a dotted class path"
    )


# How long a SQLite writer waits for another writer before the request answers 503 "busy, retry".
SQLITE_BUSY_TIMEOUT_SECONDS = 30


def database_from_url(url: str, *, var_dir: Path) -> dict[str, object]:
    """Turn `sqlite:///path`, `sqlite://` or `postgres://user:pass@host:port/name` into a DATABASES entry."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path.lstrip("/")) if parsed.path not in ("", "/") else ""
        name = Path("/" + path) if url.startswith("sqlite:////") else var_dir / (path or "selko.sqlite3")
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(name),
            # Several web requests and the worker write at once. WAL lets readers go on while one writes;
            # IMMEDIATE takes the write lock when a transaction starts, so a transaction that read first
            # never has to upgrade its lock mid-way, which SQLite refuses at once without waiting out the
            # busy timeout ("database is locked"). Writers queue for up to `timeout` seconds instead.
            # With WAL, synchronous=NORMAL syncs the disk at checkpoints instead of at every commit: a power
            # cut may lose the last commits but never corrupts the file (the SQLite manual's advice for WAL).
            "OPTIONS": {
                "timeout": SQLITE_BUSY_TIMEOUT_SECONDS,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # A file-backed test database lets a real Celery worker process see the test's rows.
            "TEST": {"NAME": str(name.with_name(name.stem + "-test.sqlite3"))},
        }
    if parsed.scheme in ("postgres", "postgresql", "pgsql"):
        db_name = unquote(parsed.path.lstrip("/"))
        if not db_name:
            raise ImproperlyConfiguredEnv(f"DATABASE_URL={url!r} names no database (postgres://host/NAME)")
        try:
            port = parsed.port
        except ValueError:
            raise ImproperlyConfiguredEnv(f"DATABASE_URL={url!r} has a malformed port") from None
        options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": db_name,
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(port or ""),
            "CONN_MAX_AGE": 60,
            "OPTIONS": options,
        }
    raise ImproperlyConfiguredEnv(
        f"DATABASE_URL={url!r} is not supported: use sqlite:///relative/path.sqlite3 or postgres://user@host/db"
    )


def broker_url_checked(url: str) -> str:
    scheme = urlparse(url).scheme
    if scheme not in ("filesystem", "redis", "rediss", "memory", "amqp"):
        raise ImproperlyConfiguredEnv(
            f"CELERY_BROKER_URL={url!r} is not supported: use redis://host:6379/0 (or leave it unset for the "
            "embedded filesystem broker)"
        )
    return url
