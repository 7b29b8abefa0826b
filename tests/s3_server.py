"""An S3-compatible server on loopback (moto's standalone server) in its own process, for storage tests."""

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

REGION = "us-east-1"
# moto accepts any credentials; these only have to be present for the S3 clients to sign requests.
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "selko-test", "AWS_SECRET_ACCESS_KEY": "selko-test-secret"}


@dataclass(frozen=True)
class S3Server:
    endpoint_url: str
    bucket: str
    log_path: Path

    def environment(self) -> dict[str, str]:
        """The variables that point a Selko process (web or worker) at this bucket."""
        return {
            "SELKO_STORAGE": "s3",
            "SELKO_S3_ENDPOINT_URL": self.endpoint_url,
            "SELKO_S3_BUCKET": self.bucket,
            "SELKO_S3_REGION": REGION,
            **CREDENTIALS,
        }

    def storages_setting(self) -> dict[str, object]:
        """Django's STORAGES as the settings build them from `environment()`."""
        return {
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": self.bucket,
                    "endpoint_url": self.endpoint_url,
                    "region_name": REGION,
                    "default_acl": None,
                    "file_overwrite": False,
                },
            },
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }

    def keys(self) -> list[str]:
        keys: list[str] = []
        for page in _client(self.endpoint_url).get_paginator("list_objects_v2").paginate(Bucket=self.bucket):
            keys.extend(item["Key"] for item in page.get("Contents", []))
        return sorted(keys)


def _client(endpoint_url: str) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        region_name=REGION,
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def s3_server_running(*, log_dir: Path, bucket: str = "selko-test") -> Iterator[S3Server]:
    """Start `moto_server` on a free loopback port, create the bucket, and stop the server afterwards."""
    port = _free_port()
    log_path = log_dir / "moto-server.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"moto_server did not start:\n{log_path.read_text(errors='replace')}")
            time.sleep(0.2)
        server = S3Server(endpoint_url=f"http://127.0.0.1:{port}", bucket=bucket, log_path=log_path)
        _client(server.endpoint_url).create_bucket(Bucket=bucket)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
