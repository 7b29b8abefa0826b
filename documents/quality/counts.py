"""A document's quality counted once, when its findings change (the quality check, a correction):
how many requirements were checked and their average score, how many have each rule's finding in the
document and in each top-level section, the average of each section, and the requirements with the
most findings. Stored in `DocumentQualityCounts`; the document's page and gist read that row."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Avg, Count, F, Sum

from documents.models import Document
from documents.quality.models import DocumentQualityCounts, QualityFinding, RequirementQuality
from documents.summaries.counts import top_section
from documents.summaries.services import NO_SECTION

MOST_FINDINGS = 5


def quality_counts_compute(*, document_id: int) -> dict[str, Any]:
    qualities = RequirementQuality.objects.filter(requirement__document_id=document_id)
    findings = QualityFinding.objects.filter(requirement__document_id=document_id)
    overall = qualities.aggregate(average=Avg("score"), checked=Count("pk"), findings=Sum("finding_count"))
    by_section_rule: dict[str, dict[str, int]] = defaultdict(dict)
    for section, rule, count in (
        findings.filter(requirement__is_requirement=True)
        .values(section=top_section("requirement__"), finding_rule=F("rule"))
        .annotate(n=Count("requirement", distinct=True))
        .values_list("section", "finding_rule", "n")
    ):
        by_section_rule[section][rule] = count
    leaders: dict[str, list[list[int]]] = defaultdict(list)
    for requirement_id, count, section in (
        qualities.filter(finding_count__gt=0)
        .order_by("-finding_count", "requirement__order")
        .values_list("requirement_id", "finding_count", top_section("requirement__"))
    ):
        for key in {NO_SECTION, section}:
            if len(leaders[key]) < MOST_FINDINGS:
                leaders[key].append([requirement_id, count])
    return {
        "checked": overall["checked"],
        "average": overall["average"],
        "findings": overall["findings"] or 0,
        "by_rule": dict(
            findings.values("rule").annotate(n=Count("requirement", distinct=True)).values_list("rule", "n")
        ),
        "by_section_rule": dict(by_section_rule),
        "sections": [
            list(row)
            for row in qualities.values_list("requirement__section_key")
            .annotate(average=Avg("score"), n=Count("pk"))
            .order_by("requirement__section_key")
        ],
        "leaders": dict(leaders),
    }


def document_quality_counts_refresh(*, document_id: int) -> None:
    """Store the counts as the findings are now; in the transaction that changed them."""
    DocumentQualityCounts.objects.update_or_create(
        document_id=document_id, defaults={"counts": quality_counts_compute(document_id=document_id)}
    )


def document_quality_counts_stored(*, document: Document) -> dict[str, Any] | None:
    """None for a document checked before the counts were stored: its readers group the rows. Read
    with the document when it was selected with them (documents.selectors.document_get)."""
    try:
        return document.quality_counts.counts
    except DocumentQualityCounts.DoesNotExist:
        return None
