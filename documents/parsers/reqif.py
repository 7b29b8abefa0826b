"""ReqIF exchange files (.reqif XML, .reqifz zip) from DOORS, Polarion, Capella, ReqIF Studio, RMF, StrictDoc.

The structure is read with the maintained ``reqif`` package (strictdoc-project/reqif); the XML is first
checked with defusedxml because that package parses with lxml's defaults, which expand internal entities.
Every SPEC-OBJECT reached from a specification's hierarchy becomes a segment in hierarchy order; a heading
(ReqIF.ChapterName, or an object type named heading/chapter/section) becomes an informative segment that
opens a section, never a requirement. A file without hierarchy gives its objects in file order. The
customer's identifiers are kept in the attributes under ``IDENTIFIER_ATTRIBUTE`` and
``SECTION_IDENTIFIERS_ATTRIBUTE`` so that an export can hand them back.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree.ElementTree import ParseError as XmlParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring
from reqif.models.error_handling import ReqIFSchemaError, ReqIFXMLParsingError
from reqif.models.reqif_types import SpecObjectAttributeType
from reqif.parser import ReqIFParser

from .archive_guard import ArchiveLimits, check_archive
from .classify_segment import SegmentClassifier
from .errors import CorruptedFile, EmptyDocument, UnsafeXml
from .types import DocumentKind, ParsedDocument, Segment

IDENTIFIER_ATTRIBUTE = "ReqIF.Identifier"
# The identifiers of the heading objects above a requirement, outermost first, separated by spaces
# (a ReqIF identifier is an xsd:ID, which holds no spaces).
SECTION_IDENTIFIERS_ATTRIBUTE = "ReqIF.SectionIdentifiers"
TEXT_ATTRIBUTE = "ReqIF.Text"
FOREIGN_ID_ATTRIBUTE = "ReqIF.ForeignID"
CHAPTER_NAME_ATTRIBUTE = "ReqIF.ChapterName"
ENUM_SEPARATOR = "; "

# Names tools give their own ID attribute when they do not fill ReqIF.ForeignID (Capella, DOORS Next...).
_TOOL_ID_NAMES = {"ie puid", "puid", "id", "uid", "object identifier", "absolute number", "req id"}
_TEXT_FALLBACKS = {"ReqIF.Name", "ReqIF.Description"}
_HEADING_TYPE = re.compile(r"\b(heading|chapter|section)\b", re.IGNORECASE)
_BLOCK_TAGS = {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "pre"}
# A .reqif inside a .reqifz is XML like a sheet inside a workbook: it compresses well, but not like a bomb.
REQIFZ_LIMITS = ArchiveLimits()


@dataclass(slots=True)
class _Walk:
    segments: list[Segment] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def parse_reqif(
    path: Path, *, classify: SegmentClassifier, on_progress: Callable[[int, int], None] | None = None
) -> ParsedDocument:
    """Parse a .reqif or .reqifz file; refuses XML with a DTD before any parser expands anything."""
    warnings: list[str] = []
    contents = _reqifz_members(path, warnings) if zipfile.is_zipfile(path) else [path.read_bytes()]
    walk = _Walk()
    for done, content in enumerate(contents, start=1):
        _read_one(content, walk, classify, warnings)
        if on_progress is not None:
            on_progress(done, len(contents))
    if not walk.segments:
        raise EmptyDocument(
            "The ReqIF file holds no requirements: its specifications are empty and it has no SPEC-OBJECTs."
        )
    if walk.skipped:
        warnings.append(
            f"{len(walk.skipped)} hierarchy entries point at objects that are not in the file and were "
            f"skipped: {', '.join(walk.skipped[:5])}{'…' if len(walk.skipped) > 5 else ''}."
        )
    return ParsedDocument(
        kind=DocumentKind.REQIF, segments=walk.segments, row_count=len(walk.segments), warnings=warnings
    )


def _reqifz_members(path: Path, warnings: list[str]) -> list[bytes]:
    check_archive(path, REQIFZ_LIMITS, what="ReqIF archive")
    with zipfile.ZipFile(path) as archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        reqif_members = sorted(
            (info for info in members if info.filename.lower().endswith(".reqif")), key=lambda i: i.filename
        )
        attachments = [info.filename for info in members if info not in reqif_members]
        if not reqif_members:
            raise CorruptedFile("The .reqifz archive holds no .reqif file.")
        if attachments:
            # Attachments (images, OLE objects) are only named: nothing in them is opened or run.
            shown = ", ".join(PurePosixPath(name).name for name in attachments[:10])
            more = f" and {len(attachments) - 10} more" if len(attachments) > 10 else ""
            warnings.append(f"The archive holds {len(attachments)} attachments, not imported: {shown}{more}.")
        # check_archive bounded the declared sizes; zipfile never reads past a member's declared size.
        return [archive.read(info) for info in reqif_members]


def _checked_xml(content: bytes) -> str:
    try:
        root = defused_fromstring(content, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise UnsafeXml(
            "The ReqIF file declares a DOCTYPE or entities, which ReqIF never needs and XML attacks use "
            "(entity expansion, external files). It was refused; export it again from the requirements tool."
        ) from exc
    except XmlParseError as exc:
        raise CorruptedFile(
            f"The ReqIF file is not well-formed XML ({exc}). Export it again from the requirements tool."
        ) from exc
    if not root.tag.endswith("REQ-IF"):
        raise CorruptedFile(f"The file is XML but not ReqIF: its root element is {root.tag!r}, not REQ-IF.")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CorruptedFile("The ReqIF file is not UTF-8 encoded, as ReqIF requires.") from exc


def _read_one(content: bytes, walk: _Walk, classify: SegmentClassifier, warnings: list[str]) -> None:
    text = _checked_xml(content)
    try:
        bundle = ReqIFParser.parse_from_string(text)
    # The package signals a missing mandatory element with whatever its code trips over, not one class.
    except (
        ReqIFXMLParsingError,
        ReqIFSchemaError,
        NotImplementedError,
        AssertionError,
        AttributeError,
        KeyError,
        TypeError,
        ValueError,
    ) as exc:
        detail = f" ({exc})" if str(exc) else ""
        raise CorruptedFile(
            "The ReqIF file's structure could not be read: it lacks a part ReqIF requires (such as a "
            f"LAST-CHANGE date) or holds one in an unexpected form{detail}. Export it again from the tool."
        ) from exc
    reader = _Reader(bundle)
    req_content = bundle.core_content.req_if_content if bundle.core_content else None
    if req_content is None:
        return
    specifications = req_content.specifications or []
    reached = any(spec.children for spec in specifications)
    if reached:
        named = len(specifications) > 1
        for number, spec in enumerate(specifications, start=1):
            prefix = [spec.long_name or f"Specification {number}"] if named else []
            reader.walk(spec.children or [], prefix, [], walk, classify)
    elif req_content.spec_objects:
        # Some tools export objects without a specification tree: keep them in file order.
        warnings.append("The file has no specification hierarchy; its objects were taken in file order.")
        for spec_object in req_content.spec_objects:
            reader.add(spec_object, [], [], walk, classify)


class _Reader:
    def __init__(self, bundle: Any) -> None:
        self._lookup = bundle.lookup

    def walk(
        self,
        nodes: list[Any],
        path: list[str],
        section_ids: list[str],
        walk: _Walk,
        classify: SegmentClassifier,
    ) -> None:
        for node in nodes:
            if not self._lookup.spec_object_exists(node.spec_object):
                if node.children:
                    raise CorruptedFile(
                        f"The specification hierarchy entry {node.identifier!r} points at object "
                        f"{node.spec_object!r}, which is not in the file, and has children that "
                        "cannot be placed. Export the full module again."
                    )
                walk.skipped.append(node.spec_object)
                continue
            spec_object = self._lookup.get_spec_object_by_ref(node.spec_object)
            heading = self.add(spec_object, path, section_ids, walk, classify)
            if heading is not None:
                self.walk(
                    node.children or [],
                    [*path, heading],
                    [*section_ids, spec_object.identifier],
                    walk,
                    classify,
                )
            else:
                self.walk(node.children or [], path, section_ids, walk, classify)

    def add(
        self,
        spec_object: Any,
        path: list[str],
        section_ids: list[str],
        walk: _Walk,
        classify: SegmentClassifier,
    ) -> str | None:
        """Add the object as a segment; return its title when it is a heading, which opens a section.

        A heading is kept as an informative segment whose section path ends with itself, so that a
        heading without requirements below it survives and an export can give back its identifier.
        """
        values, kinds = self._values(spec_object)
        chapter = values.get(CHAPTER_NAME_ATTRIBUTE, "").strip()
        text_name = _text_attribute(values, kinds)
        text = values.get(text_name, "") if text_name else ""
        heading = chapter or (text if self._heading_type(spec_object) and "\n" not in text else "")
        if heading:
            values[CHAPTER_NAME_ATTRIBUTE] = heading
        elif text_name:
            del values[text_name]
        id_name = _id_attribute(values)
        external_id = values.pop(id_name, "").strip() if id_name else ""
        attributes = {name: value for name, value in values.items() if value != ""}
        attributes[IDENTIFIER_ATTRIBUTE] = spec_object.identifier
        if section_ids:
            attributes[SECTION_IDENTIFIERS_ATTRIBUTE] = " ".join(section_ids)
        segment_path = [*path, heading] if heading else list(path)
        walk.segments.append(
            Segment(
                text=heading or text,
                order=len(walk.segments),
                is_requirement=not heading
                and bool(text)
                and classify(
                    text,
                    has_id=bool(external_id),
                    in_requirements=any("requirement" in title.lower() for title in path),
                ),
                section_path=segment_path,
                section_title=segment_path[-1] if segment_path else "",
                external_id=external_id or spec_object.identifier,
                attributes=attributes,
            )
        )
        return heading or None

    def _heading_type(self, spec_object: Any) -> bool:
        spec_type = self._spec_type(spec_object.spec_object_type)
        return spec_type is not None and bool(_HEADING_TYPE.search(spec_type.long_name or ""))

    def _spec_type(self, ref: str) -> Any:
        try:
            return self._lookup.get_spec_type_by_ref(ref)
        except KeyError:
            return None

    def _values(self, spec_object: Any) -> tuple[dict[str, str], dict[str, Any]]:
        """Attribute long name → value as text (XHTML flattened, enumerations by their labels), and
        attribute long name → its ReqIF type."""
        spec_type = self._spec_type(spec_object.spec_object_type)
        definitions = spec_type.attribute_map if spec_type is not None else {}
        values: dict[str, str] = {}
        kinds: dict[str, Any] = {}
        for attribute in spec_object.attributes:
            definition = definitions.get(attribute.definition_ref)
            name = (definition.long_name if definition is not None else None) or attribute.definition_ref
            values[name] = self._value_text(attribute, definition)
            kinds[name] = attribute.attribute_type
        return values, kinds

    def _value_text(self, attribute: Any, definition: Any) -> str:
        kind = attribute.attribute_type
        if kind == SpecObjectAttributeType.XHTML:
            node = attribute.xml_node.find("THE-VALUE") if attribute.xml_node is not None else None
            return xhtml_text(node) if node is not None else str(attribute.value).strip()
        if kind == SpecObjectAttributeType.ENUMERATION:
            labels = []
            data_type = None
            if definition is not None:
                try:
                    data_type = self._lookup.get_data_type_by_ref(definition.datatype_definition)
                except KeyError:
                    data_type = None
            for ref in attribute.value:
                enum_value = data_type.values_map.get(ref) if data_type is not None else None
                labels.append((enum_value.long_name or enum_value.key or ref) if enum_value else ref)
            return ENUM_SEPARATOR.join(labels)
        return str(attribute.value)


def _text_attribute(values: dict[str, str], kinds: dict[str, Any]) -> str | None:
    """ReqIF.Text, else the first XHTML attribute with content, else the first such string attribute."""
    if values.get(TEXT_ATTRIBUTE, "").strip():
        return TEXT_ATTRIBUTE
    # The standard ReqIF.Foreign* attributes hold who and when, never the text.
    candidates = [name for name in values if not name.startswith("ReqIF.") or name in _TEXT_FALLBACKS]
    for wanted in (SpecObjectAttributeType.XHTML, SpecObjectAttributeType.STRING):
        for name in candidates:
            if kinds[name] == wanted and values[name].strip() and not _is_id_name(name):
                return name
    return TEXT_ATTRIBUTE if TEXT_ATTRIBUTE in values else None


def _id_attribute(values: dict[str, str]) -> str | None:
    if values.get(FOREIGN_ID_ATTRIBUTE, "").strip():
        return FOREIGN_ID_ATTRIBUTE
    for name, value in values.items():
        if _is_id_name(name) and value.strip():
            return name
    return None


def _is_id_name(name: str) -> bool:
    return name.strip().lower() in _TOOL_ID_NAMES


def xhtml_text(node: Any) -> str:
    """Flatten an XHTML value to text, keeping paragraphs, line breaks and list items as lines."""
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = " ".join("".join(current).split())
        if line:
            lines.append(line)
        current.clear()

    def visit(element: Any, list_kind: str | None, index: int) -> None:
        tag = element.tag.rsplit("}", 1)[-1].lower() if isinstance(element.tag, str) else ""
        if tag == "br":
            flush()
        elif tag in _BLOCK_TAGS:
            flush()
            if tag == "li":
                current.append(f"{index}. " if list_kind == "ol" else "- ")
        if element.text and isinstance(element.tag, str):
            current.append(element.text)
        number = 0
        for child in element:
            child_tag = child.tag.rsplit("}", 1)[-1].lower() if isinstance(child.tag, str) else ""
            if child_tag == "li":
                number += 1
            visit(child, tag if tag in ("ul", "ol") else list_kind, number)
            if child.tail:
                current.append(child.tail)
        if tag in _BLOCK_TAGS:
            flush()

    visit(node, None, 0)
    flush()
    return "\n".join(lines)
