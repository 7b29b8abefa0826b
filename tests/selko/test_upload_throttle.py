"""Uploads are rate-limited per user; reading the documents list is not."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from documents.models import Document
from selko.api.throttling import ScopedWriteRateThrottle
from selko.env import ImproperlyConfiguredEnv, cache_from_url, env_rate
from selko.tenancy.models import Project, Role

pytestmark = pytest.mark.django_db

CSV = b"id,text\nR1,The system shall log every login.\n"


def _upload(client: APIClient, project: Project, name: str) -> Any:
    return client.post(
        f"/api/v1/projects/{project.slug}/documents/",
        {"file": SimpleUploadedFile(name, CSV)},
        format="multipart",
    )


def _as(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_uploads_beyond_the_rate_are_refused_and_store_nothing(
    project: Project, member_of: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a rate of 2 uploads an hour, and an editor who used them up
    monkeypatch.setattr(ScopedWriteRateThrottle, "THROTTLE_RATES", {"uploads": "2/hour"})
    editor, colleague = member_of(project, Role.EDITOR), member_of(project, Role.EDITOR)
    client = _as(editor)
    accepted = [_upload(client, project, f"spec{n}.csv").status_code for n in range(2)]
    # when the editor uploads again, lists the documents, and a colleague uploads
    refused = _upload(client, project, "spec3.csv")
    listed = client.get(f"/api/v1/projects/{project.slug}/documents/")
    colleague_upload = _upload(_as(colleague), project, "theirs.csv")
    # then only the editor's third upload is refused, with the error shape and Retry-After
    assert accepted == [201, 201]
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "throttled"
    assert int(refused["Retry-After"]) > 0
    assert listed.status_code == 200
    assert colleague_upload.status_code == 201
    assert sorted(Document.objects.filter(project=project).values_list("name", flat=True)) == [
        "spec0.csv",
        "spec1.csv",
        "theirs.csv",
    ]


def test_a_malformed_upload_rate_stops_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELKO_UPLOAD_RATE", "lots")
    with pytest.raises(ImproperlyConfiguredEnv, match="SELKO_UPLOAD_RATE='lots' is not a rate like 60/hour"):
        env_rate("SELKO_UPLOAD_RATE", "60/hour")


def test_a_rate_limit_cache_is_read_from_its_url() -> None:
    assert cache_from_url("redis://cache:6379/1") == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache:6379/1",
    }
    with pytest.raises(ImproperlyConfiguredEnv, match="SELKO_CACHE_URL='memcached://x' is not supported"):
        cache_from_url("memcached://x")
