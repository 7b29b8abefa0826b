"""Reads of summaries: the gist of a document and of each top-level section, in a few grouped queries.

For each: how many requirements, how many at each obligation level, how many with a finding of each
quality rule, the requirements with the most findings, and the stored extractive summary (computed on
the fly, without storing it, for a document read before summaries existed).
The counts of segments are stored with them (documents.summaries.counts); the others are grouped
queries over the findings: a 50,000-row document's page reads only the rows it shows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import chain

from documents.models import Document, Obligation, Requirement
from documents.quality.counts import document_quality_counts_stored, quality_counts_compute
from documents.quality.rules import RULES
from documents.quality.selectors import RuleCount
from documents.summaries.counts import (
    SegmentGroup,
    document_counts_stored,
    segment_groups_compute,
)
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


def document_gist(*, document: Document) -> DocumentGist:
    requirements = Requirement.objects.filter(document=document)
    # Per top-level section, kind and obligation, how many and where first: stored with the segments.
    stored_counts = document_counts_stored(document=document)
    groups: list[SegmentGroup] = (
        [(start, section, counted, kind, n) for start, section, counted, kind, n in stored_counts.groups]
        if stored_counts is not None
        else segment_groups_compute(document_id=document.pk)
    )
    gists: dict[str, Gist] = {NO_SECTION: Gist(NO_SECTION)}
    obligations: dict[str, Counter[str]] = defaultdict(Counter)
    for group in groups:
        gists.setdefault(group[1], Gist(group[1]))  # in reading order: by each section's first segment
    for _start, section, counted, obligation, count in groups:
        if not counted:
            continue
        for key in {NO_SECTION, section}:
            obligations[key][obligation] += count
            gists[key].requirements += count
    rules: dict[str, Counter[str]] = defaultdict(Counter)
    leaders: dict[str, list[tuple[int, int]]] = defaultdict(list)
    quality = document_quality_counts_stored(document=document)
    if quality is None:  # checked before the counts were stored: grouped from the rows
        quality = quality_counts_compute(document_id=document.pk)
    rules[NO_SECTION].update(quality["by_rule"])
    for section, by_rule in quality["by_section_rule"].items():
        if section != NO_SECTION:
            rules[section].update(by_rule)
    for section, rows in quality["leaders"].items():
        leaders[section] = [(requirement_id, count) for requirement_id, count in rows]
    try:  # read with the document when it was selected with it (documents.selectors.document_get)
        stored = document.summary.segments
    except DocumentSummary.DoesNotExist:
        stored = None
    if stored is None:  # a document read before summaries existed: picked now, from every segment
        rows = list(
            requirements.order_by("order", "pk").values_list("pk", "section_path", "text", "is_requirement")
        )
        stored = summary_segments_pick(rows=rows)
    shown = {i for i, _ in chain.from_iterable(leaders.values())} | set(chain.from_iterable(stored.values()))
    by_id = {
        row[0]: row
        for row in requirements.filter(pk__in=shown).values_list(
            "pk", "order", "external_id", "section_path", "text"
        )
    }
    for key, gist in gists.items():
        gist.by_obligation = {
            value: obligations[key][value] for value in Obligation.values if obligations[key][value]
        }
        gist.by_rule = [
            RuleCount(rule.id, rule.title, rules[key][rule.id])
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
            for i in stored.get(key, [])
            if i in by_id
        ]
    document_gist_ = gists.pop(NO_SECTION)
    return DocumentGist(document=document_gist_, sections=list(gists.values()))
