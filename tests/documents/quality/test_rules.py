"""Each quality rule on sentences that must trigger it and sentences that must not.

Most sentences are quoted from the shared data sets (`promise_exp.csv`, `nasa_cfs_requirements.csv`); where
those hold too few cases of a rule (escape clauses, placeholders, tolerances), the sentence is written in
the same style and marked `# constructed`.
"""

import pytest

from documents.quality.rules import (
    RULES,
    Finding,
    QualityConfig,
    QualityConfigError,
    Severity,
    quality_score,
    requirement_check,
)

FIRES: dict[str, list[tuple[str, str]]] = {
    # rule: [(requirement text, the span the rule must report)]
    "vague_term": [
        ("The product shall respond fast to keep up-to-date data in the display.", "fast"),
        ("The system shall have a professional appearance", "professional"),
        ("The product shall be easy for a realtor to learn.", "easy"),
        ("The product shall produce search results in an acceptable time", "acceptable"),
        ("The system shall be intuitive and self explanatory.", "intuitive"),
    ],
    "escape_clause": [
        ("The product shall give users feedback when necessary.", "when necessary"),
        ("The cFE shall log the reset type if possible.", "if possible"),  # constructed
        ("The operator display shall be updated as appropriate.", "as appropriate"),  # constructed
        ("DS shall close the file where applicable.", "where applicable"),  # constructed
        ("The system shall archive records to the extent possible.", "to the extent possible"),  # constructed
    ],
    "open_ended": [
        (
            "The system shall notify students of changes including but not limited to class cancellations.",
            "including but not limited to",
        ),
        ("CS shall checksum the OS code segment, cFE code segment etc) and report it.", "etc"),
        ("The product shall support reports, charts, etc.", "etc."),  # constructed
        ("The display shall show venues, events and so on.", "and so on"),  # constructed
        ("The system shall accept PDF, XLSX and the like.", "and the like"),  # constructed
    ],
    "superfluous_infinitive": [
        (
            "The system shall offer the ability to pause and resume the refresh of data.",
            "offer the ability to",
        ),
        ("The product shall be able to support multiple remote users", "be able to"),
        ("The product shall be capable of handling the existing 1000 users.", "be capable of"),
        (
            "CS shall provide the ability to dump the baseline CRCs and status for the tables.",
            "provide the ability to",
        ),
        ("The user shall be able to get driving directions to a selected property", "be able to"),
    ],
    "several_requirements": [
        ("The load shall be aborted and an event message shall be generated.", "shall"),
        (
            "The response time of general student management tasks shall take no longer than 5 seconds and "
            "the response time of schedule generation shall take no longer than 30 seconds.",
            "shall",
        ),
        ("Upon any initialization and/or Packet Filter Table Update, DS shall validate the table.", "and/or"),
        (
            "SC shall execute no more than 10 commands per wakeup cycle from RTS and/or ATS tables.",
            "and/or",
        ),
        ("The cFE shall reject the call and the update must not occur.", "must"),
    ],
    "passive_without_agent": [
        (
            "The table side of the display shall be split into 2 regions: sequential and temporal.",
            "shall be split",
        ),
        ("Every user of the system shall be authenticated and authorized.", "shall be authenticated"),
        ("The realtor shall be notified of new client appointments.", "shall be notified"),
        ("If the Data Store does not exist, then the data shall not be copied.", "shall not be copied"),
        ("The search results shall be returned no later 30 seconds after the query.", "shall be returned"),
    ],
    "pronoun_without_referent": [
        ("The system shall color code events according to their variance from current time.", "their"),
        ("The product shall prevent its data from incorrect data being introduced.", "its"),
        ("If a user account is revoked it can only be re-instantiated by the System Administrator.", "it"),
        ("The product shall assign the organizers contact information to each meeting they create.", "they"),
        ("This shall be reported to the ground within one cycle.", "This"),  # constructed
    ],
    "negative_statement": [
        (
            "The System shall not require additional third party licenses resulting in royalty fees.",
            "shall not",
        ),
        ("The website shall not be offensive to religious or ethnic groups.", "shall not"),
        ("Users will not have direct access to data files or databases.", "will not"),
        ("Users without the supervisor role cannot access the repair facility ratings.", "cannot"),
        ("A display shall not require a user to log in.", "shall not"),
    ],
    "comparative": [
        ("The system shall locate the preferred repair facility with the highest ratings.", "highest"),
        ("The product shall use a standard navigation menu familiar to most web users.", "most"),
        ("The system shall display the most frequently searched items by the user.", "most"),
        ("The new display shall respond faster.", "faster"),  # constructed
        ("The product shall use the best available algorithm.", "best"),  # constructed
    ],
    "quantity_without_unit": [
        ("The system shall respond within 5.", "within 5"),  # constructed
        ("The product shall support at least 200 and log each session.", "at least 200"),  # constructed
        ("The supply voltage shall be 12 V.", "12 V"),  # constructed
        ("The bracket length shall be 50 mm.", "50 mm"),  # constructed
        ("The heater shall refresh every 30, unless disabled.", "every 30"),  # constructed
    ],
    "placeholder": [
        ("MM shall write a maximum of <PLATFORM_DEFINED, TBD> bytes per execution cycle", "TBD"),
        ("The timeout shall be TBC seconds.", "TBC"),  # constructed
        ("The interface protocol is to be determined.", "to be determined"),  # constructed
        ("The maximum load shall be [?] kN.", "[?]"),  # constructed
        ("The log size is TBR by the operations team.", "TBR"),  # constructed
    ],
    "absolute_term": [
        (
            "The Disputes System shall prevent the creation of duplicate dispute requests 100% of the time.",
            "100%",
        ),
        ("The system's back-end servers shall never display a customer's password.", "never"),
        ("The system shall always log the reset type.", "always"),  # constructed
        ("The gateway shall be available at all times.", "at all times"),  # constructed
        ("The tool shall guarantee a response.", "guarantee"),  # constructed
    ],
}

SILENT: dict[str, list[str]] = {
    # rule: requirement texts on which it must not fire
    "vague_term": [
        "The system shall refresh the display every 60 seconds.",
        "The system shall display Events in a vertical table by time.",
        "CS shall generate a housekeeping message containing: g) Good destination file I/O Counter",
        "The cFE shall clear the Exception and Reset Log.",
        "The system shall be available for use between the hours of 8am and 6pm.",
    ],
    "escape_clause": [
        "The product shall give users feedback within 2 seconds of each command.",
        "The cFE shall reject the command if the file does not exist.",
        "DS shall close the file when it reaches the maximum size of 4 MB.",
        "The system shall allow a user to define the time segments",
        "Upon receipt of a Request the cFE shall reload the requested application.",
    ],
    "open_ended": [
        "The system shall filter data by: Venues and Key Events.",
        "The cFE shall log the following: - A time stamp - Processor Context information",
        "The display shall include the time and the date.",
        "The system shall display data from the Sync Matrix 1.0 and Exercise Management Tool 1.0",
        "The product shall support 10 or more users and more than 3 sites.",
    ],
    "superfluous_infinitive": [
        "The system shall display the local and exercise time in separate clocks",
        "The user shall be allowed to log in with a password.",
        "The cFE shall enable the command-specified channel.",
        "The operator can be notified by the ground system.",
        "The product shall provide charts for the Activity or Event actual versus assumed time.",
    ],
    "several_requirements": [
        "The system shall display Events or Activities.",
        "Upon receipt of a Command, the cFE shall generate a NO-OP event message.",
        "The system shall display the local and exercise time in separate clocks",
        "The product shall log the time and the date of each access.",
        "The product must run using Internet Explorer and Netscape Navigator.",
        # Two sentences glued by a missing space are two sentences, as they are with the space.
        "The product shall be internet browser independent.The product must run using Internet Explorer.",
    ],
    "passive_without_agent": [
        "The data shall be approved by the operator before upload.",
        "The system shall refresh the display every 60 seconds.",
        "The product shall be available during normal business hours.",
        "The controller shall be red when it is in fault mode.",
        "The system shall be used by realtors with no training.",
    ],
    "pronoun_without_referent": [
        "The system shall display Events in a vertical table by time.",
        "The IT department shall approve each new account.",
        "This document specifies the ground segment.",
        "The cFE shall increment the invalid Command counter and generate an event message.",
        "The product shall use symbols and words that are naturally understandable by the realtor community.",
    ],
    "negative_statement": [
        "If the original cFE Application file is not found then the cFE shall reject the Command.",
        "If a file is not specified, the cFE shall use the default file name.",
        "The system shall display Events or Activities.",
        "Notes are stored in the log.",
        "The cFE shall increment a valid Command counter.",
    ],
    "comparative": [
        "If the specified size is less than the minimum block size, the cFE shall reject the request.",
        "SC shall execute no more than 10 commands per wakeup cycle.",
        "The system shall enable user to add one or more component to the configuration.",
        "The product shall support at least 50 users and at most 200 sessions.",
        "The cFE shall write the log from the earliest logged message to the most recently logged message.",
    ],
    "quantity_without_unit": [
        "The system shall refresh the display every 60 seconds.",
        "The supply voltage shall be 12 V ± 0.5 V.",
        "The search results shall be returned within 30 seconds.",
        "Note that the signature must be 32 bit aligned.",
        "The bracket length shall be between 49 mm and 51 mm.",
    ],
    "placeholder": [
        "The system shall display the TBL services status.",
        "The table shall be defined in the interface control document.",
        "The cFE shall support the Table Services (cTBL6005).",
        "The operator shall confirm each upload.",
        "The TBDS subsystem shall log every transfer.",
    ],
    "absolute_term": [
        "The system shall refresh the display every 60 seconds.",
        "The product shall be available 99% of the time during the first six months of operation.",
        "The product shall retain user preferences in the event of a failure.",
        "The cFE shall enter the fail safe mode on a watchdog reset.",
        "Out of 1000 accesses to the system the system is available 999 times.",
    ],
}


def spans_of(rule: str, text: str) -> list[str]:
    return [finding.text for finding in requirement_check(text) if finding.rule == rule]


def test_every_rule_has_at_least_five_sentences_that_fire_and_five_that_must_not() -> None:
    assert sorted(FIRES) == sorted(RULES) == sorted(SILENT)
    assert all(len(cases) >= 5 for cases in FIRES.values())
    assert all(len(cases) >= 5 for cases in SILENT.values())


@pytest.mark.parametrize(
    ("rule", "text", "span"), [(rule, text, span) for rule, cases in FIRES.items() for text, span in cases]
)
def test_the_rule_fires_on_the_span_it_concerns(rule: str, text: str, span: str) -> None:
    assert span in spans_of(rule, text)


@pytest.mark.parametrize(("rule", "text"), [(rule, text) for rule, texts in SILENT.items() for text in texts])
def test_the_rule_stays_silent_on_a_near_miss(rule: str, text: str) -> None:
    assert spans_of(rule, text) == []


def test_a_finding_carries_its_offsets_explanation_and_hint() -> None:
    text = "The product shall respond fast."

    (finding,) = requirement_check(text)

    assert finding == Finding("vague_term", Severity.MEDIUM, 26, 30, "fast")
    assert text[finding.start : finding.end] == "fast"
    assert finding.message == RULES["vague_term"].explanation
    assert finding.hint.startswith("Replace it with a measurable criterion")


def test_the_score_takes_off_points_by_severity_and_never_goes_below_zero() -> None:
    clean = requirement_check("The system shall refresh the display every 60 seconds.")
    # escape clause (high, 25) + vague term (medium, 10)
    two = requirement_check("The product shall respond fast if possible.")
    awful = requirement_check("It shall always be TBD, TBC, TBR if possible, as appropriate, etc.")

    assert (clean, quality_score(clean)) == ([], 100)
    assert [f.rule for f in two] == ["vague_term", "escape_clause"]
    assert quality_score(two) == 65
    assert quality_score(awful) == 0


def test_a_disabled_rule_does_not_fire_and_a_project_word_joins_the_vague_terms() -> None:
    config = QualityConfig(disabled_rules=frozenset({"vague_term"}), extra_vague_terms=("snappy",))
    project_words = QualityConfig(extra_vague_terms=("snappy", "rock solid"))

    assert requirement_check("The product shall respond fast.", config=config) == []
    assert spans_of("vague_term", "The UI shall be snappy.") == []
    assert [
        f.text for f in requirement_check("The UI shall be snappy and rock solid.", config=project_words)
    ] == [
        "snappy",
        "rock solid",
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"disabled_rules": frozenset({"vague_term", "no_such_rule"})}, "Unknown quality rule no_such_rule;"),
        ({"extra_vague_terms": ("  ",)}, "A vague term must contain a word; got '  '."),
    ],
)
def test_a_config_naming_an_unknown_rule_or_an_empty_word_is_refused(
    kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(QualityConfigError) as refused:
        QualityConfig(**kwargs)  # type: ignore[arg-type]

    assert str(refused.value).startswith(message)


def test_a_full_stop_without_a_space_ends_a_sentence_but_not_inside_abbreviations_or_numbers() -> None:
    glued = "The product shall be platform independent.The product shall enable access to any platform."
    spaced = glued.replace(".The", ". The")

    assert spans_of("several_requirements", glued) == spans_of("several_requirements", spaced) == []
    assert spans_of("several_requirements", "The U.S.Army shall receive v1.2 and the unit shall log it.") == [
        "shall"
    ]
