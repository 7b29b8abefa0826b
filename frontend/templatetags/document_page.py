"""Pieces of the document page that repeat hundreds of times (its rows' text, the section filter's
options, the gist's links and tags for every section), written in Python: through the template engine
each variable costs a context lookup, and at 100 rows, ~50 gist parts and ~550 sections those lookups
were most of the page's time (bench/api.py)."""

from django import template
from django.template.defaultfilters import pluralize
from django.utils.html import escape, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import normalize_newlines

from documents.quality.selectors import HighlightPiece
from documents.summaries.selectors import FindingsLeader, Gist, SummarySegment
from models_app.summaries.selectors import LabelCount

register = template.Library()


def _text(text: str) -> str:
    # What the `linebreaksbr` filter writes.
    return escape(normalize_newlines(text)).replace("\n", "<br>")


@register.filter
def highlighted(pieces: list[HighlightPiece]) -> SafeString:
    """A requirement's text, each span a finding covers marked with the findings' rules and, as its
    title, their explanations and hints (one line each)."""
    html = []
    for piece in pieces:
        if not piece.findings:
            html.append(_text(piece.text))
            continue
        rules = " ".join(finding.rule for finding in piece.findings)
        title = "&#10;".join(
            escape(f"{finding.title}: {finding.message} {finding.hint}") for finding in piece.findings
        )
        mark = f'<mark class="finding-span" data-rules="{escape(rules)}" title="{title}">'
        html.append(f"{mark}{_text(piece.text)}</mark>")
    return mark_safe("".join(html))  # noqa: S308 - every piece of text above is escaped


@register.simple_tag
def section_options(sections: list[str], selected: str) -> SafeString:
    """The section filter's options, the one filtered on selected."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((section, mark_safe(" selected") if section == selected else "", section) for section in sections),
    )


def _named(row: SummarySegment | FindingsLeader) -> str:
    return row.external_id or f"#{row.order}"


@register.simple_tag
def gist_requirements(gist: Gist, with_obligations: bool = False) -> str:
    """ "12 requirements", and how many of them carry each obligation: "12 requirements · 9 mandatory"."""
    counted = [f"{gist.requirements} requirement{pluralize(gist.requirements)}"]
    if with_obligations:
        counted += [f"{n} {level}" for level, n in gist.by_obligation.items()]
    return " · ".join(counted)


@register.simple_tag
def gist_summary(segments: list[tuple[SummarySegment, str]]) -> SafeString:
    """The summary's segments, each with a link to its row (href) named by its ID, else its number."""
    return format_html_join(
        "", '<li><a href="{}">{}</a> {}</li>', ((href, _named(s), s.text) for s, href in segments)
    )


@register.simple_tag
def gist_leaders(leaders: list[tuple[FindingsLeader, str]]) -> SafeString:
    """The requirements with the most findings, each a link to its row (href) and its count."""
    return format_html_join(
        ", ", '<a href="{}">{}</a> ({})', ((href, _named(r), r.findings) for r, href in leaders)
    )


@register.simple_tag
def gist_tags(counts: list[LabelCount], limit: int = 8) -> SafeString:
    """The labels carried most, with how many requirements carry each."""
    return format_html_join(
        "", '<span class="tag">{} {}</span> ', ((c.path, c.requirements) for c in counts[:limit])
    )
