"""README command (a): it sets up, serves the login page, and the demo login works."""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


# A shell started in the background (as CI may run this suite) passes SIGINT on as ignored, and an
# ignored SIGINT cannot be trapped by the script: Ctrl-C from a terminal always arrives with the default
# disposition, so the command is started with it restored.
_AS_FROM_A_TERMINAL = [
    sys.executable,
    "-c",
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
    "os.execvp(sys.argv[1], sys.argv[1:])",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_start_command_serves_selko_and_the_demo_login_works(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "CELERY_BROKER_URL")
    } | {"SELKO_PORT": str(port), "SELKO_VAR_DIR": str(tmp_path / "var"), "SELKO_WORKER_CONCURRENCY": "1"}
    log_path = tmp_path / "start.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*_AS_FROM_A_TERMINAL, "make", "start"],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            assert process.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.5)

        output = log_path.read_text()
        assert f"Selko is running at http://127.0.0.1:{port}/" in output
        assert "Log in as: demo / selko-demo" in output

        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        login_page = opener.open(f"{base}/login/").read().decode()
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page)
        assert csrf is not None
        form = urllib.parse.urlencode(
            {"username": "demo", "password": "selko-demo", "csrfmiddlewaretoken": csrf.group(1)}
        ).encode()
        request = urllib.request.Request(f"{base}/login/", data=form, headers={"Referer": f"{base}/login/"})
        projects_page = opener.open(request).read().decode()
        assert "Demo flight software" in projects_page
        documents_page = opener.open(f"{base}/p/demo-flight-software/documents/").read().decode()
        assert "nasa_cfs_requirements.csv" in documents_page
        assert "Parsed" in documents_page
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=30)
    # Ctrl-C stops both the web server and the worker: nothing of the process group is left.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.5)
    pytest.fail("the web server or the worker was still running 30 s after Ctrl-C")
