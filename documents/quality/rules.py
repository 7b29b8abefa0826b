"""Requirement-quality rules: the wording checks of the INCOSE Guide for Writing Requirements and the
requirement-smell literature (Femmer et al.), as a plain-Python library with no Django.

`requirement_check(text)` returns the findings of one requirement (rule id, severity, the span of text it
concerns, an explanation and a hint for rewriting); `quality_score(findings)` turns them into 0-100.
Every rule is a regular expression over the text (plus a little context), so a check costs tens of
microseconds: thousands of requirements per second on one core, which a parser-based check (spaCy) is not.
Regular expressions miss what needs grammar, so each rule is tuned to fire on the clear cases and stay
silent on the near misses its tests list, rather than to catch everything.

Bump `RULES_VERSION` whenever a rule or a word list changes: stored findings of an older version are
recomputed by `manage.py quality_recheck`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum

RULES_VERSION = 2  # 2: a full stop without a space after it ends a sentence


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


# Points a finding of each severity takes off a perfect 100.
SEVERITY_PENALTY = {Severity.HIGH: 25, Severity.MEDIUM: 10, Severity.LOW: 5}


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    start: int
    end: int
    text: str  # the text of the span, for display and export

    @property
    def message(self) -> str:
        return RULES[self.rule].explanation

    @property
    def hint(self) -> str:
        return RULES[self.rule].hint


class QualityConfigError(ValueError):
    """A project's quality settings name something that does not exist."""


@dataclass(frozen=True)
class QualityConfig:
    """A project's choices: rules turned off, and its own words added to the vague-term list."""

    disabled_rules: frozenset[str] = frozenset()
    extra_vague_terms: tuple[str, ...] = ()
    _vague_pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        unknown = sorted(set(self.disabled_rules) - set(RULES))
        if unknown:
            raise QualityConfigError(
                f"Unknown quality rule {', '.join(unknown)}; the rules are {', '.join(sorted(RULES))}."
            )
        for term in self.extra_vague_terms:
            if not term.strip() or not re.search(r"\w", term):
                raise QualityConfigError(f"A vague term must contain a word; got {term!r}.")
        object.__setattr__(
            self,
            "_vague_pattern",
            _words_pattern((*VAGUE_TERMS, *(t.strip() for t in self.extra_vague_terms))),
        )

    @property
    def vague_pattern(self) -> re.Pattern[str]:
        return self._vague_pattern


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    severity: Severity
    explanation: str
    hint: str
    spans: Callable[[str, QualityConfig], Iterable[tuple[int, int]]]


def _words_pattern(words: Iterable[str], flags: int = re.IGNORECASE) -> re.Pattern[str]:
    # Longest first, so "including but not limited to" wins over a shorter entry that starts the same way.
    alternatives = sorted({re.escape(w).replace(r"\ ", r"\s+") for w in words}, key=len, reverse=True)
    # The leading \b lets the engine skip positions inside a word before trying any alternative.
    return re.compile(r"\b(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", flags)


def _matches(pattern: re.Pattern[str], text: str, group: int = 0) -> Iterator[tuple[int, int]]:
    for match in pattern.finditer(text):
        yield match.span(group)


# A full stop glued to the next sentence ("independent.The product") ends a sentence too when a word of
# two or more lower-case letters precedes it and a capitalised word follows: "U.S.Army", "v1.2" and
# "e.g.The" keep their full stops.
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[A-Z(\"'])|(?<=[a-z]{2}[.;!?])(?=[A-Z][a-z])")


def _sentences(text: str) -> Iterator[tuple[int, str]]:
    """(offset, sentence) pieces; an abbreviation split too early only makes a sentence shorter."""
    start = 0
    for match in _SENTENCE_END.finditer(text):
        yield start, text[start : match.start()]
        start = match.end()
    yield start, text[start:]


# --- vague or subjective terms (INCOSE R7, Femmer "subjective language", "vague pronouns") -------------
VAGUE_TERMS = (
    "adequate", "adequately", "sufficient", "sufficiently", "reasonable", "reasonably", "user-friendly",
    "user friendly", "easy", "easily", "easy to use", "fast", "quick", "quickly", "efficient", "efficiently",
    "flexible", "robust", "intuitive", "intuitively", "acceptable", "normally", "significant",
    "significantly", "minimal", "several", "various", "many", "few", "simple", "simply", "good", "bad",
    "timely", "seamless", "seamlessly", "state-of-the-art", "state of the art", "high quality",
    "high-quality", "appropriately", "properly", "suitable", "suitably", "clearly", "effective",
    "effectively", "modern", "professional", "self-explanatory", "self explanatory", "usually", "generally",
    "typically", "relevant",
)  # fmt: skip


def _vague_spans(text: str, config: QualityConfig) -> Iterator[tuple[int, int]]:
    for match in config.vague_pattern.finditer(text):
        capitalised = match.group()[:1].isupper()
        if capitalised and match.start() > 0 and not re.search(r"[.:;!?]\s*$", text[: match.start()]):
            continue  # "Good destination file I/O Counter": part of a name, not an adjective
        yield match.span()


# --- escape clauses (INCOSE R8) ----------------------------------------------------------------------
_ESCAPE = _words_pattern(
    (
        "if possible", "where possible", "whenever possible", "as far as possible", "to the extent possible",
        "to the extent practical", "if practical", "where practical", "if practicable", "as appropriate",
        "where appropriate", "if appropriate", "as applicable", "where applicable", "if applicable",
        "as required", "if required", "as necessary", "if necessary", "where necessary", "when necessary",
        "if needed", "as needed", "where feasible", "if feasible", "as much as possible", "unless otherwise",
        "as a minimum", "but not necessarily", "to the extent necessary", "as soon as possible",
    )
)  # fmt: skip

# --- open-ended lists (INCOSE R9: avoid open-ended clauses) ------------------------------------------
_OPEN_ENDED = re.compile(
    r"\betc\b\.?|\band\s+so\s+(?:on|forth)\b|\bincluding,?\s+but\s+not\s+limited\s+to\b|\bamong\s+others\b"
    r"|\band\s+the\s+like\b|\bor\s+similar\b|\band\s+similar\b|\band\s+more\b(?!\s+than)",
    re.IGNORECASE,
)

# --- superfluous infinitives (INCOSE R10) --------------------------------------------------------------
_INFINITIVE = re.compile(
    r"\b(?:be\s+able\s+to|be\s+capable\s+of|have\s+the\s+(?:cap)?ability\s+to"
    r"|(?:provide|offer|give)\s+(?:the\s+|a\s+)?(?:user\s+)?(?:cap)?ability\s+to|be\s+designed\s+to)\b",
    re.IGNORECASE,
)

# --- more than one requirement in a sentence (INCOSE R18: one thought per requirement) ---------------
_MODAL = re.compile(r"\b(?:shall|must)\b", re.IGNORECASE)
_AND_OR = re.compile(r"\band\s*/\s*or\b", re.IGNORECASE)


def _several_requirements(text: str, config: QualityConfig) -> Iterator[tuple[int, int]]:
    for offset, sentence in _sentences(text):
        modals = list(_MODAL.finditer(sentence))
        for extra in modals[1:]:
            yield offset + extra.start(), offset + extra.end()
    yield from _matches(_AND_OR, text)


# --- passive voice without an agent (INCOSE R2: active voice, the entity is the subject) -------------
_IRREGULAR_PARTICIPLES = (
    "done", "sent", "shown", "given", "made", "taken", "known", "written", "built", "kept", "held", "set",
    "put", "read", "found", "run", "seen", "chosen", "drawn", "driven", "met", "paid", "sold", "told",
    "brought", "bought", "caught", "taught", "thrown", "understood", "withdrawn", "hidden", "begun", "cut",
    "shut", "split", "spread", "struck", "sunk", "undertaken", "overridden", "rewritten", "forbidden",
)  # fmt: skip
_NOT_PARTICIPLES = frozenset({"need", "speed", "feed", "seed", "red", "bed", "shed", "bred", "hundred"})
_PASSIVE = re.compile(
    r"\b(?:shall|must|will|should|may|can)\s+(?:not\s+|also\s+|only\s+|always\s+|never\s+)?be\s+"
    r"(?:\w+ly\s+)?(?P<verb>\w+ed|" + "|".join(_IRREGULAR_PARTICIPLES) + r")\b",
    re.IGNORECASE,
)
_BY_AGENT = re.compile(r"\bby\b", re.IGNORECASE)


def _passive_without_agent(text: str, config: QualityConfig) -> Iterator[tuple[int, int]]:
    for offset, sentence in _sentences(text):
        for match in _PASSIVE.finditer(sentence):
            if match.group("verb").lower() in _NOT_PARTICIPLES:
                continue
            if _BY_AGENT.search(sentence, match.end()):
                continue  # "shall be approved by the operator" names who does it
            yield offset + match.start(), offset + match.end()


# --- pronouns without a referent (INCOSE R24) ----------------------------------------------------------
# Case-sensitive on purpose: "IT" (information technology) and "US" are not pronouns.
_PRONOUN = re.compile(r"\b(?:[Ii]t|[Ii]ts|[Tt]hey|[Tt]hem|[Tt]heir|[Hh]e|[Ss]he|[Hh]im|[Hh]is|[Hh]er)\b")
# A demonstrative that opens a requirement points at text outside it.
_LEADING_DEMONSTRATIVE = re.compile(
    r"^\s*(?:This|These|Those|That)\b(?!\s+(?:document|specification|section)\b)"
)


def _pronoun_spans(text: str, config: QualityConfig) -> Iterator[tuple[int, int]]:
    yield from _matches(_LEADING_DEMONSTRATIVE, text)
    yield from _matches(_PRONOUN, text)


# --- negative statements (INCOSE R16) ------------------------------------------------------------------
# Only the requirement's own statement: "if the file is not found, the system shall …" is a condition.
_NEGATIVE = re.compile(
    r"\b(?:shall|must|will|should)\s+not\b|\bcannot\b|\bshan't\b|\bmustn't\b|\bwon't\b|\bneither\b",
    re.IGNORECASE,
)

# --- comparatives and superlatives without a reference (INCOSE R33, Femmer) ----------------------------
_COMPARATIVE = re.compile(
    r"(?<!\bat\s)\b(?P<word>better|worse|faster|slower|higher|lower|greater|larger|smaller|more|less|easier"
    r"|simpler|quicker|cheaper|stronger|best|worst|fastest|slowest|highest|lowest|largest|smallest|most"
    r"|least|greatest|easiest|simplest|optimal|optimum|optimally)\b"
    r"(?!(?:\s+[\w-]+){0,3}\s+than\b)"  # "greater than the maximum", "more data than": a reference is given
    r"(?!\s+recent)"
    r"(?!\s+(?:limits?|bounds?|case|layers?|levels?|thresholds?|half|part)\b)",
    re.IGNORECASE,
)


def _comparative_spans(text: str, config: QualityConfig) -> Iterator[tuple[int, int]]:
    for match in _COMPARATIVE.finditer(text):
        before = text[max(0, match.start() - 8) : match.start()].lower()
        if re.search(r"\b(?:at|no|not|or)[\s-]+$", before):
            continue  # "at least 5", "no more than 3", "one or more": a bound, not a comparison
        yield match.span()


# --- quantities without units or tolerances (INCOSE R34: measurable performance) ----------------------
_NUMBER = r"\d+(?:[.,]\d+)?"
_BOUND_WORDS = (
    r"within|less\s+than|more\s+than|fewer\s+than|greater\s+than|at\s+least|at\s+most|no\s+more\s+than"
    r"|no\s+less\s+than|up\s+to|every|maximum\s+of|minimum\s+of|exceed|below|above|under|over|after"
)
# A bound followed by a bare number: "within 5." says five of what?
_BARE_QUANTITY = re.compile(
    r"\b(?:"
    + _BOUND_WORDS
    + r")\s+(?P<n>"
    + _NUMBER
    + r")(?=\s*(?:$|[.,;:)]|\s+(?:and|or|if|when|unless)\b))",
    re.IGNORECASE,
)
_UNITS = (
    r"mm|cm|m|km|µm|um|nm|in|ft|g|kg|t|mg|s|ms|µs|us|ns|min|h|Hz|kHz|MHz|GHz|V|mV|kV|A|mA|W|kW|MW|Wh|kWh"
    r"|°C|°F|K|Pa|kPa|MPa|bar|N|kN|Nm|dB|dBm|km/h|m/s|m/s2|m/s²|rpm|lux|l|L|ml|mL"
)
# "shall be 12 V": a nominal value with nothing about how far from it is acceptable.
_NOMINAL_VALUE = re.compile(
    r"\b(?:shall|must)\s+(?:be|equal|measure|weigh)\s+(?:equal\s+to\s+|exactly\s+)?(?P<v>" + _NUMBER
    + r")\s?(?:" + _UNITS + r")(?![\w/])",
)  # fmt: skip
_TOLERANCE = re.compile(
    r"±|\+/-|\+-|\btolerance\b|\baccuracy\b|\bbetween\b|\brange\b|\bmin(?:imum)?\b|\bmax(?:imum)?\b|\bnominal\b",
    re.IGNORECASE,
)


def _quantity_spans(text: str, config: QualityConfig) -> Iterator[tuple[int, int]]:
    if not any(character.isdigit() for character in text):
        return
    yield from _matches(_BARE_QUANTITY, text, group=0)
    for offset, sentence in _sentences(text):
        if _TOLERANCE.search(sentence):
            continue
        for match in _NOMINAL_VALUE.finditer(sentence):
            yield offset + match.start("v"), offset + match.end()


# --- placeholders (INCOSE R32: no TBD in a baselined requirement) --------------------------------------
_PLACEHOLDER = re.compile(
    r"\bTB[DCRSAP]\b|\[\s*\?+\s*\]|\bXXX+\b"
    r"|(?i:\bto\s+be\s+(?:determined|confirmed|defined|decided|specified|resolved|supplied)\b)"
)


# --- absolute terms (INCOSE R26: avoid absolutes that cannot be verified) ------------------------------
_ABSOLUTE = re.compile(
    r"\balways\b|\bnever\b|\b100\s?%|\b100\s+percent\b|\bat\s+all\s+times\b|\bunder\s+(?:all|any)\s+circumstances\b"
    r"|\bin\s+all\s+cases\b|\bwithout\s+(?:any\s+)?exception\b|\bcompletely\b|\bentirely\b|\btotally\b"
    r"|\bguarantee(?:s|d)?\b|\bzero\s+(?:defects|errors|failures|downtime)\b|\bfail-?safe\b(?!\s+(?:state|mode))",
    re.IGNORECASE,
)


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule(
            "vague_term", "Vague or subjective term", Severity.MEDIUM,
            "This word means different things to different readers and cannot be verified.",
            "Replace it with a measurable criterion (a value with a unit, a reference to a standard).",
            _vague_spans,
        ),
        Rule(
            "escape_clause", "Escape clause", Severity.HIGH,
            "An escape clause lets the supplier decide whether the requirement applies.",
            "State the condition under which it applies, or delete the clause.",
            lambda text, config: _matches(_ESCAPE, text),
        ),
        Rule(
            "open_ended", "Open-ended list", Severity.MEDIUM,
            "An open-ended list cannot be verified: nobody knows when it is complete.",
            "List every item, or refer to a document or table that does.",
            lambda text, config: _matches(_OPEN_ENDED, text),
        ),
        Rule(
            "superfluous_infinitive", "Superfluous infinitive", Severity.LOW,
            "\"Be able to\" and its kin state a capability instead of the behaviour that is required.",
            "Write the behaviour directly: \"shall be able to display\" becomes \"shall display\".",
            lambda text, config: _matches(_INFINITIVE, text),
        ),
        Rule(
            "several_requirements", "More than one requirement", Severity.MEDIUM,
            "This sentence states more than one requirement: each cannot be traced and verified on its own.",
            "Split it into one requirement per \"shall\"; replace \"and/or\" with either \"and\" or \"or\".",
            _several_requirements,
        ),
        Rule(
            "passive_without_agent", "Passive voice without an agent", Severity.LOW,
            "The passive voice hides who or what is responsible for the action.",
            "Name the entity that acts as the subject: \"The controller shall log …\".",
            _passive_without_agent,
        ),
        Rule(
            "pronoun_without_referent", "Pronoun without a referent", Severity.LOW,
            "A pronoun or a leading \"this\" refers to something the requirement does not name.",
            "Repeat the noun it stands for, so the requirement reads on its own.",
            _pronoun_spans,
        ),
        Rule(
            "negative_statement", "Negative statement", Severity.LOW,
            "What must not happen is hard to verify: the list of things not done is endless.",
            "State what the system shall do instead, or bound the negative to a verifiable condition.",
            lambda text, config: _matches(_NEGATIVE, text),
        ),
        Rule(
            "comparative", "Comparative or superlative", Severity.MEDIUM,
            "A comparative or superlative without a reference value cannot be verified.",
            "Give the value or the reference it is compared with: \"faster\" becomes \"within 200 ms\".",
            _comparative_spans,
        ),
        Rule(
            "quantity_without_unit", "Quantity without a unit or tolerance", Severity.MEDIUM,
            "A number without a unit, or a value without a tolerance, leaves the acceptance criterion open.",
            "Add the unit, and the tolerance or range that is acceptable (\"12 V ± 0.5 V\").",
            _quantity_spans,
        ),
        Rule(
            "placeholder", "TBD / TBC placeholder", Severity.HIGH,
            "The requirement is incomplete: a value or a decision is still to be determined.",
            "Resolve the placeholder, or track it as an open issue with an owner and a date.",
            lambda text, config: _matches(_PLACEHOLDER, text),
        ),
        Rule(
            "absolute_term", "Absolute term", Severity.MEDIUM,
            "An absolute (always, never, 100 %) cannot be verified by any finite test.",
            "State the conditions and a measurable level: \"available 99.9 % of the time over a month\".",
            lambda text, config: _matches(_ABSOLUTE, text),
        ),
    )
}  # fmt: skip

DEFAULT_CONFIG = QualityConfig()


def requirement_check(text: str, *, config: QualityConfig = DEFAULT_CONFIG) -> list[Finding]:
    """The findings for one requirement's text, in the order of their spans."""
    findings: list[Finding] = []
    for rule in RULES.values():
        if rule.id in config.disabled_rules:
            continue
        for start, end in sorted(set(rule.spans(text, config))):
            findings.append(Finding(rule.id, rule.severity, start, end, text[start:end]))
    findings.sort(key=lambda f: (f.start, f.end, f.rule))
    return findings


def quality_score(findings: Iterable[Finding]) -> int:
    """100 for a requirement with no finding; each finding takes off the points of its severity."""
    return max(0, 100 - sum(SEVERITY_PENALTY[finding.severity] for finding in findings))
