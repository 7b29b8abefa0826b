"""Reads: a document's gist (documents.summaries) with, per document and per top-level section, how many
requirements carry each label (a person's "yes" or the active model's suggestion)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from documents.models import Document
from documents.summaries.selectors import DocumentGist, Gist, document_gist
from models_app.annotations.models import Annotation
from models_app.registry.models import Prediction
from models_app.registry.selectors import model_version_active
from models_app.taxonomy.selectors import taxonomy_get
from selko.tenancy.models import Project


@dataclass(frozen=True)
class LabelCount:
    label_id: int
    path: str
    requirements: int


@dataclass(frozen=True)
class TaggedGist:
    gist: Gist
    by_label: list[LabelCount]  # most requirements first


@dataclass(frozen=True)
class DocumentGistWithTags:
    document: TaggedGist
    sections: list[TaggedGist]
    model_version: int | None


def document_gist_with_tags(*, project: Project, document: Document) -> DocumentGistWithTags:
    gist: DocumentGist = document_gist(document=document)
    index = taxonomy_get(project=project)
    tagged: dict[int, set[int]] = defaultdict(set)  # label -> requirements
    for requirement_id, label_id in Annotation.objects.filter(
        project=project, requirement__document=document, value=True
    ).values_list("requirement_id", "label_id"):
        tagged[label_id].add(requirement_id)
    version = model_version_active(project=project)
    if version is not None:
        for requirement_id, label_id in Prediction.objects.filter(
            model_version=version, requirement__document=document, predicted=True
        ).values_list("requirement_id", "label_id"):
            tagged[label_id].add(requirement_id)

    def counts(section: str | None) -> list[LabelCount]:
        found = [
            LabelCount(
                label_id,
                index.path_display(label_id),
                sum(
                    1
                    for r in ids
                    if r in gist.section_of and (section is None or gist.section_of[r] == section)
                ),
            )
            for label_id, ids in tagged.items()
            if label_id in index
        ]
        return sorted((c for c in found if c.requirements), key=lambda c: (-c.requirements, c.path))

    return DocumentGistWithTags(
        document=TaggedGist(gist.document, counts(None)),
        sections=[TaggedGist(section, counts(section.section)) for section in gist.sections],
        model_version=version.number if version else None,
    )
