"""The Kubernetes manifests agree with the code: the variables they set are ones Selko reads, the queues
KEDA watches are the ones workers consume, and the Redis list KEDA measures is the one the broker fills."""

import ast
import inspect
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import redis
import yaml
from django.conf import settings

from selko.celery import QUEUES
from selko.celery import app as celery_app
from selko.queueing import task_by_name
from tests.worker import purge_broker

REPO_ROOT = Path(__file__).resolve().parents[2]
MANIFESTS = REPO_ROOT / "docker" / "kubernetes"
SETTINGS_MODULES = ("selko/settings.py", "selko/settings_production.py")
ENV_READERS = {"env_str", "env_int", "env_bool", "env_choice", "env_list"}
# Read by libraries, not by Selko's settings: Django picks the settings module, boto3 the credentials.
LIBRARY_VARIABLES = {"DJANGO_SETTINGS_MODULE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}


def _documents() -> list[dict[str, Any]]:
    documents: list[dict[str, Any]] = []
    for path in sorted(MANIFESTS.glob("*.yaml")):
        documents.extend(doc for doc in yaml.safe_load_all(path.read_text()) if doc)
    return documents


def _of_kind(kind: str) -> list[dict[str, Any]]:
    return [doc for doc in _documents() if doc["kind"] == kind]


def _variables_settings_read() -> set[str]:
    names = set()
    for module in SETTINGS_MODULES:
        for node in ast.walk(ast.parse((REPO_ROOT / module).read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ENV_READERS
                and isinstance(node.args[0], ast.Constant)
            ):
                names.add(node.args[0].value)
    return names


def _containers(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return list(doc["spec"]["template"]["spec"]["containers"])


def _variables_set() -> dict[str, str]:
    """Every variable a pod gets, with where it comes from: ConfigMap and Secret keys and inline `env:`."""
    found = {}
    for doc in _of_kind("ConfigMap") + _of_kind("Secret"):
        consumed = any(
            ref.get("configMapRef", ref.get("secretRef", {})).get("name") == doc["metadata"]["name"]
            for workload in _of_kind("Deployment") + _of_kind("Job")
            for container in _containers(workload)
            for ref in container.get("envFrom", [])
        )
        if consumed:
            for key in {**doc.get("data", {}), **doc.get("stringData", {})}:
                found[key] = f"{doc['kind']} {doc['metadata']['name']}"
    for workload in _of_kind("Deployment") + _of_kind("Job"):
        for container in _containers(workload):
            for variable in container.get("env", []):
                found[variable["name"]] = f"{workload['kind']} {workload['metadata']['name']}"
    return found


def _worker_queues(deployment_name: str) -> set[str]:
    (deployment,) = [doc for doc in _of_kind("Deployment") if doc["metadata"]["name"] == deployment_name]
    (container,) = _containers(deployment)
    command = container["command"]
    return set(command[command.index("-Q") + 1].split(","))


def _task_queues() -> dict[str, str]:
    celery_app.loader.import_default_modules()
    return {name: task.queue for name, task in celery_app.tasks.items() if not name.startswith("celery.")}


def _redis_triggers() -> list[tuple[str, dict[str, str]]]:
    return [
        (scaled["spec"]["scaleTargetRef"]["name"], trigger["metadata"])
        for scaled in _of_kind("ScaledObject")
        for trigger in scaled["spec"]["triggers"]
        if trigger["type"] == "redis"
    ]


def test_every_variable_the_manifests_set_is_one_selko_reads() -> None:
    variables = _variables_set()
    unknown = {name: source for name, source in variables.items() if name not in _variables_settings_read()}

    assert {"DATABASE_URL", "CELERY_BROKER_URL", "SELKO_STORAGE", "SECRET_KEY"} <= set(variables)
    assert {name: source for name, source in unknown.items() if name not in LIBRARY_VARIABLES} == {}


def test_each_worker_deployment_is_scaled_on_the_queues_it_consumes() -> None:
    watched: dict[str, set[str]] = {}
    for target, metadata in _redis_triggers():
        assert metadata["listName"] in _worker_queues(target), (target, metadata["listName"])
        watched.setdefault(target, set()).add(metadata["listName"])

    assert watched == {"selko-worker-cpu": {"default", "ingest", "predict"}, "selko-worker-gpu": {"train"}}
    assert watched == {target: _worker_queues(target) for target in watched}


def test_every_task_goes_to_a_queue_that_a_scaled_worker_consumes() -> None:
    consumed = _worker_queues("selko-worker-cpu") | _worker_queues("selko-worker-gpu")

    assert set(_task_queues().values()) <= set(QUEUES)
    assert consumed == set(QUEUES)


def test_training_workers_scale_from_zero_and_finish_their_job_on_scale_in() -> None:
    (gpu,) = [doc for doc in _of_kind("ScaledObject") if doc["metadata"]["name"] == "selko-worker-gpu"]
    (deployment,) = [doc for doc in _of_kind("Deployment") if doc["metadata"]["name"] == "selko-worker-gpu"]

    assert gpu["spec"]["minReplicaCount"] == 0
    assert deployment["spec"]["replicas"] == 0
    # A scale-in's SIGTERM is a warm shutdown: the grace period must cover the longest training.
    (config,) = [doc for doc in _of_kind("ConfigMap") if doc["metadata"]["name"] == "selko-config"]
    grace = deployment["spec"]["template"]["spec"]["terminationGracePeriodSeconds"]
    assert grace >= int(config["data"]["CELERY_VISIBILITY_TIMEOUT_SECONDS"])


def test_keda_reads_the_redis_server_and_database_of_the_broker_url() -> None:
    (secret,) = [doc for doc in _of_kind("Secret") if doc["metadata"]["name"] == "selko-secrets"]
    broker = urlparse(secret["stringData"]["CELERY_BROKER_URL"])

    for _, metadata in _redis_triggers():
        assert metadata["address"] == f"{broker.hostname}:{broker.port}"
        assert metadata["databaseIndex"] == broker.path.lstrip("/")


def test_the_list_keda_measures_is_the_one_the_broker_fills(transactional_db: None) -> None:
    if not settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        pytest.skip(
            "needs the Redis broker (CELERY_BROKER_URL=redis://…): the filesystem broker has no lists"
        )
    # Given no worker and empty queues, and a plain Redis client as KEDA has
    purge_broker()
    broker = urlparse(settings.CELERY_BROKER_URL)
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    task_for_queue = {queue: name for name, queue in sorted(_task_queues().items())}
    try:
        for _, metadata in _redis_triggers():
            list_name = metadata["listName"]
            assert client.llen(list_name) == 0
            # When a task of that queue is queued the way services queue it
            task = task_by_name(task_for_queue[list_name])
            task.delay(*[0] * len(inspect.signature(task.run).parameters))
            # Then the list KEDA reads holds it, in the broker URL's database
            assert client.llen(list_name) == 1, (list_name, broker.path, sorted(client.keys()))
    finally:
        purge_broker()
