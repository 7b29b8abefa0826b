"""A passage of a document as a segment: flagged, given its obligation level and its place in the sections.

Every reader of running text (PDF paragraphs and list rows, Word and HTML paragraphs) ends the same way;
the rules that decide the flag live here once so that the formats cannot drift apart.
"""

from __future__ import annotations

from .classify_segment import (
    SegmentClassifier,
    is_dashed_definition,
    is_informative,
    is_reference_matter,
    requirement_obligation,
)
from .headings import SectionTracker
from .types import BBox, Segment


def passage_segment(
    text: str,
    *,
    order: int,
    classify: SegmentClassifier,
    sections: SectionTracker,
    has_id: bool,
    in_requirements: bool,
    context: str = "",
    external_id: str | None = None,
    page: int | None = None,
    bbox: BBox | None = None,
    attributes: dict[str, str] | None = None,
) -> Segment:
    """``text`` as a segment under the current section.

    ``context``: what the passage continues, such as the stems of a list item. An item alone ("the inlet
    pressure;") says nothing, so the flag and the obligation are read from the context and the text
    together; a placeholder or a note is informative by its own words whatever its stem says.
    """
    wording = f"{context} {text}" if context else text
    flag = (
        not is_informative(text)
        # The entries of a references list, a glossary or a table of contents; not the heading's own
        # numbered clause, which a clause-numbered document keeps as one of its objects.
        and not (text != sections.title and is_reference_matter(sections.titles))
        # A glossary entry ("Backend - A computer system that ...") defines, even where it stands in a body
        # whose every paragraph is traceable.
        and not (external_id is None and is_dashed_definition(text))
        and classify(wording, has_id=has_id, in_requirements=in_requirements)
    )
    return Segment(
        text=text,
        order=order,
        is_requirement=flag,
        obligation=requirement_obligation(wording, is_requirement=flag),
        section_path=sections.path,
        section_title=sections.title,
        external_id=external_id,
        page=page,
        bbox=bbox,
        attributes=attributes or {},
    )


def reflag(
    segment: Segment, *, classify: SegmentClassifier, context: str = "", in_requirements: bool
) -> None:
    """Flag ``segment`` again after its text or context changed (a list item ending on the next page)."""
    wording = f"{context} {segment.text}" if context else segment.text
    segment.is_requirement = (
        not is_informative(segment.text)
        and not (segment.external_id is None and is_dashed_definition(segment.text))
        and classify(wording, has_id=False, in_requirements=in_requirements)
    )
    segment.obligation = requirement_obligation(wording, is_requirement=segment.is_requirement)


def unflag_listing_entry(segment: Segment, sections: SectionTracker) -> None:
    """A table row under a references list, a list of acronyms or a table of contents is one of its
    entries, whatever its ID column says (cctns' table of contents lists its modules as "A1 REGISTRATION")."""
    if is_reference_matter(sections.titles):
        segment.is_requirement = False
        segment.obligation = ""
