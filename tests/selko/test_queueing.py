"""Queueing by task name: each task goes to the queue it names, and only once the transaction commits."""

from collections.abc import Callable

import pytest

from selko.queueing import enqueue_after_commit, task_by_name


@pytest.mark.parametrize(
    ("name", "queue"),
    [
        ("documents.tasks.ingest_document", "ingest"),
        ("documents.tasks.document_findings", "ingest"),
        ("selko.tenancy.project_statistics_refresh", "default"),
        ("models_app.tasks.predict_project", "predict"),
        ("models_app.tasks.retag_project", "predict"),
        ("models_app.export_tasks.export_run", "default"),
        ("training.tasks.train", "train"),
    ],
)
def test_every_task_is_found_by_name_with_its_own_queue(name: str, queue: str) -> None:
    assert task_by_name(name).queue == queue


def test_a_task_is_sent_only_when_the_transaction_commits(
    db: None, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    sent: list[tuple[int, ...]] = []
    monkeypatch.setattr(
        task_by_name("models_app.tasks.retag_project"), "delay", lambda *ids: sent.append(ids)
    )

    with django_capture_on_commit_callbacks() as callbacks:  # type: ignore[operator]
        enqueue_after_commit("models_app.tasks.retag_project", 7)
        assert sent == []

    for callback in callbacks:  # type: ignore[attr-defined]
        callback()
    assert sent == [(7,)]


def test_an_unknown_task_name_is_an_error_at_once(db: None) -> None:
    with pytest.raises(KeyError):
        enqueue_after_commit("documents.tasks.no_such_task", 1)
