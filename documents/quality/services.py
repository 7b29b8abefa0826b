"""Writes of quality findings: check a document's requirements, recheck what an older rules version left."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from documents.models import Document, Requirement
from documents.quality.models import QualityFinding, RequirementQuality
from documents.quality.rules import RULES_VERSION, QualityConfig, quality_score, requirement_check
from documents.services.touch import requirements_touch

BATCH_SIZE = 1000


def document_quality_check(*, document_id: int, config: QualityConfig | None = None) -> int:
    """Replace the findings and scores of a document's requirements; returns how many were checked.

    Runs inside the ingest's transaction (the requirements and their findings appear together) and on its
    own from `quality_recheck`. Informative text is not checked: its wording is not a requirement's.
    """
    config = config or QualityConfig()
    rows = Requirement.objects.filter(document_id=document_id, is_requirement=True).values_list(
        "pk", "project_id", "text"
    )
    with transaction.atomic():
        QualityFinding.objects.filter(requirement__document_id=document_id).delete()
        RequirementQuality.objects.filter(requirement__document_id=document_id).delete()
        # Every row of the document: an ingest (which calls this) may have changed any of them.
        requirements_touch(requirements=Requirement.objects.filter(document_id=document_id))
        return _quality_write(rows.iterator(chunk_size=BATCH_SIZE), config=config)


def _quality_write(rows: Iterable[tuple[int, int, str]], *, config: QualityConfig) -> int:
    scores: list[RequirementQuality] = []
    findings: list[QualityFinding] = []
    checked = 0
    for requirement_id, project_id, text in rows:
        found = requirement_check(text, config=config)
        scores.append(
            RequirementQuality(
                requirement_id=requirement_id,
                project_id=project_id,
                score=quality_score(found),
                finding_count=len(found),
                rules_version=RULES_VERSION,
            )
        )
        findings.extend(
            QualityFinding(
                project_id=project_id,
                requirement_id=requirement_id,
                rule=finding.rule,
                severity=str(finding.severity),
                start=finding.start,
                end=finding.end,
            )
            for finding in found
        )
        checked += 1
        if len(scores) >= BATCH_SIZE:
            _flush(scores, findings)
    _flush(scores, findings)
    return checked


def _flush(scores: list[RequirementQuality], findings: list[QualityFinding]) -> None:
    RequirementQuality.objects.bulk_create(scores, batch_size=BATCH_SIZE)
    QualityFinding.objects.bulk_create(findings, batch_size=BATCH_SIZE)
    scores.clear()
    findings.clear()


def quality_recheck(*, project_id: int | None = None, everything: bool = False) -> int:
    """Recheck the documents whose requirements were checked with an older rules version (or never);
    `everything` rechecks all. Returns how many requirements were checked. Idempotent, one document per
    transaction, so an interrupted run resumes where it stopped."""
    stale = Requirement.objects.filter(document=OuterRef("pk"), is_requirement=True).filter(
        Q(quality__isnull=True) | ~Q(quality__rules_version=RULES_VERSION)
    )
    documents = (
        Document.objects.all() if project_id is None else Document.objects.filter(project_id=project_id)
    )
    if not everything:
        documents = documents.filter(Exists(stale))
    return sum(
        document_quality_check(document_id=document_id)
        for document_id in documents.order_by("pk").values_list("pk", flat=True)
    )
