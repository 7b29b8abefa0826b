"""Login lockout: per account and per address, on /login/, /admin/login/ and API tokens, and it expires."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.test import APIClient

from selko.accounts.models import ApiToken
from selko.accounts.services import api_token_create
from selko.tenancy.models import Project
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

REPO_ROOT = Path(__file__).resolve().parents[2]
LIMIT = 5  # SELKO_LOGIN_FAILURE_LIMIT's default


def _login(username: str, password: str, *, address: str = "203.0.113.7", path: str = "/login/") -> Any:
    return Client(REMOTE_ADDR=address).post(path, {"username": username, "password": password})


def _logged_in(response: Any) -> bool:
    return "_auth_user_id" in response.client.session


def test_wrong_passwords_lock_the_account_and_then_the_right_one_is_refused_too() -> None:
    # given an account
    user = UserFactory()
    # when someone tries wrong passwords up to the limit
    answers = [_login(user.username, f"guess {n}").status_code for n in range(LIMIT)]
    # then the failures before the limit re-show the form, the last one locks the account out
    assert answers == [200] * (LIMIT - 1) + [429]
    refused = _login(user.username, PASSWORD)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "900"
    assert b"Too many failed logins" in refused.content
    assert not _logged_in(refused)


def test_the_lockout_is_per_account_whatever_the_address() -> None:
    # given an account attacked from as many addresses as the limit
    alice, bob = UserFactory(), UserFactory()
    for n in range(LIMIT):
        _login(alice.username, "wrong", address=f"198.51.100.{n}")
    # when alice and bob log in from a fresh address
    alice_answer = _login(alice.username, PASSWORD, address="192.0.2.200")
    bob_answer = _login(bob.username, PASSWORD, address="192.0.2.200")
    # then alice's account is locked, bob's is not
    assert alice_answer.status_code == 429
    assert not _logged_in(alice_answer)
    assert bob_answer.status_code == 302
    assert _logged_in(bob_answer)


def test_the_lockout_is_per_address_whatever_the_account() -> None:
    # given an address that tried one wrong password for each of many usernames (existing or not)
    user = UserFactory()
    for n in range(LIMIT):
        _login(f"someone{n}", "wrong", address="203.0.113.9")
    # when the real user logs in from that address, and from another one
    from_attacker = _login(user.username, PASSWORD, address="203.0.113.9")
    from_elsewhere = _login(user.username, PASSWORD, address="203.0.113.10")
    # then only the attacking address is refused
    assert from_attacker.status_code == 429
    assert from_elsewhere.status_code == 302


def test_behind_a_trusted_proxy_each_client_address_counts_alone(settings: Any) -> None:
    # given one proxy in front, so every request comes from the proxy's address
    settings.SELKO_TRUSTED_PROXY_COUNT = 1
    user = UserFactory()

    def via_proxy(username: str, password: str, client_address: str) -> Any:
        return Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=client_address).post(
            "/login/", {"username": username, "password": password}
        )

    # when one client tries many usernames, claiming a made-up address left of the proxy's entry
    for n in range(LIMIT):
        via_proxy(f"someone{n}", "wrong", f"192.0.2.{n}, 203.0.113.66")
    # then that client is locked out, whatever it claims, and another client behind the same proxy is not
    assert via_proxy(user.username, PASSWORD, "192.0.2.99, 203.0.113.66").status_code == 429
    assert via_proxy(user.username, PASSWORD, "203.0.113.67").status_code == 302


def test_the_lockout_expires(settings: Any) -> None:
    # given a short lockout and an account locked out by wrong passwords
    settings.AXES_COOLOFF_TIME = timedelta(seconds=2)
    user = UserFactory()
    for n in range(LIMIT):
        _login(user.username, f"guess {n}")
    assert _login(user.username, PASSWORD).status_code == 429
    # when the lockout time has passed
    time.sleep(2.2)
    answer = _login(user.username, PASSWORD)
    # then the right password is accepted again
    assert answer.status_code == 302
    assert _logged_in(answer)


def test_the_admin_login_is_locked_out_too() -> None:
    # given a superuser whose admin login is attacked
    admin = User.objects.create_superuser("root", "root@example.com", PASSWORD)
    answers = [_login("root", "wrong", path="/admin/login/").status_code for _ in range(LIMIT)]
    # when the right password comes next
    refused = _login("root", PASSWORD, path="/admin/login/")
    # then it is refused
    assert answers == [200] * (LIMIT - 1) + [429]
    assert refused.status_code == 429
    assert not _logged_in(refused)
    assert admin.last_login is None


def test_bad_api_tokens_lock_out_the_address_and_nothing_is_written(project: Project, editor: Any) -> None:
    # given a valid token, and an address that tried invalid ones up to the limit
    key = api_token_create(user=editor, name="script").key
    attacker = APIClient(REMOTE_ADDR="203.0.113.50")
    failures = [
        attacker.get("/api/v1/projects/", HTTP_AUTHORIZATION=f"Bearer selko_guess{n}_x").status_code
        for n in range(LIMIT)
    ]
    tokens_before = ApiToken.objects.count()
    # when that address uses the valid token, to read and to write
    read = attacker.get("/api/v1/projects/", HTTP_AUTHORIZATION=f"Bearer {key}")
    write = attacker.post("/api/v1/tokens/", {"name": "more"}, HTTP_AUTHORIZATION=f"Bearer {key}")
    # then both are refused with the error shape and Retry-After; another address is unaffected
    assert failures == [401] * (LIMIT - 1) + [429]
    assert read.status_code == 429
    assert read["Retry-After"] == "900"
    assert read.json()["error"]["code"] == "throttled"
    assert read.json()["error"]["message"].startswith(
        "Too many failed authentication attempts from this address."
    )
    assert write.status_code == 429
    assert ApiToken.objects.count() == tokens_before
    elsewhere = APIClient(REMOTE_ADDR="203.0.113.51")
    assert elsewhere.get("/api/v1/projects/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200


def test_bad_tokens_from_many_addresses_do_not_lock_out_tokens_everywhere(editor: Any) -> None:
    # given one bad token from each of many addresses (none of them reaches the limit)
    key = api_token_create(user=editor, name="script").key
    for n in range(LIMIT + 2):
        APIClient(REMOTE_ADDR=f"198.51.100.{n}").get("/api/v1/projects/", HTTP_AUTHORIZATION="Bearer bad")
    # when a fresh address uses a valid token
    answer = APIClient(REMOTE_ADDR="192.0.2.1").get("/api/v1/projects/", HTTP_AUTHORIZATION=f"Bearer {key}")
    # then it is accepted: a token failure names no account, so it counts against its address only
    assert answer.status_code == 200


def test_the_limit_and_the_lockout_time_come_from_the_environment(tmp_path: Path) -> None:
    code = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.AXES_FAILURE_LIMIT, int(s.AXES_COOLOFF_TIME.total_seconds()))"
    )
    env = {
        "SELKO_VAR_DIR": str(tmp_path),
        "SELKO_LOGIN_FAILURE_LIMIT": "3",
        "SELKO_LOGIN_LOCKOUT_SECONDS": "60",
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "selko.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip() == "3 60", result.stderr


def test_a_malformed_limit_stops_start_up(tmp_path: Path) -> None:
    env = {"SELKO_VAR_DIR": str(tmp_path), "SELKO_LOGIN_FAILURE_LIMIT": "0"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=REPO_ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "selko.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SELKO_LOGIN_FAILURE_LIMIT='0' must be at least 1" in result.stderr
