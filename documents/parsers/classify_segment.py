"""Rule-based "requirement or informative" flag.

This is the stand-in until a learned classifier exists: parsers take any ``SegmentClassifier`` so the
model can replace these rules without touching the parsing code.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Protocol


class Obligation(StrEnum):
    """How strongly a requirement binds (RFC 2119, ISO/IEC/IEEE 29148 and ECSS verb forms)."""

    MANDATORY = "mandatory"  # shall, must, is required to
    RECOMMENDED = "recommended"  # should, is recommended
    OPTIONAL = "optional"  # may, is optional
    DECLARATIVE = "declarative"  # will, or a statement that binds only by where it stands (an ID, a section)


# Binding language of requirement specs (RFC 2119, ISO/IEC/IEEE 29148, ECSS): these mark an obligation.
_MODAL = re.compile(
    r"\b(?:shall|must|is\s+required\s+to|are\s+required\s+to|is\s+to\s+be|are\s+to\s+be|has\s+to|have\s+to"
    r"|(?:is|are)\s+mandatory|it\s+is\s+required\s+that)\b",
    re.IGNORECASE,
)
_RECOMMENDED = re.compile(
    r"\b(?:should|(?:is|are)\s+recommended|it\s+is\s+recommended\s+that)\b", re.IGNORECASE
)
_OPTIONAL = re.compile(r"\b(?:may|(?:is|are)\s+optional|optionally)\b", re.IGNORECASE)
_DECLARATIVE = re.compile(r"\bwill\b", re.IGNORECASE)
# "Intentionally deleted.", "Reserved", "Void": a clause kept only so that the numbering stays stable.
_PLACEHOLDER = re.compile(
    r"^\s*(?:intentionally\s+(?:deleted|left\s+blank|omitted)|deleted|void|reserved|not\s+used|tbd)\W*$",
    re.IGNORECASE,
)
# Paragraphs that announce themselves as commentary are informative whatever verbs they contain:
# a rationale often repeats "shall" while explaining it.
_INFORMATIVE_LABEL = re.compile(
    r"^\s*(?:rationale|note|notes|nb|example|examples|e\.g\.|comment|comments|explanation|hint|remark|remarks"
    r"|informative|background|definition|definitions|justification|source|see\s+also)\b\s*\d*\s*[:.\u2013-]",
    re.IGNORECASE,
)
# "Figure 2: Transition table.", "Table 4-1. Interfaces": a caption names what it labels, whatever verbs
# it repeats from it. "Table 7.4.2.13 (Packet 51) shall be replaced" is no caption: no separator follows.
_CAPTION = re.compile(r"^\s*(?:figure|fig\.|table|diagram)\s+\d+(?:[.-]\d+)*\s*[:.\u2013]\s", re.IGNORECASE)
# "This document describes ...", "The chapter defines ...": the document speaking about itself.
_SELF_REFERENCE = re.compile(
    r"^\s*(?:this|the)\s+(?:document|chapter|section|subsection|annex|appendix|specification|part|paragraph)"
    r"\s+(?:describes|defines|specifies|covers|presents|introduces|outlines|summari[sz]es|explains|provides"
    r"|contains|lists|identifies|gives)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?](?:\s+[A-Z]|$)")  # "i.e. all the versions" goes on
# "Term: meaning" and "X means Y" lines from a glossary define rather than oblige; a pronoun ("This refers
# to the following data") names no term, and a term holds no verb: "There must be a means to ..." is a rule.
_TERM_WORD = r"(?!(?:shall|must|should|may|will|can|be|is|are)\b)[\w/()-]+"
_DEFINITION = re.compile(
    r"^\s*(?!(?:if|when|unless|where|while|once|after|before|upon|this|that|it|these|those|which)\b)"
    rf"[\"\u201c']?{_TERM_WORD}(?:\s+{_TERM_WORD}){{0,3}}[\"\u201d']?"
    r"\s+(?:means|is\s+defined\s+as|refers\s+to)\b",
    re.IGNORECASE,
)

# A glossary entry set as "Term - meaning" ("Backend - A computer system that ...", "e2e - End-to-End
# System"): a term of a few words, then a dash standing between spaces, then its meaning.
_DASHED_DEFINITION = re.compile(
    r"^\s*(?!(?:the|a|an|this|that|these|those|it|each|every|all|any|if|when|where|while|once)\b|\w{1,3}\))"
    r"[\"\u201c']?[\w/&().+-]+(?:\s+[\w/&().+-]+){0,3}[\"\u201d']?\s+[\u2013\u2014-]\s+\S",
    re.IGNORECASE,
)

_SPACED_DASH = re.compile(r"\s[\u2013\u2014-]\s")

# Sections that list what the document cites, abbreviates or changed ("1.4 References", "Definitions,
# Acronyms, and Abbreviations", "Applicable documents", "Annex B: Bibliography", "Revision history", "Table
# of contents"): a numbered entry there is a citation, a short form or a title, not a clause that obliges,
# whatever the numbering makes it look like. A traceability matrix is not one of them: some documents
# state their requirements in full only there (tcs). "Definitions" alone is not enough: a clause-numbered
# specification defines its concepts in normative clauses ("5.3.2 Definitions" of SUBSET-026), while a
# glossary's "Term - meaning" entries are informative by their own shape (is_dashed_definition).
_REFERENCE_WORD = (
    r"(?:references?|bibliography|glossary|acronyms?|abbreviations?|abbreviated\s+terms|definitions?"
    r"|terms|terminology|(?:(?:applicable|referenced|reference|related|normative|informative|other)"
    r"(?:\s*[,&]\s*|\s+and\s+|\s+))+documents?"
    r"|(?:revision|change|document|version)\s+(?:history|record|log)|record\s+of\s+(?:changes|revisions)"
    r"|table\s+of\s+contents|contents)"
)
_REFERENCE_MATTER = re.compile(
    # "Appendix A - Glossary", "Annex 2: Bibliography": an appendix's label goes first.
    r"^\s*(?:(?:appendix|annex)\s+\w{1,3}\s*[-:.\u2013\u2014]?\s+)?"
    rf"(?:(?:normative|informative|list\s+of|the|and|of)\s+)*{_REFERENCE_WORD}"
    rf"(?:(?:\s*[,&/]\s*(?:and\s+)?|\s+(?:and|of)\s+)(?:(?:the|other)\s+)?{_REFERENCE_WORD})*\W*$",
    re.IGNORECASE,
)
# The words of those titles that name a listing: a title of only "Definitions" or "Terms" has none.
_LISTING_WORD = re.compile(
    r"\b(?:references?|bibliography|glossary|acronyms?|abbreviations?|documents?|history|record|log"
    r"|contents)\b",
    re.IGNORECASE,
)


def is_dashed_definition(text: str) -> bool:
    """A "Term - meaning" entry, unless the meaning obliges: "Level 2 - the train shall ..." is a rule.

    Only for passages without an ID of their own: an author who numbers "2.4.b Hardware limitations - The
    application will reside on ..." traces it as a constraint."""
    match = _DASHED_DEFINITION.match(text)
    if match is None or _MODAL.search(text) or _RECOMMENDED.search(text):
        return False
    # A second dash closes an aside ("The panel - in all modes - shows ..."): a sentence, not an entry.
    return _SPACED_DASH.search(text, match.end()) is None


# A section titled "... Requirements" holds requirements: there "will" and "may" oblige as well.
_REQUIREMENTS_SECTION = re.compile(r"\brequirements?\b", re.IGNORECASE)


def is_requirements_section(section_path: list[str]) -> bool:
    """Whether a passage under these headings stands in a part of the document that holds requirements."""
    return _REQUIREMENTS_SECTION.search(" ".join(section_path)) is not None


def is_reference_matter(section_titles: list[str]) -> bool:
    """Whether a passage under these headings stands in a list of references, short forms or changes."""
    return any(_REFERENCE_MATTER.match(title) and _LISTING_WORD.search(title) for title in section_titles)


def starts_with_informative_label(text: str) -> bool:
    """ "Rationale: ...", "Note 2: ...": the paragraph says itself that it is commentary."""
    return bool(_INFORMATIVE_LABEL.match(text))


class SegmentClassifier(Protocol):
    def __call__(self, text: str, *, has_id: bool, in_requirements: bool = False) -> bool: ...


def obligation(text: str) -> Obligation | None:
    """The strongest obligation the wording of ``text`` expresses, None where it expresses none."""
    if _MODAL.search(text):
        return Obligation.MANDATORY
    if _RECOMMENDED.search(text):
        return Obligation.RECOMMENDED
    if _OPTIONAL.search(text):
        return Obligation.OPTIONAL
    if _DECLARATIVE.search(text):
        return Obligation.DECLARATIVE
    return None


def is_informative(text: str) -> bool:
    """Commentary by its own label, a definition, a caption, or a placeholder for a deleted clause."""
    return bool(
        _INFORMATIVE_LABEL.match(text)
        or _DEFINITION.match(text)
        or _PLACEHOLDER.match(text)
        or _CAPTION.match(text)
        or _about_the_document(text)
    )


def _about_the_document(text: str) -> bool:
    """One sentence whose subject is the document itself: it says what the text covers, not what the
    system does, whatever verbs it quotes ("This chapter defines ... that trackside shall operate")."""
    text = text.strip()
    # Read with a list item after its colon, the sentence introduces that item, which stands on its own.
    return (
        bool(_SELF_REFERENCE.match(text))
        and ":" not in text.rstrip(":")
        and len(_SENTENCE_END.findall(text)) <= 1
    )


def is_requirement(text: str, *, has_id: bool, in_requirements: bool = False) -> bool:
    """Whether ``text`` reads as a requirement.

    ``has_id`` says the author gave the passage a requirement identifier; that is a stronger signal than
    wording, since specs contain requirements phrased without modal verbs ("The reset types include: ...").
    ``in_requirements`` says the passage stands in a part of the document that holds requirements (a
    section titled "... Requirements"): there "will" and "may" oblige as well, while elsewhere they mostly
    describe ("The operator will see ...", "Rules may be applied ...").
    """
    if is_informative(text):
        return False
    if has_id:
        return True
    level = obligation(text)
    if level in (Obligation.MANDATORY, Obligation.RECOMMENDED):
        return True
    return in_requirements and level is not None


def requirement_obligation(text: str, *, is_requirement: bool) -> str:
    """The level stored on a segment: empty for informative text, declarative where no verb obliges."""
    if not is_requirement:
        return ""
    return str(obligation(text) or Obligation.DECLARATIVE)
