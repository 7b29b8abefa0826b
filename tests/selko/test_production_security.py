"""The production settings pass Django's deployment checks: HTTPS only, HSTS, secure cookies."""

import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SECRET = "k3y-" + "Zq9#xVb7!mP2" * 4


def _run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "selko.settings_production",
        "SELKO_VAR_DIR": str(tmp_path),
        "SECRET_KEY": SECRET,
        **env,
    }
    full_env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, *args], cwd=REPO_ROOT, env=full_env, capture_output=True, text=True, timeout=120
    )


def test_the_deploy_check_finds_no_security_issue(tmp_path: Path) -> None:
    result = _run(
        ["manage.py", "check", "--deploy", "--tag", "security", "--fail-level", "WARNING"], tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_plain_http_is_redirected_and_https_answers_carry_hsts(tmp_path: Path) -> None:
    code = (
        "import django; django.setup();"
        "from django.test import Client; from django.test.utils import setup_test_environment;"
        "setup_test_environment(); c = Client();"
        "r = c.get('/login/'); print(r.status_code, r['Location']);"
        "r = c.get('/healthz'); print(r.status_code);"
        "r = c.get('/healthz', secure=True); print(r['Strict-Transport-Security'])"
    )
    result = _run(["-c", code], tmp_path, ALLOWED_HOSTS="testserver")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "301 https://testserver/login/",
        "200",
        "max-age=31536000; includeSubDomains; preload",
    ]


def test_a_plain_http_trial_can_turn_https_off(tmp_path: Path) -> None:
    code = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS)"
    )
    result = _run(["-c", code], tmp_path, SELKO_SSL_REDIRECT="false", SELKO_HSTS_SECONDS="0")
    assert result.stdout.strip() == "False 0", result.stderr
