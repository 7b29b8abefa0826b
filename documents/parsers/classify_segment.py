"""Rule-based "requirement or informative" flag.

This is the stand-in until a learned classifier exists: parsers take any ``SegmentClassifier`` so the
model can replace these rules without touching the parsing code.
"""

from __future__ import annotations

import re
from typing import Protocol

# Binding language of requirement specs (RFC 2119, ISO/IEC/IEEE 29148, ECSS): these mark an obligation.
_MODAL = re.compile(
    r"\b(?:shall|must|is\s+required\s+to|are\s+required\s+to|is\s+to\s+be|are\s+to\s+be|has\s+to|have\s+to)\b",
    re.IGNORECASE,
)
# Paragraphs that announce themselves as commentary are informative whatever verbs they contain:
# a rationale often repeats "shall" while explaining it.
_INFORMATIVE_LABEL = re.compile(
    r"^\s*(?:rationale|note|notes|nb|example|examples|e\.g\.|comment|comments|explanation|hint|remark|remarks"
    r"|informative|background|definition|definitions|justification|source|see\s+also)\b\s*\d*\s*[:.\u2013-]",
    re.IGNORECASE,
)
# "Term: meaning" and "X means Y" lines from a glossary define rather than oblige.
_DEFINITION = re.compile(
    r"^\s*(?!(?:if|when|unless|where|while|once|after|before|upon)\b)[\"\u201c']?[\w/()-]+(?:\s+[\w/()-]+){0,3}[\"\u201d']?"
    r"\s+(?:means|is\s+defined\s+as|refers\s+to)\b",
    re.IGNORECASE,
)


def starts_with_informative_label(text: str) -> bool:
    """ "Rationale: ...", "Note 2: ...": the paragraph says itself that it is commentary."""
    return bool(_INFORMATIVE_LABEL.match(text))


class SegmentClassifier(Protocol):
    def __call__(self, text: str, *, has_id: bool) -> bool: ...


def is_requirement(text: str, *, has_id: bool) -> bool:
    """Whether ``text`` reads as a requirement.

    ``has_id`` says the author gave the passage a requirement identifier; that is a stronger signal than
    wording, since specs contain requirements phrased without modal verbs ("The reset types include: ...").
    """
    if _INFORMATIVE_LABEL.match(text) or _DEFINITION.match(text):
        return False
    if has_id:
        return True
    return bool(_MODAL.search(text))
