import os
import subprocess
import sys
from pathlib import Path

import pytest

from selko.env import (
    ImproperlyConfiguredEnv,
    broker_url_checked,
    database_from_url,
    env_bool,
    env_choice,
    env_email_backend,
    env_int,
)

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_env_int_rejects_a_malformed_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELKO_X", "12MB")
    with pytest.raises(ImproperlyConfiguredEnv, match=r"SELKO_X='12MB' is not an integer"):
        env_int("SELKO_X", 1)


def test_env_int_and_bool_read_good_values_and_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELKO_N", "42")
    monkeypatch.setenv("SELKO_B", "off")
    monkeypatch.delenv("SELKO_MISSING", raising=False)
    assert env_int("SELKO_N", 1) == 42
    assert env_bool("SELKO_B", True) is False
    assert env_int("SELKO_MISSING", 7) == 7


def test_env_bool_rejects_a_malformed_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELKO_B", "maybe")
    with pytest.raises(ImproperlyConfiguredEnv, match="is not a boolean"):
        env_bool("SELKO_B", False)


def test_env_choice_accepts_listed_values_and_names_the_choices_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    choices = ("auto", "torch", "onnx")
    assert env_choice("SELKO_RUNTIME_T", "auto", choices) == "auto"
    monkeypatch.setenv("SELKO_RUNTIME_T", " ONNX ")
    assert env_choice("SELKO_RUNTIME_T", "auto", choices) == "onnx"
    monkeypatch.setenv("SELKO_RUNTIME_T", "tensorrt")
    with pytest.raises(
        ImproperlyConfiguredEnv, match="SELKO_RUNTIME_T='tensorrt' is not one of auto, torch, onnx"
    ):
        env_choice("SELKO_RUNTIME_T", "auto", choices)


def test_the_email_backend_takes_a_short_name_or_a_class_path_and_refuses_anything_else(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("EMAIL_BACKEND_T", raising=False)
    assert env_email_backend("EMAIL_BACKEND_T", "console") == "django.core.mail.backends.console.EmailBackend"
    monkeypatch.setenv("EMAIL_BACKEND_T", "smtp")
    assert env_email_backend("EMAIL_BACKEND_T", "console") == "django.core.mail.backends.smtp.EmailBackend"
    monkeypatch.setenv("EMAIL_BACKEND_T", "anymail.backends.mailgun.EmailBackend")
    assert env_email_backend("EMAIL_BACKEND_T", "console") == "anymail.backends.mailgun.EmailBackend"
    monkeypatch.setenv("EMAIL_BACKEND_T", "smtp://mail.example.com")
    with pytest.raises(
        ImproperlyConfiguredEnv, match=r"EMAIL_BACKEND_T='smtp://mail\.example\.com' is not an e-mail"
    ):
        env_email_backend("EMAIL_BACKEND_T", "console")


def test_database_url_postgres_is_parsed(tmp_path: Path) -> None:
    db = database_from_url(
        "postgres://alice:s%40cret@db.example:5433/selko?sslmode=require", var_dir=tmp_path
    )
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "selko", "alice", "s@cret", "db.example", "5433",
    )  # fmt: skip
    assert db["OPTIONS"] == {"sslmode": "require"}


def test_database_url_sqlite_defaults_under_var_dir(tmp_path: Path) -> None:
    db = database_from_url("sqlite:///selko.sqlite3", var_dir=tmp_path)
    assert db["NAME"] == str(tmp_path / "selko.sqlite3")
    absolute = database_from_url("sqlite:////tmp/elsewhere.sqlite3", var_dir=tmp_path)
    assert absolute["NAME"] == "/tmp/elsewhere.sqlite3"


@pytest.mark.parametrize("url", ["mysql://root@localhost/db", "postgres://host/", "postgres://h:notaport/db"])
def test_database_url_refuses_unsupported_or_malformed(url: str, tmp_path: Path) -> None:
    with pytest.raises(ImproperlyConfiguredEnv, match="DATABASE_URL"):
        database_from_url(url, var_dir=tmp_path)


def test_broker_url_refuses_unknown_scheme() -> None:
    with pytest.raises(ImproperlyConfiguredEnv, match="CELERY_BROKER_URL='kafka://x' is not supported"):
        broker_url_checked("kafka://x")


def _manage_check(
    env: dict[str, str], settings_module: str = "selko.settings"
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings_module, **env}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=REPO_ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_startup_stops_with_a_clear_message_on_a_malformed_setting(tmp_path: Path) -> None:
    result = _manage_check({"SELKO_VAR_DIR": str(tmp_path), "SELKO_MAX_UPLOAD_BYTES": "lots"})
    assert result.returncode != 0
    assert "SELKO_MAX_UPLOAD_BYTES='lots' is not an integer" in result.stderr


def test_production_settings_require_a_secret_key(tmp_path: Path) -> None:
    env = {"SELKO_VAR_DIR": str(tmp_path), "SECRET_KEY": ""}
    result = _manage_check(env, "selko.settings_production")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_turn_debug_off_and_secure_cookies_on(tmp_path: Path) -> None:
    env = {
        "SELKO_VAR_DIR": str(tmp_path),
        "SECRET_KEY": "x" * 50,
        "DJANGO_SETTINGS_MODULE": "selko.settings_production",
    }
    code = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip() == "False True True", result.stderr
