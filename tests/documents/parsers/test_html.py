"""HTML specifications: headings give the section path, list items are segments with their stem, requirement
tables are read row by row, and nothing in the page runs, is fetched or expands."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from documents.models import Document, DocumentStatus
from documents.parsers import ContentTypeMismatch, DocumentKind, EmptyDocument, parse_document
from documents.services.ingest import document_ingest
from selko.tenancy.models import Project

# An IEEE-830-style SRS as a word processor or a wiki saves it: a script, styles, a navigation menu,
# headings, a stem with bullets, a numbered list, a requirement table and prose.
SRS_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Software Requirements Specification for Web Store</title>
  <style>h1 { color: navy } p.note { font-style: italic }</style>
  <script>document.write("<p>The system shall do what the script says.</p>");</script>
</head>
<body>
<nav><a href="#intro">Introduction</a> | <a href="#fr">Functional Requirements</a></nav>
<h1 id="intro">1 Introduction</h1>
<p>This document describes the <b>Web Store</b>, an online shop for
   second-hand books.</p>
<h1 id="fr">3 Functional Requirements</h1>
<h2>3.1 Ordering</h2>
<p>OE-1: The Web Store shall operate with every current browser.</p>
<p>OE-2: The Web Store shall keep a customer's basket for 30 days.</p>
<p>OE-3: The Web Store shall show the delivery date before payment.</p>
<p>The system shall support the following means of payment:</p>
<ul>
  <li>payment by credit card;</li>
  <li>payment by invoice, for registered customers.</li>
</ul>
<h2>3.2 Notifications</h2>
<ol>
  <li>The customer will receive an e-mail when an order ships.</li>
  <li>The customer will be able to stop all e-mails with one click.</li>
</ol>
<h2>3.3 Reports</h2>
<table border="1">
  <tr><th>ID</th><th>Requirement</th><th>Priority</th></tr>
  <tr><td>FR-1</td><td>The system shall export monthly sales as CSV.</td><td>High</td></tr>
  <tr><td>FR-2</td><td>The system should chart sales per category.</td><td>Low</td></tr>
</table>
<p class="note">Note: the reports module must be licensed separately.</p>
</body>
</html>
"""


def _parse(tmp_path: Path, text: str, name: str = "srs.html") -> object:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_document(path, filename=name, max_bytes=1_000_000)


def test_an_html_specification_is_read_with_its_structure(tmp_path: Path) -> None:
    document = _parse(tmp_path, SRS_HTML)

    assert document.kind is DocumentKind.HTML  # type: ignore[attr-defined]
    rows = [
        (segment.external_id, segment.text, segment.is_requirement, segment.section_path)
        for segment in document.segments  # type: ignore[attr-defined]
    ]
    ordering = ["3 Functional Requirements", "3.1 Ordering"]
    assert rows == [
        (
            None,
            "This document describes the Web Store, an online shop for second-hand books.",
            False,
            ["1 Introduction"],
        ),
        ("OE-1", "The Web Store shall operate with every current browser.", True, ordering),
        ("OE-2", "The Web Store shall keep a customer's basket for 30 days.", True, ordering),
        ("OE-3", "The Web Store shall show the delivery date before payment.", True, ordering),
        (None, "The system shall support the following means of payment:", True, ordering),
        (None, "payment by credit card;", True, ordering),
        (None, "payment by invoice, for registered customers.", True, ordering),
        # A numbered list under a requirements heading: its numbers are the items' IDs, "will" obliges
        (
            "1",
            "The customer will receive an e-mail when an order ships.",
            True,
            [*ordering[:1], "3.2 Notifications"],
        ),
        (
            "2",
            "The customer will be able to stop all e-mails with one click.",
            True,
            [*ordering[:1], "3.2 Notifications"],
        ),
        ("FR-1", "The system shall export monthly sales as CSV.", True, [*ordering[:1], "3.3 Reports"]),
        ("FR-2", "The system should chart sales per category.", True, [*ordering[:1], "3.3 Reports"]),
        (
            None,
            "Note: the reports module must be licensed separately.",
            False,
            [*ordering[:1], "3.3 Reports"],
        ),
    ]
    segments = document.segments  # type: ignore[attr-defined]
    assert segments[5].attributes == {"list stem": "The system shall support the following means of payment:"}
    assert segments[9].attributes == {"Priority": "High"}
    assert segments[10].obligation == "recommended"


def test_a_list_does_not_take_the_stem_of_an_earlier_list(tmp_path: Path) -> None:
    document = _parse(
        tmp_path,
        "<!doctype html><html><body><h1>2 Requirements</h1><p>The pump shall report:</p>"
        "<ul><li>its pressure;</li></ul><ol><li>The pump shall stop when the tank is empty.</li></ol>"
        "</body></html>",
    )

    last = document.segments[-1]  # type: ignore[attr-defined]
    assert (last.external_id, last.attributes) == ("1", {})


def test_an_item_of_a_nested_list_has_its_parent_item_as_stem(tmp_path: Path) -> None:
    # Given a stem whose list nests a second list under one of its items
    document = _parse(
        tmp_path,
        "<!doctype html><html><body><h1>2 Requirements</h1><p>The pump shall report:</p>"
        "<ul><li>its pressure at:<ul><li>the inlet;</li><li>the outlet;</li></ul></li>"
        "<li>its temperature.</li></ul></body></html>",
    )

    # Then each nested item is read with its parent item as stem, and obliges as the outer stem does
    segments = document.segments  # type: ignore[attr-defined]
    assert [(s.text, s.attributes.get("list stem"), s.is_requirement) for s in segments] == [
        ("The pump shall report:", None, True),
        ("its pressure at:", "The pump shall report:", True),
        ("the inlet;", "its pressure at:", True),
        ("the outlet;", "its pressure at:", True),
        ("its temperature.", "The pump shall report:", True),
    ]


def test_nothing_in_the_page_runs_expands_or_is_fetched(tmp_path: Path) -> None:
    # Entities declared in the page (a "billion laughs" or a file on the server) stay unexpanded text
    hostile = (
        '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<html><body><p>The pump shall log &b; and &x; daily.</p>"
        '<img src="http://example.invalid/track.png"><iframe src="http://example.invalid/"></iframe>'
        "</body></html>"
    )

    document = _parse(tmp_path, hostile)

    assert [segment.text for segment in document.segments] == [  # type: ignore[attr-defined]
        "The pump shall log &b; and &x; daily."
    ]


def test_a_page_with_only_scripts_is_empty(tmp_path: Path) -> None:
    with pytest.raises(EmptyDocument) as raised:
        _parse(tmp_path, "<!doctype html><html><head><script>alert('x')</script></head><body></body></html>")

    assert "HTML page" in raised.value.user_message


@pytest.mark.parametrize(
    ("content", "name", "claimed"),
    [
        (SRS_HTML, "srs.pdf", "a PDF document"),
        (SRS_HTML, "srs.csv", "a CSV text file"),
        ("%PDF-1.7\n%%EOF\n", "srs.html", "an HTML page"),
    ],
)
def test_a_name_that_lies_about_html_is_refused(
    tmp_path: Path, content: str, name: str, claimed: str
) -> None:
    with pytest.raises(ContentTypeMismatch) as raised:
        _parse(tmp_path, content, name)

    assert claimed in raised.value.user_message


@pytest.mark.django_db
def test_an_html_upload_becomes_requirements(
    editor_api: APIClient, project: Project, settings: object, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")  # type: ignore[attr-defined]
    response = editor_api.post(
        f"/api/v1/projects/{project.slug}/documents/",
        {"file": SimpleUploadedFile("srs.htm", SRS_HTML.encode())},
        format="multipart",
    )
    assert response.status_code == 201, response.json()  # type: ignore[attr-defined]
    document = Document.objects.get(pk=response.json()["id"])  # type: ignore[attr-defined]
    if document.status == DocumentStatus.UPLOADED:
        document_ingest(document_id=document.pk, revision_id=document.current_revision_id)
    document.refresh_from_db()

    assert (document.status, document.kind) == (DocumentStatus.PARSED, "html")
    ids = set(document.requirements.exclude(external_id="").values_list("external_id", flat=True))
    assert {"OE-1", "OE-2", "OE-3", "FR-1", "FR-2"} <= ids
