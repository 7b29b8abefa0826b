"""Findings stored when requirements are stored, rechecked when the rules change, summarised per document."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from documents.models import Document, DocumentStatus, QualityFinding, RequirementQuality
from documents.quality import services
from documents.quality.rules import RULES
from documents.quality.selectors import document_quality_summary, requirement_findings
from documents.quality.services import document_quality_check, quality_recheck
from documents.services.ingest import document_ingest
from documents.services.upload import document_upload
from selko.tenancy.models import Project
from tests.documents.ingest_files import requirements_xlsx
from tests.models_app.factories import DocumentFactory, RequirementFactory

pytestmark = pytest.mark.django_db

ROWS = [
    ["SYS-1", "The system shall log every login attempt.", "Security"],
    ["SYS-2", "The system shall respond fast if possible.", "Security"],
    ["SYS-3", "The timeout shall be TBD.", "UI"],
]


def findings_of(document: Document) -> list[tuple[str, str, str]]:
    return [
        (finding.requirement.external_id, finding.rule, finding.requirement.text[finding.start : finding.end])
        for finding in QualityFinding.objects.filter(requirement__document=document).select_related(
            "requirement"
        )
    ]


def scores_of(document: Document) -> dict[str, int]:
    return dict(
        RequirementQuality.objects.filter(requirement__document=document).values_list(
            "requirement__external_id", "score"
        )
    )


def test_an_ingest_stores_each_requirements_findings_and_score(
    project: Project, editor: object, settings: object, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    data = requirements_xlsx(ROWS)
    result = document_upload(
        user=editor, project=project, upload=SimpleUploadedFile("reqs.xlsx", data), filename="reqs.xlsx"
    )

    document_ingest(document_id=result.document.pk, revision_id=result.revision.pk, findings_now=True)

    document = Document.objects.get(pk=result.document.pk)
    assert document.status == DocumentStatus.PARSED
    assert findings_of(document) == [
        ("SYS-2", "vague_term", "fast"),
        ("SYS-2", "escape_clause", "if possible"),
        ("SYS-3", "placeholder", "TBD"),
    ]
    assert scores_of(document) == {"SYS-1": 100, "SYS-2": 65, "SYS-3": 75}


def test_a_recheck_replaces_the_findings_and_informative_text_gets_none() -> None:
    document = DocumentFactory()
    requirement = RequirementFactory(document=document, text="It shall always work.")
    RequirementFactory(document=document, text="This section is informative, etc.", is_requirement=False)

    assert document_quality_check(document_id=document.pk) == 1
    assert document_quality_check(document_id=document.pk) == 1

    assert [
        (f.rule, f.start, f.end) for f in QualityFinding.objects.filter(requirement__document=document)
    ] == [
        ("pronoun_without_referent", 0, 2),
        ("absolute_term", 9, 15),
    ]
    assert scores_of(document) == {requirement.external_id: 85}


def test_quality_recheck_only_touches_requirements_of_an_older_rules_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fresh, stale, unchecked = DocumentFactory(), DocumentFactory(), DocumentFactory()
    for document in (fresh, stale, unchecked):
        RequirementFactory(document=document, text="The system shall respond fast.")
    document_quality_check(document_id=fresh.pk)
    document_quality_check(document_id=stale.pk)
    RequirementQuality.objects.filter(requirement__document=stale).update(rules_version=0)

    checked = quality_recheck()

    assert checked == 2
    assert set(RequirementQuality.objects.values_list("rules_version", flat=True)) == {services.RULES_VERSION}
    assert quality_recheck() == 0
    assert quality_recheck(project_id=fresh.project_id, everything=True) == 1


def test_the_document_summary_counts_rules_and_names_the_worst_sections() -> None:
    document = DocumentFactory()
    RequirementFactory(document=document, text="The system shall respond fast.", section_key="2 UI")
    RequirementFactory(document=document, text="It shall be TBD.", section_key="3 Safety")
    RequirementFactory(document=document, text="The system shall log every login.", section_key="2 UI")
    document_quality_check(document_id=document.pk)

    summary = document_quality_summary(document=document)

    assert summary.checked == 3
    assert summary.average_score == 86.7  # (90 + 70 + 100) / 3: TBD is high, the pronoun low
    assert [(count.rule, count.requirements) for count in summary.by_rule] == [
        ("vague_term", 1),
        ("pronoun_without_referent", 1),
        ("placeholder", 1),
    ]
    assert [(s.section, s.average_score, s.requirements) for s in summary.worst_sections] == [
        ("3 Safety", 70.0, 1),
        ("2 UI", 95.0, 2),
    ]
    assert [(d.document_id, d.average_score, d.findings) for d in summary.worst_documents] == [
        (document.pk, 86.7, 3)
    ]


def test_requirement_findings_carry_the_span_text_and_the_rules_words() -> None:
    requirement = RequirementFactory(text="The product shall respond fast.")
    document_quality_check(document_id=requirement.document_id)

    (view,) = requirement_findings(requirement=requirement, findings=list(requirement.quality_findings.all()))

    assert (view.rule, view.title, view.severity, view.text) == (
        "vague_term",
        "Vague or subjective term",
        "medium",
        "fast",
    )
    assert view.hint.startswith("Replace it with a measurable criterion")


def test_quality_check_command_prints_one_json_object_per_csv_row(tmp_path: Path) -> None:
    data = tmp_path / "reqs.csv"
    data.write_text("id,body\nR1,The system shall respond fast.\nR2,The system shall log each login.\n")
    out = StringIO()

    call_command("quality_check", "--data", str(data), "--text-col", "body", "--json", stdout=out)

    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert rows == [
        {
            "row": 1,
            "id": "R1",
            "score": 90,
            "findings": [
                {
                    "rule": "vague_term",
                    "severity": "medium",
                    "start": 25,
                    "end": 29,
                    "text": "fast",
                    "message": RULES["vague_term"].explanation,
                }
            ],
        },
        {"row": 2, "id": "R2", "score": 100, "findings": []},
    ]


def test_quality_check_command_names_the_missing_column_and_the_missing_file(tmp_path: Path) -> None:
    data = tmp_path / "reqs.csv"
    data.write_text("id,body\nR1,The system shall respond fast.\n")

    with pytest.raises(CommandError) as no_column:
        call_command("quality_check", "--data", str(data), "--json", stdout=StringIO())
    with pytest.raises(CommandError) as no_file:
        call_command("quality_check", "--data", str(tmp_path / "nope.csv"), "--json", stdout=StringIO())

    assert str(no_column.value) == f"{data} has no column 'text'; its columns: id, body."
    assert str(no_file.value) == f"Cannot read {tmp_path / 'nope.csv'}: No such file or directory."
