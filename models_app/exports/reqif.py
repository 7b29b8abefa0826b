"""Requirements as ReqIF 1.2 (.reqif, or .reqifz zipped), with Selko's answers and suggestions as attributes.

Written with the ``reqif`` package's model and unparser. One SPECIFICATION per document; its hierarchy
is rebuilt from the section paths. Objects that came from a customer's ReqIF keep their identifiers (the
parser stores them in the attributes), so the customer's tool can merge the new attributes back; other
objects get identifiers derived from the project and the row, stable across exports. Each top-level label
becomes two enumeration attributes, people's answers and the active model's suggestions, whose values are
the answer texts of the CSV/XLSX export split at "; ". Each SPECIFICATION also carries the active model
version and its quality figure as attributes ("Selko.Model quality": "≈ 0.55 ± 0.06, 5-fold"), the same
cells as the XLSX export's *Model* sheet, and the header's COMMENT says it in one line.
"""

from __future__ import annotations

import html
import uuid
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils import timezone
from reqif.models.reqif_core_content import ReqIFCoreContent
from reqif.models.reqif_data_type import (
    ReqIFDataTypeDefinitionEnumeration,
    ReqIFDataTypeDefinitionString,
    ReqIFDataTypeDefinitionXHTML,
    ReqIFEnumValue,
)
from reqif.models.reqif_namespace_info import ReqIFNamespaceInfo
from reqif.models.reqif_req_if_content import ReqIFReqIFContent
from reqif.models.reqif_reqif_header import ReqIFReqIFHeader
from reqif.models.reqif_spec_hierarchy import ReqIFSpecHierarchy
from reqif.models.reqif_spec_object import ReqIFSpecObject, SpecObjectAttribute
from reqif.models.reqif_spec_object_type import ReqIFSpecObjectType, SpecAttributeDefinition
from reqif.models.reqif_specification import ReqIFSpecification
from reqif.models.reqif_specification_type import ReqIFSpecificationType
from reqif.models.reqif_types import SpecObjectAttributeType
from reqif.object_lookup import ReqIFObjectLookup
from reqif.reqif_bundle import ReqIFBundle, ReqIFZBundle
from reqif.unparser import ReqIFUnparser, ReqIFZUnparser

from documents.models import Requirement
from documents.parsers.reqif import (
    CHAPTER_NAME_ATTRIBUTE,
    ENUM_SEPARATOR,
    FOREIGN_ID_ATTRIBUTE,
    IDENTIFIER_ATTRIBUTE,
    SECTION_IDENTIFIERS_ATTRIBUTE,
    TEXT_ATTRIBUTE,
)
from models_app.exports.rendering import (
    BATCH_SIZE,
    FIXED_COLUMNS,
    ExportOptions,
    export_batch_rows,
    export_project_requirements,
    model_about_rows,
)
from models_app.registry.selectors import model_version_active
from models_app.taxonomy.selectors import PATH_SEPARATOR, Taxonomy, taxonomy_get
from selko.tenancy.models import Project

OBLIGATION_ATTRIBUTE = "Selko.Obligation"
MODEL_VERSION_ATTRIBUTE = "Selko.Model version"
QUALITY_ATTRIBUTE = "Selko.Quality score"
_NAMESPACE = uuid.UUID("6f1d3c1e-2f4b-4d55-9a43-6b8f0f0c5e21")
_STRING, _XHTML = "_selko-datatype-string", "_selko-datatype-xhtml"
_OBJECT_TYPE, _SPEC_TYPE = "_selko-requirement-type", "_selko-specification-type"
# The parser's bookkeeping, given back as identifiers rather than as attributes.
_NOT_ATTRIBUTES = {IDENTIFIER_ATTRIBUTE, SECTION_IDENTIFIERS_ATTRIBUTE, CHAPTER_NAME_ATTRIBUTE}
# The XLSX *Model* sheet's columns, as attributes of every specification.
SPECIFICATION_MODEL_ATTRIBUTES = {
    "Model version": "Selko.Model version",
    "Kind": "Selko.Model kind",
    "Encoder": "Selko.Model encoder",
    "Macro-F1": "Selko.Model macro-F1",
    "Uncertainty (±)": "Selko.Model uncertainty (±)",
    "Quality": "Selko.Model quality",
    "How measured": "Selko.Model quality measured",
}


def answer_attribute(root_name: str) -> str:
    return f"Selko.{root_name} (answer)"


def suggestion_attribute(root_name: str) -> str:
    return f"Selko.{root_name} (suggested)"


def _identifier(*parts: object) -> str:
    # An xsd:ID must not start with a digit; the project keeps two exports of the same row identical.
    return "_selko-" + str(uuid.uuid5(_NAMESPACE, "/".join(str(part) for part in parts)))


@dataclass
class _Definitions:
    """Attribute long name → its definition, created in the order they are first needed."""

    by_name: dict[str, SpecAttributeDefinition] = field(default_factory=dict)

    last_change: str = ""
    # Part of each identifier: the specification type's definitions cannot share the requirement type's.
    scope: str = "attribute"

    def ref(self, name: str, kind: Any, datatype: str, *, multi: bool = False) -> str:
        if name not in self.by_name:
            self.by_name[name] = SpecAttributeDefinition(
                last_change=self.last_change,
                attribute_type=kind,
                identifier=_identifier(self.scope, name),
                datatype_definition=datatype,
                long_name=name,
                multi_valued=multi if kind == SpecObjectAttributeType.ENUMERATION else None,
            )
        return self.by_name[name].identifier


@dataclass
class _Writer:
    project: Project
    index: Taxonomy
    # The active model's (attribute name, value) pairs, the same on every specification.
    about_model: list[tuple[str, str]] = field(default_factory=list)
    definitions: _Definitions = field(default_factory=_Definitions)
    specification_definitions: _Definitions = field(
        default_factory=lambda: _Definitions(scope="specification attribute")
    )
    enumerations: dict[str, ReqIFDataTypeDefinitionEnumeration] = field(default_factory=dict)
    objects: list[ReqIFSpecObject] = field(default_factory=list)
    specifications: list[ReqIFSpecification] = field(default_factory=list)
    used_ids: set[str] = field(default_factory=set)
    # Per document: the open headings, outermost first, as (title, hierarchy node).
    stack: list[tuple[str, ReqIFSpecHierarchy]] = field(default_factory=list)
    count: int = 0
    # ReqIF requires a LAST-CHANGE on every element; one time for the whole export.
    now: str = field(default_factory=lambda: timezone.now().isoformat(timespec="seconds"))

    def __post_init__(self) -> None:
        self.definitions.last_change = self.now
        self.specification_definitions.last_change = self.now

    def unique(self, wanted: str | None, *fallback: object) -> str:
        identifier = wanted if wanted and wanted not in self.used_ids else _identifier(*fallback)
        self.used_ids.add(identifier)
        return identifier

    def start_document(self, requirement: Requirement) -> None:
        self.stack = []
        self.specifications.append(
            ReqIFSpecification(
                identifier=self.unique(None, self.project.pk, "document", requirement.document_id),
                long_name=requirement.document.name,
                last_change=self.now,
                specification_type=_SPEC_TYPE,
                children=[],
                values=self._specification_values() or None,
            )
        )

    def _specification_values(self) -> list[SpecObjectAttribute]:
        values = []
        for name, value in self.about_model:
            ref = self.specification_definitions.ref(name, SpecObjectAttributeType.STRING, _STRING)
            values.append(_string(ref, value))
        return values

    def add(self, requirement: Requirement, label_columns: list[Any]) -> None:
        attributes = requirement.attributes or {}
        is_heading = bool(attributes.get(CHAPTER_NAME_ATTRIBUTE)) and requirement.section_path[-1:] == [
            requirement.text
        ]
        path = requirement.section_path[:-1] if is_heading else requirement.section_path
        known = str(attributes.get(SECTION_IDENTIFIERS_ATTRIBUTE, "")).split()
        self._open(path, known if len(known) == len(path) else [], requirement.document_id)
        values = self._values(requirement, label_columns, is_heading)
        identifier = self.unique(attributes.get(IDENTIFIER_ATTRIBUTE), self.project.pk, "row", requirement.pk)
        node = self._object(identifier, values)
        if is_heading:
            self.stack.append((requirement.text, node))
        self.count += 1

    def _open(self, path: list[str], known_ids: list[str], document_id: int) -> None:
        """Make the open headings equal ``path``, adding a heading object for each missing section."""
        depth = 0
        while depth < min(len(self.stack), len(path)) and self.stack[depth][0] == path[depth]:
            depth += 1
        del self.stack[depth:]
        for level in range(depth, len(path)):
            wanted = known_ids[level] if known_ids else None
            identifier = self.unique(wanted, self.project.pk, document_id, *path[: level + 1])
            chapter_ref = self.definitions.ref(
                CHAPTER_NAME_ATTRIBUTE, SpecObjectAttributeType.STRING, _STRING
            )
            node = self._object(identifier, [_string(chapter_ref, path[level])])
            self.stack.append((path[level], node))

    def _object(self, identifier: str, values: list[SpecObjectAttribute]) -> ReqIFSpecHierarchy:
        self.objects.append(
            ReqIFSpecObject(
                identifier=identifier, attributes=values, spec_object_type=_OBJECT_TYPE, last_change=self.now
            )
        )
        parent_children = self.stack[-1][1].children if self.stack else self.specifications[-1].children
        node = ReqIFSpecHierarchy(
            identifier=f"{identifier}-node",
            spec_object=identifier,
            level=len(self.stack) + 1,
            last_change=self.now,
            children=[],
            is_self_closed=False,
        )
        assert parent_children is not None
        parent_children.append(node)
        return node

    def _values(
        self, requirement: Requirement, label_columns: list[Any], is_heading: bool
    ) -> list[SpecObjectAttribute]:
        values: list[SpecObjectAttribute] = []
        string_ref = self.definitions.ref
        if requirement.external_id:
            ref = string_ref(FOREIGN_ID_ATTRIBUTE, SpecObjectAttributeType.STRING, _STRING)
            values.append(_string(ref, requirement.external_id))
        if is_heading:
            ref = string_ref(CHAPTER_NAME_ATTRIBUTE, SpecObjectAttributeType.STRING, _STRING)
            values.append(_string(ref, requirement.text))
        else:
            ref = string_ref(TEXT_ATTRIBUTE, SpecObjectAttributeType.XHTML, _XHTML)
            values.append(_xhtml(ref, requirement.text))
        for name, value in (requirement.attributes or {}).items():
            if name in _NOT_ATTRIBUTES or name.startswith("Selko.") or value in ("", None):
                continue
            values.append(self._free_value(name, str(value)))
        if requirement.obligation:
            ref = string_ref(OBLIGATION_ATTRIBUTE, SpecObjectAttributeType.STRING, _STRING)
            values.append(_string(ref, requirement.obligation))
        if is_heading:
            return values
        # Informative text and rows stored before the quality checks existed have no score.
        quality = getattr(requirement, "quality", None)
        if quality is not None:
            ref = string_ref(QUALITY_ATTRIBUTE, SpecObjectAttributeType.STRING, _STRING)
            values.append(_string(ref, str(quality.score)))
        version = ""
        for position, root in enumerate(self.index.roots()):
            human, machine, number = label_columns[3 * position : 3 * position + 3]
            for name, answer in (
                (answer_attribute(root.name), human),
                (suggestion_attribute(root.name), machine),
            ):
                if answer:
                    values.append(self._enum_value(name, root.pk, str(answer)))
            version = version or str(number or "")
        if version:
            ref = string_ref(MODEL_VERSION_ATTRIBUTE, SpecObjectAttributeType.STRING, _STRING)
            values.append(_string(ref, version))
        return values

    def _free_value(self, name: str, value: str) -> SpecObjectAttribute:
        # A string attribute's value is an XML attribute, where line breaks become spaces: multi-line
        # values go as XHTML so that an import gives back the same lines.
        existing = self.definitions.by_name.get(name)
        multi_line = "\n" in value or (existing is not None and existing.datatype_definition == _XHTML)
        if existing is not None and existing.datatype_definition == _STRING and "\n" in value:
            value = " ".join(value.split())
            multi_line = False
        if multi_line:
            return _xhtml(self.definitions.ref(name, SpecObjectAttributeType.XHTML, _XHTML), value)
        return _string(self.definitions.ref(name, SpecObjectAttributeType.STRING, _STRING), value)

    def _enum_value(self, name: str, root_id: int, answer: str) -> SpecObjectAttribute:
        datatype = self._enumeration(name, root_id)
        ref = self.definitions.ref(name, SpecObjectAttributeType.ENUMERATION, datatype.identifier, multi=True)
        by_label = {value.long_name: value.identifier for value in datatype.values or []}
        chosen = [by_label[label] for label in answer.split(ENUM_SEPARATOR) if label in by_label]
        return SpecObjectAttribute(
            attribute_type=SpecObjectAttributeType.ENUMERATION, definition_ref=ref, value=chosen
        )

    def _enumeration(self, name: str, root_id: int) -> ReqIFDataTypeDefinitionEnumeration:
        if name not in self.enumerations:
            paths = sorted(
                PATH_SEPARATOR.join(self.index.path(label_id)[1:])
                for label_id in self.index.descendant_ids(root_id)
            )
            labels = ["yes", "no", *paths]
            values = [
                ReqIFEnumValue(
                    identifier=_identifier("enum", name, label),
                    key=str(key),
                    long_name=label,
                    last_change=self.now,
                )
                for key, label in enumerate(labels)
            ]
            self.enumerations[name] = ReqIFDataTypeDefinitionEnumeration(
                identifier=_identifier("datatype", name), long_name=name, values=values, last_change=self.now
            )
        return self.enumerations[name]

    def bundle(self) -> ReqIFBundle:
        data_types: list[Any] = [
            ReqIFDataTypeDefinitionString(
                identifier=_STRING, long_name="Text", max_length="1000000", last_change=self.now
            ),
            ReqIFDataTypeDefinitionXHTML(identifier=_XHTML, long_name="Formatted text", last_change=self.now),
            *self.enumerations.values(),
        ]
        spec_types: list[Any] = [
            ReqIFSpecObjectType(
                identifier=_OBJECT_TYPE,
                long_name="Requirement",
                last_change=self.now,
                attribute_definitions=list(self.definitions.by_name.values()),
            ),
            ReqIFSpecificationType(
                identifier=_SPEC_TYPE,
                long_name="Document",
                last_change=self.now,
                spec_attributes=list(self.specification_definitions.by_name.values()) or None,
            ),
        ]
        content = ReqIFReqIFContent(
            data_types=data_types,
            spec_types=spec_types,
            spec_objects=self.objects,
            spec_relations=[],
            specifications=self.specifications,
        )
        now = self.now
        header = ReqIFReqIFHeader(
            identifier=_identifier(self.project.pk, "header", now),
            creation_time=now,
            req_if_tool_id="Selko",
            req_if_version="1.0",
            source_tool_id="Selko",
            title=self.project.name,
            comment=self._comment(),
        )
        return ReqIFBundle(
            namespace_info=ReqIFNamespaceInfo.create_default(),
            req_if_header=header,
            core_content=ReqIFCoreContent(req_if_content=content),
            tool_extensions_tag_exists=False,
            lookup=ReqIFObjectLookup.empty(),
            exceptions=[],
        )

    def _comment(self) -> str | None:
        about = dict(self.about_model)
        version = about.get(SPECIFICATION_MODEL_ATTRIBUTES["Model version"])
        quality = about.get(SPECIFICATION_MODEL_ATTRIBUTES["Quality"])
        if not (version and quality):  # no active model yet
            return None
        return f"Suggestions by model {version}, macro-F1 {quality}."


def _about_model(project: Project) -> list[tuple[str, str]]:
    header, values = model_about_rows(project=project)
    return [
        (SPECIFICATION_MODEL_ATTRIBUTES[column], str(value))
        for column, value in zip(header, values, strict=True)
        if value not in (None, "")
    ]


def _string(ref: str, value: str) -> SpecObjectAttribute:
    return SpecObjectAttribute(attribute_type=SpecObjectAttributeType.STRING, definition_ref=ref, value=value)


def _xhtml(ref: str, text: str) -> SpecObjectAttribute:
    # One line per <xhtml:br/>: the parser flattens them back to the same lines.
    lines = "<xhtml:br/>".join(html.escape(line, quote=False) for line in text.split("\n"))
    return SpecObjectAttribute(
        attribute_type=SpecObjectAttributeType.XHTML,
        definition_ref=ref,
        value=f"<xhtml:div>{lines}</xhtml:div>",
    )


def reqif_write(*, project: Project, options: ExportOptions, zipped: bool, stream: IO[bytes]) -> int:
    """Write the project's requirements (headings always, informative text when asked) as ReqIF.

    Returns how many objects came from requirement rows (headings made up from section paths not counted).
    """
    index = taxonomy_get(project=project)
    version = model_version_active(project=project)
    writer = _Writer(project=project, index=index, about_model=_about_model(project))
    # Headings are informative rows but carry the structure: they go out whatever the options say.
    ordered = (
        export_project_requirements(project=project, options=options)
        .select_related("document", "quality")
        .order_by("document__name", "document_id", "order", "pk")
    )
    batch: list[Requirement] = []
    document_id: int | None = None

    def flush() -> None:
        nonlocal document_id
        label_rows = export_batch_rows(project, index, version.pk if version else None, batch)
        for requirement, row in zip(batch, label_rows, strict=True):
            if requirement.document_id != document_id:
                writer.start_document(requirement)
                document_id = requirement.document_id
            writer.add(requirement, row[len(FIXED_COLUMNS) :])
        batch.clear()

    for requirement in ordered.iterator(chunk_size=BATCH_SIZE):
        heading = CHAPTER_NAME_ATTRIBUTE in (requirement.attributes or {})
        if not (requirement.is_requirement or heading or options.include_informative):
            continue
        batch.append(requirement)
        if len(batch) == BATCH_SIZE:
            flush()
    if batch:
        flush()
    bundle = writer.bundle()
    if zipped:
        stream.write(ReqIFZUnparser.unparse(ReqIFZBundle({f"{project.slug}.reqif": bundle}, {})))
    else:
        stream.write(ReqIFUnparser.unparse(bundle).encode("utf-8"))
    return writer.count
