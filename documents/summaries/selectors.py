"""Reads of summaries: the gist of a document and of each top-level section, in a few grouped queries.

For each: how many requirements, how many at each obligation level, how many with a finding of each
quality rule, the requirements with the most findings, and the stored extractive summary (computed on
the fly, without storing it, for a document read before summaries existed).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from documents.models import Document, Obligation, QualityFinding, Requirement, RequirementQuality
from documents.quality.rules import RULES
from documents.quality.selectors import RuleCount
from documents.summaries.models import DocumentSummary
from documents.summaries.services import NO_SECTION, summary_segments_pick

MOST_FINDINGS = 5


@dataclass(frozen=True)
class SummarySegment:
    requirement_id: int
    order: int
    external_id: str
    text: str
    section: str


@dataclass(frozen=True)
class FindingsLeader:
    requirement_id: int
    order: int
    external_id: str
    text: str
    findings: int


@dataclass
class Gist:
    section: str  # "" for the whole document
    requirements: int = 0
    by_obligation: dict[str, int] = field(default_factory=dict)
    by_rule: list[RuleCount] = field(default_factory=list)
    most_findings: list[FindingsLeader] = field(default_factory=list)
    summary: list[SummarySegment] = field(default_factory=list)


@dataclass(frozen=True)
class DocumentGist:
    document: Gist
    sections: list[Gist]  # top-level sections in reading order
    # Requirement id -> its top-level section, for a layer above to add its own counts (tags).
    section_of: dict[int, str]


def _top_section(path: list[str]) -> str:
    return path[0] if path else NO_SECTION


def document_gist(*, document: Document) -> DocumentGist:
    segments = list(
        Requirement.objects.filter(document=document)
        .order_by("order", "pk")
        .values_list("pk", "order", "external_id", "section_path", "text", "is_requirement", "obligation")
    )
    by_id = {row[0]: row for row in segments}
    section_of = {row[0]: _top_section(row[3]) for row in segments if row[5]}
    gists: dict[str, Gist] = {NO_SECTION: Gist(NO_SECTION)}
    for _, _, _, path, *_ in segments:
        if path and path[0] not in gists:
            gists[path[0]] = Gist(path[0])
    obligations: dict[str, Counter[str]] = defaultdict(Counter)
    for requirement_id, section in section_of.items():
        for key in {NO_SECTION, section}:
            obligations[key][by_id[requirement_id][6]] += 1
            gists[key].requirements += 1
    rules: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for requirement_id, rule in QualityFinding.objects.filter(requirement__document=document).values_list(
        "requirement_id", "rule"
    ):
        for key in {NO_SECTION, section_of.get(requirement_id, NO_SECTION)}:
            rules[key][rule].add(requirement_id)
    leaders: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for requirement_id, count in (
        RequirementQuality.objects.filter(requirement__document=document, finding_count__gt=0)
        .order_by("-finding_count", "requirement__order")
        .values_list("requirement_id", "finding_count")
    ):
        for key in {NO_SECTION, section_of.get(requirement_id, NO_SECTION)}:
            if len(leaders[key]) < MOST_FINDINGS:
                leaders[key].append((requirement_id, count))
    stored = DocumentSummary.objects.filter(document=document).values_list("segments", flat=True).first()
    picked = (
        stored
        if stored is not None
        else summary_segments_pick(rows=[(row[0], row[3], row[4], row[5]) for row in segments])
    )
    for key, gist in gists.items():
        gist.by_obligation = {
            value: obligations[key][value] for value in Obligation.values if obligations[key][value]
        }
        gist.by_rule = [
            RuleCount(rule.id, rule.title, len(rules[key][rule.id]))
            for rule in RULES.values()
            if rules[key][rule.id]
        ]
        gist.most_findings = [
            FindingsLeader(i, by_id[i][1], by_id[i][2], by_id[i][4], count)
            for i, count in leaders[key]
            if i in by_id
        ]
        gist.summary = [
            SummarySegment(i, by_id[i][1], by_id[i][2], by_id[i][4], " > ".join(by_id[i][3]))
            for i in picked.get(key, [])
            if i in by_id
        ]
    document_gist_ = gists.pop(NO_SECTION)
    return DocumentGist(document=document_gist_, sections=list(gists.values()), section_of=section_of)
