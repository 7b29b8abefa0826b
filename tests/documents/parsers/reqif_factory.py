"""Small ReqIF files written by hand for the parser tests: only what a test needs, in the 2011 namespace."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
ROOT_OPEN = (
    '<REQ-IF xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd" '
    'xmlns:xhtml="http://www.w3.org/1999/xhtml">'
)


def _definition(kind: str, identifier: str, name: str, datatype: str) -> str:
    return (
        f'<ATTRIBUTE-DEFINITION-{kind} IDENTIFIER="{identifier}" LONG-NAME="{name}"><TYPE>'
        f"<DATATYPE-DEFINITION-{kind}-REF>{datatype}</DATATYPE-DEFINITION-{kind}-REF></TYPE>"
        f"</ATTRIBUTE-DEFINITION-{kind}>"
    )


TYPES = (
    '<DATATYPES><DATATYPE-DEFINITION-STRING IDENTIFIER="DT-S" LONG-NAME="S" MAX-LENGTH="1000"/>'
    '<DATATYPE-DEFINITION-XHTML IDENTIFIER="DT-X" LONG-NAME="X"/></DATATYPES>'
    '<SPEC-TYPES><SPEC-OBJECT-TYPE IDENTIFIER="T-REQ" LONG-NAME="Requirement"><SPEC-ATTRIBUTES>'
    + _definition("STRING", "A-ID", "ReqIF.ForeignID", "DT-S")
    + _definition("STRING", "A-CH", "ReqIF.ChapterName", "DT-S")
    + _definition("XHTML", "A-TX", "ReqIF.Text", "DT-X")
    + _definition("STRING", "A-ST", "Status", "DT-S")
    + "</SPEC-ATTRIBUTES></SPEC-OBJECT-TYPE>"
    + '<SPECIFICATION-TYPE IDENTIFIER="T-SPEC" LONG-NAME="Module"/></SPEC-TYPES>'
)


def _string(ref: str, value: str) -> str:
    return (
        f'<ATTRIBUTE-VALUE-STRING THE-VALUE="{escape(value, {chr(34): "&quot;"})}"><DEFINITION>'
        f"<ATTRIBUTE-DEFINITION-STRING-REF>{ref}</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION>"
        "</ATTRIBUTE-VALUE-STRING>"
    )


def heading(identifier: str, title: str) -> str:
    return (
        f'<SPEC-OBJECT IDENTIFIER="{identifier}"><TYPE><SPEC-OBJECT-TYPE-REF>T-REQ</SPEC-OBJECT-TYPE-REF>'
        f"</TYPE><VALUES>{_string('A-CH', title)}</VALUES></SPEC-OBJECT>"
    )


def requirement(identifier: str, foreign_id: str, xhtml: str, status: str = "") -> str:
    status_value = _string("A-ST", status) if status else ""
    return (
        f'<SPEC-OBJECT IDENTIFIER="{identifier}"><TYPE><SPEC-OBJECT-TYPE-REF>T-REQ</SPEC-OBJECT-TYPE-REF>'
        f"</TYPE><VALUES>{_string('A-ID', foreign_id)}"
        "<ATTRIBUTE-VALUE-XHTML><DEFINITION><ATTRIBUTE-DEFINITION-XHTML-REF>A-TX"
        f"</ATTRIBUTE-DEFINITION-XHTML-REF></DEFINITION><THE-VALUE>{xhtml}</THE-VALUE>"
        f"</ATTRIBUTE-VALUE-XHTML>{status_value}</VALUES></SPEC-OBJECT>"
    )


def node(object_id: str, *children: str) -> str:
    inner = f"<CHILDREN>{''.join(children)}</CHILDREN>" if children else ""
    return (
        f'<SPEC-HIERARCHY IDENTIFIER="H-{object_id}"><OBJECT><SPEC-OBJECT-REF>{object_id}'
        f"</SPEC-OBJECT-REF></OBJECT>{inner}</SPEC-HIERARCHY>"
    )


def reqif_file(objects: list[str], hierarchy: list[str], *, prolog: str = "") -> str:
    children = f"<CHILDREN>{''.join(hierarchy)}</CHILDREN>" if hierarchy else "<CHILDREN/>"
    # ReqIF gives every identified element a LAST-CHANGE; the reqif package refuses files without one.
    return _LAST_CHANGE.sub(
        ' LAST-CHANGE="2024-05-01T10:00:00" IDENTIFIER="', _file(objects, children, prolog)
    )


_LAST_CHANGE = re.compile(' IDENTIFIER="')


def _file(objects: list[str], children: str, prolog: str) -> str:
    return (
        HEAD
        + prolog
        + ROOT_OPEN
        + '<THE-HEADER><REQ-IF-HEADER IDENTIFIER="HDR"><TITLE>t</TITLE></REQ-IF-HEADER></THE-HEADER>'
        + "<CORE-CONTENT><REQ-IF-CONTENT>"
        + TYPES
        + f"<SPEC-OBJECTS>{''.join(objects)}</SPEC-OBJECTS>"
        + '<SPECIFICATIONS><SPECIFICATION IDENTIFIER="SPEC-1" LONG-NAME="Brakes"><TYPE>'
        + f"<SPECIFICATION-TYPE-REF>T-SPEC</SPECIFICATION-TYPE-REF></TYPE>{children}</SPECIFICATION>"
        + "</SPECIFICATIONS></REQ-IF-CONTENT></CORE-CONTENT></REQ-IF>"
    )


def brakes_spec() -> str:
    """A module with a heading, a sub-heading and three requirements, one with a list and a line break."""
    objects = [
        heading("O-H1", "Braking"),
        heading("O-H2", "Emergency braking"),
        requirement("O-1", "BRK-1", "<xhtml:div>The train shall brake.</xhtml:div>", status="approved"),
        requirement(
            "O-2",
            "BRK-2",
            "<xhtml:div><xhtml:p>The brake shall:</xhtml:p><xhtml:ul><xhtml:li>apply</xhtml:li>"
            "<xhtml:li>hold</xhtml:li></xhtml:ul>first line<xhtml:br/>second line</xhtml:div>",
        ),
        requirement("O-3", "BRK-3", "<xhtml:div>The driver shall be warned.</xhtml:div>"),
    ]
    hierarchy = [node("O-H1", node("O-1"), node("O-H2", node("O-2"))), node("O-3")]
    return reqif_file(objects, hierarchy)
