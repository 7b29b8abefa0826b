"""ReqIF import: the real samples of every tool flavour, a hand-made module, and hostile or broken files."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from documents.parsers import (
    ContentTypeMismatch,
    CorruptedFile,
    EmptyDocument,
    FileTooLarge,
    UnsafeArchive,
    UnsafeXml,
    parse_document,
)
from documents.parsers.reqif import (
    CHAPTER_NAME_ATTRIBUTE,
    IDENTIFIER_ATTRIBUTE,
    SECTION_IDENTIFIERS_ATTRIBUTE,
)
from documents.parsers.types import DocumentKind, ParsedDocument, Segment

from ..conftest import SHARED_DATA
from .reqif_factory import brakes_spec, heading, node, reqif_file, requirement

REQIF_DATA = SHARED_DATA / "reqif"


def _is_heading(segment: Segment) -> bool:
    return CHAPTER_NAME_ATTRIBUTE in segment.attributes and segment.section_path[-1:] == [segment.text]


def _independent_counts(path: Path) -> tuple[int, int]:
    """(objects, headings) the file's hierarchy holds, read with ElementTree: objects reached from the
    SPECIFICATIONS (all SPEC-OBJECTs when no hierarchy reaches any), headings those with a ChapterName."""
    root = ElementTree.parse(path).getroot()  # noqa: S314 - the shared samples are trusted files
    local = {element: element.tag.rsplit("}", 1)[-1] for element in root.iter()}
    chapter_defs = {
        element.get("IDENTIFIER")
        for element, tag in local.items()
        if tag.startswith("ATTRIBUTE-DEFINITION-") and element.get("LONG-NAME") == CHAPTER_NAME_ATTRIBUTE
    }
    objects = {element.get("IDENTIFIER"): element for element, tag in local.items() if tag == "SPEC-OBJECT"}
    specifications = [element for element, tag in local.items() if tag == "SPECIFICATIONS"]
    refs = [
        element.text.strip()
        for specs in specifications
        for element in specs.iter()
        if local[element] == "SPEC-OBJECT-REF" and element.text and element.text.strip() in objects
    ]
    reached = refs or list(objects)

    def has_chapter(spec_object: ElementTree.Element) -> bool:
        for value in spec_object.iter():
            if not value.tag.rsplit("}", 1)[-1].startswith("ATTRIBUTE-VALUE-"):
                continue
            refs = {child.text for child in value.iter() if child.tag.endswith("-REF")}
            the_value = value.get("THE-VALUE") or "".join(
                "".join(child.itertext()) for child in value if child.tag.endswith("THE-VALUE")
            )
            if refs & chapter_defs and the_value.strip():
                return True
        return False

    return len(reached), sum(1 for ref in reached if has_chapter(objects[ref]))


ECLIPSE = "reqif_software__ci.eclipse.org__TC{}_E0000_S10_Reference_20210122_1256_jenkins__sample.reqif"
SOFTWARE = "reqif_software__{}__sample.reqif"
# file, objects, headings, requirements (by wording), a spot-checked (index, ID, text start)
SAMPLES = [
    ("examples__02_read_reqif__input.reqif", 3, 3, 0, (2, "3", "Picture or Whitepaper")),
    (
        "examples__04_convert_reqif_to_json__sample2_sdoc.reqif",
        18,
        10,
        8,
        (2, "REQUIREMENT-bcfba793-7caa-46c0-8522-ba9e2d919df9", "The system shall do A."),
    ),
    (
        SOFTWARE.format("Doors__01_anonimized_example_date_data_type"),
        1,
        0,
        0,
        (0, "_1_173759ff-cc02-4b85-8c95-457b785181b9", ""),
    ),
    (
        SOFTWARE.format("Doors__03_example_from_a_user"),
        1,
        0,
        0,
        (0, "_39_53a1474b-8977-4ce1-8690-92ede741d39d", "demo"),
    ),
    (
        SOFTWARE.format("Doors__05_example_from_a_user"),
        1,
        0,
        0,
        (0, "_f05294de-d4cf-455d-9307-c130376dfd44", "<New Header> Template reqFile"),
    ),
    (SOFTWARE.format("Doors__10_example_capella_requirements_vp"), 1, 0, 1, (0, "PUID-1", "Requirement-1")),
    (
        SOFTWARE.format("ReqIF_Studio__01_anonimized_example"),
        137,
        1,
        136,
        (1, "...Anonymized...", "...Anonymized..."),
    ),
    (ECLIPSE.format(1000), 1, 0, 0, (0, "ID_TC1000_SpecObject", "Plain")),
    (
        ECLIPSE.format(1200),
        44,
        0,
        0,
        (0, "ID_TC1200_SpecObject_xhtml.p.type", "text before br\ntext after br"),
    ),
    (ECLIPSE.format(1400), 5, 0, 0, (4, "ID_TC1400_SpecObject113", "TableObj1.1.3")),
    (ECLIPSE.format(1801), 6, 0, 0, (5, "_RB77jVyxEeumRtWSJE-orw", "Obj-08")),
    (
        SOFTWARE.format("org.eclipse.rmf__02_sample"),
        2,
        0,
        0,
        (1, "2c84e85a-59d1-11da-8ef5-afdbd01c7a71", "Hugo"),
    ),
]


@pytest.mark.parametrize(("name", "objects", "headings", "requirements", "spot"), SAMPLES)
def test_every_reqif_sample_imports_with_the_hierarchy_counts(
    name: str, objects: int, headings: int, requirements: int, spot: tuple[int, str, str]
) -> None:
    path = REQIF_DATA / name
    if not path.is_file():
        pytest.skip(f"ReqIF sample not found at {path} (the ../shared folder beside the checkout)")

    parsed = parse_document(path, filename=name)

    assert parsed.kind is DocumentKind.REQIF
    assert (len(parsed.segments), sum(map(_is_heading, parsed.segments))) == _independent_counts(path)
    assert (len(parsed.segments), sum(map(_is_heading, parsed.segments))) == (objects, headings)
    assert len(parsed.requirements) == requirements
    index, external_id, text_start = spot
    assert parsed.segments[index].external_id == external_id
    assert parsed.segments[index].text.startswith(text_start)
    assert all(segment.attributes[IDENTIFIER_ATTRIBUTE] for segment in parsed.segments)


def test_a_sample_whose_hierarchy_names_a_missing_leaf_imports_the_rest_with_a_warning() -> None:
    name = "reqif_software__ReqIF_Studio__01_anonimized_example__sample.reqif"
    if not (REQIF_DATA / name).is_file():
        pytest.skip(f"ReqIF sample not found in {REQIF_DATA}")

    parsed = parse_document(REQIF_DATA / name, filename=name)

    assert parsed.warnings == [
        "1 hierarchy entries point at objects that are not in the file and were skipped: "
        "_B9RbAGunEeuNUYnTveUm8Q."
    ]


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def _brakes(tmp_path: Path) -> ParsedDocument:
    return parse_document(_write(tmp_path, "brakes.reqif", brakes_spec()), filename="brakes.reqif")


def test_a_module_gives_ids_texts_sections_and_attributes_in_hierarchy_order(tmp_path: Path) -> None:
    parsed = _brakes(tmp_path)

    assert [
        (s.external_id, s.text, s.section_path, s.is_requirement) for s in parsed.segments
    ] == [
        ("O-H1", "Braking", ["Braking"], False),
        ("BRK-1", "The train shall brake.", ["Braking"], True),
        ("O-H2", "Emergency braking", ["Braking", "Emergency braking"], False),
        (
            "BRK-2",
            "The brake shall:\n- apply\n- hold\nfirst line\nsecond line",
            ["Braking", "Emergency braking"],
            True,
        ),
        ("BRK-3", "The driver shall be warned.", [], True),
    ]  # fmt: skip
    assert parsed.segments[1].attributes == {
        "Status": "approved",
        IDENTIFIER_ATTRIBUTE: "O-1",
        SECTION_IDENTIFIERS_ATTRIBUTE: "O-H1",
    }
    assert parsed.segments[3].attributes[SECTION_IDENTIFIERS_ATTRIBUTE] == "O-H1 O-H2"
    assert parsed.segments[3].obligation == "mandatory"


def test_a_reqifz_imports_its_reqif_and_lists_attachments_without_opening_them(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("module.reqif", brakes_spec())
        archive.writestr("files/diagram.png", b"\x89PNG not really")
        archive.writestr("files/run.exe", b"MZ")
    path = _write(tmp_path, "brakes.reqifz", buffer.getvalue())

    parsed = parse_document(path, filename="brakes.reqifz")

    assert [segment.external_id for segment in parsed.segments] == ["O-H1", "BRK-1", "O-H2", "BRK-2", "BRK-3"]
    assert parsed.warnings == ["The archive holds 2 attachments, not imported: diagram.png, run.exe."]


def test_the_early_2010_namespace_of_rmf_files_is_read(tmp_path: Path) -> None:
    content = brakes_spec().replace(
        "http://www.omg.org/spec/ReqIF/20110401/reqif.xsd", "http://www.omg.org/spec/ReqIF/20101201"
    )

    parsed = parse_document(_write(tmp_path, "old.reqif", content), filename="old.reqif")

    assert [segment.external_id for segment in parsed.segments] == ["O-H1", "BRK-1", "O-H2", "BRK-2", "BRK-3"]


BILLION_LAUGHS = (
    '<!DOCTYPE REQ-IF [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)
EXTERNAL_ENTITY = '<!DOCTYPE REQ-IF [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'


@pytest.mark.parametrize(("prolog", "entity"), [(BILLION_LAUGHS, "&lol3;"), (EXTERNAL_ENTITY, "&secret;")])
def test_xml_with_a_doctype_or_entities_is_refused(tmp_path: Path, prolog: str, entity: str) -> None:
    content = reqif_file(
        [requirement("O-1", "BRK-1", f"<xhtml:div>{entity}</xhtml:div>")], [node("O-1")], prolog=prolog
    )
    path = _write(tmp_path, "attack.reqif", content)

    with pytest.raises(UnsafeXml) as refused:
        parse_document(path, filename="attack.reqif")

    assert refused.value.user_message == (
        "The ReqIF file declares a DOCTYPE or entities, which ReqIF never needs and XML attacks use "
        "(entity expansion, external files). It was refused; export it again from the requirements tool."
    )


def test_a_reqifz_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("module.reqif", brakes_spec())
        archive.writestr("padding.reqif", b"<" + b" " * (50 * 1024 * 1024))
    path = _write(tmp_path, "bomb.reqifz", buffer.getvalue())

    with pytest.raises(UnsafeArchive) as refused:
        parse_document(path, filename="bomb.reqifz")

    assert refused.value.user_message.startswith("The ReqIF archive part 'padding.reqif' is compressed ")
    assert refused.value.user_message.endswith(
        "times, which only a zip bomb does. The file was refused; "
        "export it again from the requirements tool and upload the new file."
    )


def test_an_oversized_reqif_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "big.reqif", brakes_spec())

    with pytest.raises(FileTooLarge):
        parse_document(path, filename="big.reqif", max_bytes=1000)


def test_a_hierarchy_entry_with_children_whose_object_is_missing_is_refused(tmp_path: Path) -> None:
    content = reqif_file(
        [requirement("O-1", "BRK-1", "<xhtml:div>The train shall brake.</xhtml:div>")],
        [node("O-GONE", node("O-1"))],
    )

    with pytest.raises(CorruptedFile) as refused:
        parse_document(_write(tmp_path, "broken.reqif", content), filename="broken.reqif")

    assert refused.value.user_message == (
        "The specification hierarchy entry 'H-O-GONE' points at object 'O-GONE', which is not in the file, "
        "and has children that cannot be placed. Export the full module again."
    )


def test_an_empty_specification_is_refused(tmp_path: Path) -> None:
    with pytest.raises(EmptyDocument) as refused:
        parse_document(_write(tmp_path, "empty.reqif", reqif_file([], [])), filename="empty.reqif")

    assert refused.value.user_message == (
        "The ReqIF file holds no requirements: its specifications are empty and it has no SPEC-OBJECTs."
    )


def test_a_reqif_that_is_not_xml_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "notes.reqif", "ID;Text\nR1;The pump shall start.\n")

    with pytest.raises(ContentTypeMismatch) as refused:
        parse_document(path, filename="notes.reqif")

    assert refused.value.user_message == (
        "The file is named 'notes.reqif', which suggests a ReqIF exchange file (.reqif or .reqifz), but its "
        "content is a CSV text file. Rename it with the right extension or upload the intended file."
    )


def test_a_truncated_reqif_is_refused_as_broken_xml(tmp_path: Path) -> None:
    path = _write(tmp_path, "cut.reqif", brakes_spec()[:2000])

    with pytest.raises(CorruptedFile) as refused:
        parse_document(path, filename="cut.reqif")

    assert refused.value.user_message.startswith("The ReqIF file is not well-formed XML (")


def test_headings_only_give_sections_and_no_requirement(tmp_path: Path) -> None:
    content = reqif_file([heading("O-H1", "Scope")], [node("O-H1")])

    parsed = parse_document(_write(tmp_path, "scope.reqif", content), filename="scope.reqif")

    assert [(s.text, s.section_path, s.is_requirement) for s in parsed.segments] == [
        ("Scope", ["Scope"], False)
    ]
