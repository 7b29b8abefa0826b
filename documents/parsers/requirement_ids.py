"""Recognise requirement identifiers such as ``REQ-12``, ``SRS-001``, ``cES1014.1`` or ``[R-3]``.

An identifier is what authors put in front of (or behind) a requirement so it can be traced. The rules
must also say no to look-alikes that fill engineering prose: standards (``EN-50128``, ``ISO 9001``),
versions (``V1.4``), deliverables (``D2.5``) and dates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Letters glued to a number of 3+ digits with optional dotted sub-numbers: cES1014.1, CF5026, Req001.
_GLUED = r"[A-Za-z]{1,8}\d{3,6}(?:\.\d{1,4})*"
# Alphanumeric parts joined by - _ / or . with at least one digit: REQ-12, SRS-001, R-WP2/D2.6-02-047.01.
_JOINED = r"[A-Za-z][A-Za-z0-9]*(?:[-_/.][A-Za-z0-9]+)+"
_CANDIDATE = re.compile(rf"(?:{_GLUED}|{_JOINED})")

_LEADING = re.compile(
    rf"""^\s*
    (?:\[(?P<bracketed>[^\]\s]{{2,40}})\]|\((?P<parenthesised>[^)\s]{{2,40}})\)|(?P<bare>{_GLUED}|{_JOINED}))
    (?:\s*[:\u2013\u2014-]\s*|\s+)(?P<rest>\S.*)$""",
    re.VERBOSE | re.DOTALL,
)
_TRAILING = re.compile(
    r"^(?P<rest>.*\S)\s*(?:\[(?P<bracketed>[^\]\s]{2,40})\]|\((?P<par>[^)\s]{2,40})\))\s*$", re.DOTALL
)

# With only one or two digits an identifier needs a prefix that says "requirement" to be believed.
_REQUIREMENT_PREFIXES = frozenset((
    "req", "reqt", "rq", "r", "srs", "sss", "ssrs", "sys", "syr", "sw", "swr", "hw", "hlr", "llr", "fr",
    "nfr", "ur", "sr", "us", "uc", "br", "tr", "stk", "cr", "pr", "id",
))  # fmt: skip
# Standards, encodings and document series that look like identifiers but never name a requirement.
_NOT_REQUIREMENT_PREFIXES = frozenset((
    "iso", "iec", "en", "utf", "subset", "rfc", "ieee", "mil", "do", "ecss", "std", "cenelec", "etsi", "ansi",
    "itu", "eia", "sae", "din", "bs", "unisig", "era", "nasa", "cwe", "cve", "ics", "sil", "asil", "fig",
    "figure", "table", "page", "section", "chapter", "annex", "version", "rev", "v", "d", "wp",
))  # fmt: skip


# "OE-1:", "UD-2 -", "NFR 1 —", "[FR-12]": a short prefix, a small number and a separator opening a paragraph.
_PREFIXED = re.compile(
    r"^\s*[\[(]?(?P<id>(?P<prefix>[A-Za-z]{1,8})[-_ ]?(?P<number>\d{1,4})(?:\.\d{1,4})*)[\])]?"
    r"\s*(?:[:\u2013\u2014]|-\s|\.\s)\s*(?P<rest>\S.*)$",
    re.DOTALL,
)
# Once the document has taught a prefix, a space is separator enough: "FUN-01 The pump shall ...".
_PREFIXED_LOOSE = re.compile(
    r"^\s*[\[(]?(?P<id>(?P<prefix>[A-Za-z]{1,8})[-_ ]?(?P<number>\d{1,4})(?:\.\d{1,4})*)[\])]?"
    r"(?:\s*(?:[:\u2013\u2014]|-\s|\.\s)\s*|\s+)(?P<rest>\S.*)$",
    re.DOTALL,
)
# A prefix the document uses with this many different numbers is its own ID scheme.
_MIN_PREFIX_USES = 2
# "0260 The system ...", "0270 Username": nobody pads a count or a section number with zeros, so several
# different zero-padded numbers of one width opening paragraphs are the document's bare-number IDs.
_PADDED_NUMBER = re.compile(r"^\s*(?P<id>0\d{2,5})\s+[A-Za-z\"\u201c(]")
_MIN_PADDED_USES = 5


def learn_prefixes(texts: Iterable[str]) -> frozenset[str]:
    """Prefixes the document itself uses for IDs ("OE", "UD", "NFR"), lower-cased, and "0000" where it
    numbers requirements with zero-padded 4-digit numbers alone.

    Fixed prefix lists miss most real documents' schemes; a prefix that opens several paragraphs with
    different numbers and a separator ("OE-1: ...", "OE-2: ...") is one, whatever its letters.
    """
    numbers: dict[str, set[str]] = {}
    for text in texts:
        padded = _PADDED_NUMBER.match(text)
        if padded is not None:
            numbers.setdefault(_number_scheme(len(padded.group("id"))), set()).add(padded.group("id"))
            continue
        match = _PREFIXED.match(text)
        if match is None:
            continue
        prefix = match.group("prefix")
        # Capitals mark an abbreviation; a capitalised word ("Figure 3:", "Step 2 -") is prose.
        if not (prefix.isupper() or prefix.lower() in _REQUIREMENT_PREFIXES):
            continue
        if prefix.lower() in _NOT_REQUIREMENT_PREFIXES:
            continue
        numbers.setdefault(prefix.lower(), set()).add(match.group("number"))
    return frozenset(
        prefix
        for prefix, seen in numbers.items()
        if len(seen) >= (_MIN_PADDED_USES if prefix.isdigit() else _MIN_PREFIX_USES)
    )


def _number_scheme(width: int) -> str:
    """How a bare-number scheme of ``width`` digits stands among the learned prefixes: "0000"."""
    return "0" * width


def _split_bare_number(text: str, width: int) -> tuple[str | None, str]:
    """ "1010 The system ..." in a document numbering its requirements with 4 digits (past 0999 too)."""
    match = re.match(rf"^\s*(?P<id>\d{{{width}}})\s+(?P<rest>[A-Za-z\"\u201c(].*)$", text, re.DOTALL)
    if match is None:
        return None, text
    return match.group("id"), match.group("rest").strip()


def looks_like_id(value: str) -> bool:
    """Whether ``value`` on its own reads as a requirement identifier."""
    value = value.strip()
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1]
    if not _CANDIDATE.fullmatch(value) or len(value) > 40:
        return False
    digits = sum(char.isdigit() for char in value)
    if digits == 0:
        return False
    prefix = re.match(r"[A-Za-z]+", value)
    prefix_word = prefix.group(0).lower() if prefix else ""
    if prefix_word in _NOT_REQUIREMENT_PREFIXES:
        return False
    return digits >= 3 or prefix_word in _REQUIREMENT_PREFIXES


def split_leading_id(text: str, prefixes: frozenset[str] = frozenset()) -> tuple[str | None, str]:
    """Split ``"REQ-12: The pump shall stop."`` into ``("REQ-12", "The pump shall stop.")``.

    ``prefixes`` are the ID prefixes learned from the document (``learn_prefixes``).
    """
    if prefixes:
        learned = _PREFIXED_LOOSE.match(text)
        if learned is not None and learned.group("prefix").lower() in prefixes:
            return learned.group("id"), learned.group("rest").strip()
        for scheme in prefixes:
            if scheme.isdigit():
                found, rest = _split_bare_number(text, len(scheme))
                if found is not None:
                    return found, rest
    match = _LEADING.match(text)
    if match:
        candidate = match.group("bracketed") or match.group("parenthesised") or match.group("bare")
        if looks_like_id(candidate):
            return candidate, match.group("rest").strip()
    return None, text


def split_trailing_id(text: str) -> tuple[str | None, str]:
    """Split ``"The pump shall stop. [R-3]"`` into ``("R-3", "The pump shall stop.")``."""
    match = _TRAILING.match(text)
    if match:
        candidate = match.group("bracketed") or match.group("par")
        if looks_like_id(candidate):
            return candidate, match.group("rest").strip()
    return None, text


def split_id(text: str, prefixes: frozenset[str] = frozenset()) -> tuple[str | None, str]:
    """The identifier in front of or behind ``text`` (front wins) and the text without it."""
    found, rest = split_leading_id(text, prefixes)
    if found is None:
        found, rest = split_trailing_id(text)
    return found, rest
