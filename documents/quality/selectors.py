"""Reads of quality findings: a requirement's findings with their rule's words, and summaries."""

from dataclasses import dataclass
from itertools import pairwise
from typing import Any, cast

from django.db.models import Aggregate, Avg, Count, JSONField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import JSONArray

from documents.models import Document, Requirement
from documents.quality.counts import document_quality_counts_stored
from documents.quality.models import QualityFinding, QualitySettings, RequirementQuality
from documents.quality.rules import RULES, QualityConfig
from selko.tenancy.models import Project


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
class HighlightPiece:
    """A run of a requirement's text and the findings whose spans cover all of it (none: plain text)."""

    text: str
    findings: tuple[FindingView, ...]


def text_highlight(*, text: str, findings: list[FindingView]) -> list[HighlightPiece]:
    """Cut the text at every span's edges, so overlapping findings each keep their own marks."""
    edges = sorted({0, len(text), *(f.start for f in findings), *(f.end for f in findings)})
    edges = [edge for edge in edges if 0 <= edge <= len(text)]
    pieces: list[HighlightPiece] = []
    for start, end in pairwise(edges):
        covering = tuple(f for f in findings if f.start <= start and end <= f.end)
        pieces.append(HighlightPiece(text[start:end], covering))
    return pieces


@dataclass(frozen=True)
class RequirementQualityView:
    score: int | None  # None: not checked (informative text)
    findings: list[FindingView]
    pieces: list[HighlightPiece]


class _JSONList(Aggregate):
    """The aggregated values as one JSON list."""

    function = "JSONB_AGG"  # PostgreSQL
    output_field = JSONField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)


def requirements_with_quality(requirements: QuerySet[Requirement]) -> QuerySet[Requirement]:
    """The requirements read with their score and their findings' spans, for requirement_quality_views
    to ask nothing more: a page's rows with their findings in one query."""
    spans = (
        QualityFinding.objects.filter(requirement=OuterRef("pk"))
        .order_by()
        .values("requirement")
        .annotate(spans=_JSONList(JSONArray("rule", "severity", "start", "end")))
        .values("spans")
    )
    return requirements.select_related("quality").annotate(finding_spans=Subquery(spans))


def _findings_read_with(requirement: Requirement) -> list[QualityFinding] | None:
    """The findings requirements_with_quality read with the requirement (None: not read with them)."""
    if not hasattr(requirement, "finding_spans"):
        return None
    spans = sorted(requirement.finding_spans or [], key=lambda span: (span[2], span[3], span[0]))
    return [
        QualityFinding(requirement_id=requirement.pk, rule=rule, severity=severity, start=start, end=end)
        for rule, severity, start, end in spans
    ]


def requirement_quality_views(*, requirements: list[Requirement]) -> dict[int, RequirementQualityView]:
    """Score, findings and highlighted text of each requirement of a page, in two queries; in one when the
    rows were read with their score (select_related("quality")), and in none when those scores count no
    finding or the rows were read with their findings too (requirements_with_quality)."""
    ids = [requirement.pk for requirement in requirements]
    read = {requirement.pk: _findings_read_with(requirement) for requirement in requirements}
    with_scores = Requirement.quality.related  # type: ignore[attr-defined]
    found = {pk for pk, findings in read.items() if findings is None}  # rows whose findings to ask for
    if all(with_scores.is_cached(requirement) for requirement in requirements):
        qualities = [
            (r.pk, cast(RequirementQuality | None, with_scores.get_cached_value(r))) for r in requirements
        ]
        scores = {pk: quality.score for pk, quality in qualities if quality is not None}
        # Written with the findings (documents.quality.services), so it tells which rows have some.
        found = {
            pk for pk, quality in qualities if pk in found and quality is not None and quality.finding_count
        }
    else:
        scores = dict(
            RequirementQuality.objects.filter(requirement_id__in=ids).values_list("requirement", "score")
        )
    stored: dict[int, list[QualityFinding]] = {pk: findings or [] for pk, findings in read.items()}
    for finding in QualityFinding.objects.filter(requirement_id__in=found) if found else ():
        stored[finding.requirement_id].append(finding)
    views: dict[int, RequirementQualityView] = {}
    for requirement in requirements:
        findings = requirement_findings(requirement=requirement, findings=stored[requirement.pk])
        views[requirement.pk] = RequirementQualityView(
            score=scores.get(requirement.pk),
            findings=findings,
            pieces=text_highlight(text=requirement.text, findings=findings),
        )
    return views


@dataclass(frozen=True)
class RuleCount:
    rule: str
    title: str
    requirements: int  # requirements with at least one finding of the rule


@dataclass(frozen=True)
class SectionQuality:
    document_id: int
    document_name: str
    section: str
    average_score: float
    requirements: int


@dataclass(frozen=True)
class DocumentQuality:
    document_id: int
    document_name: str
    average_score: float
    requirements: int
    findings: int


@dataclass(frozen=True)
class QualitySummary:
    checked: int
    average_score: float | None
    by_rule: list[RuleCount]  # in the rules' order, rules without a finding left out
    worst_sections: list[SectionQuality]  # lowest average score first
    worst_documents: list[DocumentQuality]  # lowest average score first


def _quality_summary(
    qualities: QuerySet[RequirementQuality], findings: QuerySet[QualityFinding], limit: int
) -> QualitySummary:
    # Grouped queries only: the summary of 50,000 requirements costs four aggregate scans, no rows.
    overall = qualities.aggregate(average=Avg("score"), checked=Count("pk"))
    by_rule = dict(
        findings.values("rule").annotate(n=Count("requirement", distinct=True)).values_list("rule", "n")
    )
    sections = (
        qualities.values_list(
            "requirement__document_id", "requirement__document__name", "requirement__section_key"
        )
        .annotate(average=Avg("score"), n=Count("pk"))
        .order_by("average", "requirement__document__name", "requirement__section_key")[:limit]
    )
    documents = (
        qualities.values_list("requirement__document_id", "requirement__document__name")
        .annotate(average=Avg("score"), n=Count("pk"), findings=Sum("finding_count"))
        .order_by("average", "requirement__document__name")[:limit]
    )
    return QualitySummary(
        checked=overall["checked"],
        average_score=round(overall["average"], 1) if overall["average"] is not None else None,
        by_rule=[RuleCount(r.id, r.title, by_rule[r.id]) for r in RULES.values() if by_rule.get(r.id)],
        worst_sections=[
            SectionQuality(document_id, name, section or "(no section)", round(average, 1), n)
            for document_id, name, section, average, n in sections
        ],
        worst_documents=[
            DocumentQuality(document_id, name, round(average, 1), n, findings or 0)
            for document_id, name, average, n, findings in documents
        ],
    )


def document_quality_summary(*, document: Document, limit: int = 5) -> QualitySummary:
    """Counts by rule and the worst sections of one document (its one "worst document" is itself):
    from the counts stored with its findings, else grouped from the rows."""
    stored = document_quality_counts_stored(document=document)
    if stored is not None:
        return _quality_summary_stored(document, stored, limit)
    return _quality_summary(
        RequirementQuality.objects.filter(requirement__document=document),
        QualityFinding.objects.filter(requirement__document=document),
        limit,
    )


def _quality_summary_stored(document: Document, stored: dict[str, Any], limit: int) -> QualitySummary:
    """What _quality_summary computes for one document, from its stored counts (in the same order)."""
    checked, average = stored["checked"], stored["average"]
    worst = sorted(stored["sections"], key=lambda section: (section[1], section[0]))[:limit]
    return QualitySummary(
        checked=checked,
        average_score=round(average, 1) if average is not None else None,
        by_rule=[
            RuleCount(r.id, r.title, stored["by_rule"][r.id])
            for r in RULES.values()
            if stored["by_rule"].get(r.id)
        ],
        worst_sections=[
            SectionQuality(document.pk, document.name, key or "(no section)", round(section_average, 1), n)
            for key, section_average, n in worst
        ],
        worst_documents=(
            [DocumentQuality(document.pk, document.name, round(average, 1), checked, stored["findings"])]
            if checked
            else []
        ),
    )


def project_quality_summary(*, project: Project, limit: int = 5) -> QualitySummary:
    """Counts by rule, the worst sections and the worst documents over every document of a project."""
    return _quality_summary(
        RequirementQuality.objects.filter(project=project),
        QualityFinding.objects.filter(project=project),
        limit,
    )


def quality_settings_get(*, project: Project) -> QualitySettings:
    """The project's stored settings, or unsaved defaults (nothing switched off, no extra word)."""
    return QualitySettings.objects.filter(project=project).first() or QualitySettings(project=project)


def quality_config_for_project(*, project_id: int) -> QualityConfig:
    """The config the checks run with. A rule that no longer exists is ignored here rather than failing
    every check of the project; the settings page shows only existing rules, so the next save drops it."""
    stored = QualitySettings.objects.filter(project_id=project_id).first()
    if stored is None:
        return QualityConfig()
    return QualityConfig(
        disabled_rules=frozenset(rule for rule in stored.disabled_rules if rule in RULES),
        extra_vague_terms=tuple(stored.extra_vague_terms),
    )
