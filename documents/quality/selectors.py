"""Reads of quality findings: a requirement's findings with their rule's words, and summaries."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Avg, Count, QuerySet

from documents.models import Document, Requirement
from documents.quality.models import QualityFinding, RequirementQuality
from documents.quality.rules import RULES


@dataclass(frozen=True)
class FindingView:
    rule: str
    title: str
    severity: str
    start: int
    end: int
    text: str
    message: str
    hint: str


def requirement_findings(*, requirement: Requirement, findings: list[QualityFinding]) -> list[FindingView]:
    """Findings ready to show: the span's text and the rule's explanation and hint."""
    return [
        FindingView(
            rule=finding.rule,
            title=RULES[finding.rule].title if finding.rule in RULES else finding.rule,
            severity=finding.severity,
            start=finding.start,
            end=finding.end,
            text=requirement.text[finding.start : finding.end],
            message=RULES[finding.rule].explanation if finding.rule in RULES else "",
            hint=RULES[finding.rule].hint if finding.rule in RULES else "",
        )
        for finding in findings
    ]


@dataclass(frozen=True)
class QualitySummary:
    checked: int
    average_score: float | None
    by_rule: dict[str, int]  # rule id -> requirements with at least one finding of it
    worst_sections: list[tuple[str, float, int]]  # (section, average score, requirements), worst first


def document_quality_summary(*, document: Document, sections: int = 5) -> QualitySummary:
    qualities: QuerySet[RequirementQuality] = RequirementQuality.objects.filter(
        requirement__document=document
    )
    overall = qualities.aggregate(average=Avg("score"), checked=Count("pk"))
    by_rule = Counter(
        dict(
            QualityFinding.objects.filter(requirement__document=document)
            .values_list("rule")
            .annotate(n=Count("requirement", distinct=True))
            .values_list("rule", "n")
        )
    )
    worst = (
        qualities.values_list("requirement__section_key")
        .annotate(average=Avg("score"), n=Count("pk"))
        .order_by("average", "requirement__section_key")[:sections]
    )
    return QualitySummary(
        checked=overall["checked"],
        average_score=round(overall["average"], 1) if overall["average"] is not None else None,
        by_rule={rule: by_rule[rule] for rule in RULES if by_rule[rule]},
        worst_sections=[(section or "(no section)", round(average, 1), n) for section, average, n in worst],
    )
