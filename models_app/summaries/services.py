"""Writes of the stored tag counts (models_app.summaries.models): stored again after tagging, dropped
while tagging writes, adjusted by people's answers in the answers' own transaction.

Every writer holds the project lock (answers already do), so an adjustment never lands between a
recount's read and its write and is then lost."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from documents.models import Document, Requirement
from documents.summaries.counts import top_section_of
from documents.summaries.models import DocumentCounts
from models_app.registry.models import Prediction
from models_app.registry.selectors import model_version_active
from models_app.summaries.models import DocumentTagCounts
from models_app.summaries.selectors import tag_counts_compute
from selko.tenancy.locks import project_lock
from selko.tenancy.models import Project

# (requirement id, label id, old answer, new answer), as answers_write reports them.
AnswerChange = tuple[int, int, bool | None, bool | None]


def _as_json(counts: Counter[tuple[int, str]]) -> dict[str, dict[str, int]]:
    stored: dict[str, dict[str, int]] = defaultdict(dict)
    for (label_id, section), count in sorted(counts.items()):
        if count:
            stored[section][str(label_id)] = count
    return dict(stored)


def project_tag_counts_refresh(*, project_id: int) -> int:
    """Count and store the tags of every document of the project as they are now. Call inside a
    transaction; returns how many documents were counted."""
    project = Project.objects.get(pk=project_id)
    project_lock(project=project)
    version = model_version_active(project=project)
    generations = dict(
        DocumentCounts.objects.filter(document__project=project).values_list("document_id", "generation")
    )
    documents = list(Document.objects.filter(project=project))
    for document in documents:
        counts = tag_counts_compute(project=project, document=document, version=version)
        DocumentTagCounts.objects.update_or_create(
            document=document,
            defaults={
                "model_version_id": version.pk if version is not None else None,
                "generation": generations.get(document.pk, 0),
                "counts": _as_json(counts),
            },
        )
    return len(documents)


def tag_counts_drop(*, project_id: int, model_version_id: int) -> None:
    """The version's suggestions are being rewritten: its counts are no longer known."""
    DocumentTagCounts.objects.filter(
        document__project_id=project_id, model_version_id=model_version_id
    ).delete()


def tag_counts_answers_apply(*, project: Project, changes: Sequence[AnswerChange]) -> None:
    """Adjust the stored counts for answers just written (inside their transaction, under the project
    lock). A requirement counts for a label when a person said yes or the active model suggests it, so
    only a yes that appears or disappears where the model does not suggest the label changes a count."""
    flips = {
        (requirement_id, label_id): 1 if new is True else -1
        for requirement_id, label_id, old, new in changes
        if (old is True) != (new is True)
    }
    if not flips:
        return
    where = {
        pk: (document_id, top_section_of(path))
        for pk, document_id, path in Requirement.objects.filter(
            pk__in={key[0] for key in flips}, is_requirement=True
        ).values_list("pk", "document_id", "section_path")
    }
    version = model_version_active(project=project)
    stored = {
        row.document_id: row
        for row in DocumentTagCounts.objects.select_for_update().filter(
            document_id__in={document_id for document_id, _ in where.values()},
            model_version_id=version.pk if version is not None else None,
        )
    }
    if not stored:
        return  # nothing stored for this version: readers count live until the next recount
    suggested: set[tuple[int, int]] = set()
    if version is not None:
        suggested = set(
            Prediction.objects.filter(
                model_version=version,
                predicted=True,
                requirement_id__in=list(where),
                label_id__in={key[1] for key in flips},
            ).values_list("requirement_id", "label_id")
        )
    for (requirement_id, label_id), sign in flips.items():
        if requirement_id not in where or (requirement_id, label_id) in suggested:
            continue
        document_id, section = where[requirement_id]
        row = stored.get(document_id)
        if row is None:
            continue
        by_label = row.counts.setdefault(section, {})
        count = by_label.get(str(label_id), 0) + sign
        if count:
            by_label[str(label_id)] = count
        else:
            by_label.pop(str(label_id), None)
    for row in stored.values():
        row.counts = {section: by_label for section, by_label in row.counts.items() if by_label}
        row.save(update_fields=["counts", "computed_at"])
