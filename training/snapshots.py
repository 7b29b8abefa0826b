"""Immutable, hashed dataset snapshots: the exact examples and label tree a training used."""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from models_app.annotations.models import Annotation
from models_app.annotations.selectors import annotation_examples_for_training
from models_app.taxonomy.models import Label
from selko.tenancy.models import Project
from training.ml.examples import Example
from training.ml.labels import LabelTree
from training.ml.meanings import LabelMeaning
from training.models import DatasetSnapshot


@dataclass(frozen=True)
class SnapshotContent:
    # [{"id", "parent", "name", "description", "examples"}] in a stable order
    labels: list[dict[str, Any]]
    examples: list[dict[str, Any]]  # [{"requirement_id", "text", "positives", "negatives"}]
    annotation_count: int

    def canonical_bytes(self) -> bytes:
        body = {"format": 1, "labels": self.labels, "examples": self.examples}
        return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()

    def sha256(self) -> str:
        return hashlib.sha256(self.canonical_bytes()).hexdigest()

    def label_counts(self) -> dict[str, int]:
        """Positive examples per label, counting a child's positives for its ancestors too."""
        tree = self.tree()
        counts = dict.fromkeys(tree.keys, 0)
        for example in self.examples:
            for key in tree.with_ancestors(example["positives"]):
                counts[key] += 1
        return counts

    def tree(self) -> LabelTree:
        """Keys are label ids; names are kept, as the meaning texts read the labels' paths."""
        return LabelTree(
            parents={label["id"]: label["parent"] for label in self.labels},
            names={label["id"]: label["name"] for label in self.labels},
        )

    def meanings(self) -> dict[str, LabelMeaning]:
        """Each label's description and example phrases (snapshots taken before labels had them: none)."""
        return {
            label["id"]: LabelMeaning(
                description=label.get("description") or "", examples=tuple(label.get("examples") or ())
            )
            for label in self.labels
        }

    def ml_examples(self) -> list[Example]:
        return [
            Example(text=e["text"], positives=frozenset(e["positives"]), negatives=frozenset(e["negatives"]))
            for e in self.examples
        ]


def snapshot_content_collect(*, project: Project) -> SnapshotContent:
    """Read the project's current labels and answers. Requirements with no answer at all are left out."""
    labels = [
        {
            "id": str(pk),
            "parent": str(parent) if parent else None,
            "name": name,
            "description": description,
            "examples": list(examples or []),
        }
        for pk, parent, name, description, examples in Label.objects.filter(project=project)
        .order_by("pk")
        .values_list("pk", "parent", "name", "description", "examples")
    ]
    examples = [
        {
            "requirement_id": example.requirement_id,
            "text": example.text,
            "positives": [str(pk) for pk in example.positive_label_ids],
            "negatives": [str(pk) for pk in example.negative_label_ids],
        }
        for example in annotation_examples_for_training(project=project)
    ]
    annotation_count = Annotation.objects.filter(project=project).count()
    return SnapshotContent(labels=labels, examples=examples, annotation_count=annotation_count)


def dataset_snapshot_store(*, project: Project, content: SnapshotContent) -> DatasetSnapshot:
    """Store the snapshot once per content hash; a second call with the same content returns the first."""
    sha = content.sha256()
    existing = DatasetSnapshot.objects.filter(project=project, sha256=sha).first()
    if existing is not None:
        return existing
    path = f"snapshots/project-{project.pk}/{sha}.json"
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(content.canonical_bytes()))
    try:
        with transaction.atomic():
            return DatasetSnapshot.objects.create(
                project=project,
                sha256=sha,
                storage_path=path,
                example_count=len(content.examples),
                annotation_count=content.annotation_count,
                label_counts=content.label_counts(),
            )
    except IntegrityError:
        return DatasetSnapshot.objects.get(project=project, sha256=sha)


def dataset_snapshot_load(*, snapshot: DatasetSnapshot) -> SnapshotContent:
    with default_storage.open(snapshot.storage_path, "rb") as handle:
        raw = handle.read()
    if hashlib.sha256(raw).hexdigest() != snapshot.sha256:
        raise ValueError(
            f"Dataset snapshot {snapshot.sha256[:12]} was altered in storage; retrain to make a new one."
        )
    body = json.loads(raw)
    annotation_count = snapshot.annotation_count
    return SnapshotContent(
        labels=body["labels"], examples=body["examples"], annotation_count=annotation_count
    )
