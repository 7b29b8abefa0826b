"""Pieces of the document page that repeat hundreds of times (its rows' text, the section filter's
options), written in Python: through the template engine each variable costs a context lookup, and at
100 rows and ~550 sections those lookups were most of the page's time (bench/api.py)."""

from django import template
from django.utils.html import escape, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import normalize_newlines

from documents.quality.selectors import HighlightPiece

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
