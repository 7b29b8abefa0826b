""".doc, .rtf and .odt: sniffed from their bytes, read through LibreOffice when configured, refused with
advice when not. A stand-in converter (a script that answers like soffice) tests the process handling
everywhere; the real LibreOffice test runs where it is installed."""

from __future__ import annotations

import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from documents.parsers import Converter, DocumentKind, parse_document
from documents.parsers.convert import ConversionFailed, ConverterMissing
from documents.parsers.sniff import sniff_kind

from ..docx_factory import SpecDocx

LIMIT = 10_000_000
RTF = b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}} REQ-001 The pump shall start within two seconds.\\par}"


def _doc(path: Path) -> Path:
    # The OLE2 header and a directory entry named WordDocument, as every Word 97-2003 file has.
    path.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "WordDocument".encode("utf-16-le") + b"\0" * 600
    )
    return path


def _odt(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return path


def _stand_in(tmp_path: Path, body: str) -> Converter:
    """An executable that takes soffice's arguments and runs ``body`` with ``outdir`` and ``source`` set."""
    script = tmp_path / "fake-soffice"
    script.write_text(
        f"#!{sys.executable}\n"
        "import sys, time\n"
        "from pathlib import Path\n"
        "args = sys.argv[1:]\n"
        "outdir = Path(args[args.index('--outdir') + 1])\n"
        "source = Path(args[-1])\n" + body
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return Converter(command=str(script), timeout_s=20)


_WRITES_DOCX = (
    "import docx\n"
    "document = docx.Document()\n"
    "document.add_heading('1 Pump Requirements', 1)\n"
    "document.add_paragraph('REQ-001 The pump shall start within two seconds.')\n"
    "document.save(str(outdir / (source.stem + '.docx')))\n"
)


@pytest.mark.parametrize(
    ("name", "make", "kind"),
    [
        ("spec.doc", _doc, DocumentKind.DOC),
        ("spec.odt", _odt, DocumentKind.ODT),
        ("spec.rtf", lambda path: (path.write_bytes(RTF), path)[1], DocumentKind.RTF),
    ],
)
def test_legacy_formats_are_told_from_their_bytes(
    tmp_path: Path, name: str, make: object, kind: object
) -> None:
    path = make(tmp_path / name)  # type: ignore[operator]

    assert sniff_kind(path) is kind


def test_without_a_converter_the_message_says_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "spec.rtf"
    path.write_bytes(RTF)

    with pytest.raises(ConverterMissing) as raised:
        parse_document(path, filename="spec.rtf", max_bytes=LIMIT)

    assert raised.value.user_message == (
        "RTF documents (.rtf) are read through a document converter (LibreOffice), and none is configured "
        "on this server. Open the file in Word or LibreOffice, save it as .docx (or PDF) and upload that; or "
        "ask an administrator to install LibreOffice on the ingest workers and set SELKO_CONVERTER=soffice."
    )


def test_a_converter_that_is_not_installed_is_named(tmp_path: Path) -> None:
    path = _doc(tmp_path / "spec.doc")

    with pytest.raises(ConverterMissing) as raised:
        parse_document(
            path, filename="spec.doc", max_bytes=LIMIT, converter=Converter(command="no-such-soffice")
        )

    assert "the configured converter 'no-such-soffice' is not installed" in raised.value.user_message


def test_the_converted_document_is_read_like_a_docx(tmp_path: Path) -> None:
    path = tmp_path / "spec.rtf"
    path.write_bytes(RTF)

    parsed = parse_document(
        path, filename="spec.rtf", max_bytes=LIMIT, converter=_stand_in(tmp_path, _WRITES_DOCX)
    )

    assert parsed.kind is DocumentKind.RTF
    assert [(s.external_id, s.text, s.is_requirement, s.section_path) for s in parsed.segments] == [
        ("REQ-001", "The pump shall start within two seconds.", True, ["1 Pump Requirements"])
    ]


def test_a_converter_running_too_long_is_stopped(tmp_path: Path) -> None:
    path = _doc(tmp_path / "spec.doc")
    converter = Converter(command=_stand_in(tmp_path, "time.sleep(60)\n").command, timeout_s=1)

    with pytest.raises(ConversionFailed) as raised:
        parse_document(path, filename="spec.doc", max_bytes=LIMIT, converter=converter)

    assert raised.value.user_message == (
        "Converting the file took longer than 1 seconds and was stopped. Save it as .docx (or PDF) and "
        "upload that."
    )


def test_a_converter_writing_too_much_is_stopped(tmp_path: Path) -> None:
    path = _doc(tmp_path / "spec.doc")
    writes = "(outdir / 'input.docx').write_bytes(b'x' * 200_000)\n"
    converter = Converter(command=_stand_in(tmp_path, writes).command, max_output_bytes=100_000)

    with pytest.raises(ConversionFailed) as raised:
        parse_document(path, filename="spec.doc", max_bytes=LIMIT, converter=converter)

    assert raised.value.user_message == (
        "The converted document would be larger than 97.7 KB. Split the document and upload the parts."
    )


def test_a_converter_writing_nothing_fails_cleanly(tmp_path: Path) -> None:
    path = _odt(tmp_path / "spec.odt")

    with pytest.raises(ConversionFailed) as raised:
        parse_document(
            path, filename="spec.odt", max_bytes=LIMIT, converter=_stand_in(tmp_path, "sys.exit(1)\n")
        )

    assert raised.value.user_message.startswith("LibreOffice could not convert this file")


@pytest.mark.slow
@pytest.mark.parametrize("target", ["odt", "rtf", "doc"])
def test_libreoffice_reads_what_it_wrote(tmp_path: Path, target: str) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed here: .doc/.rtf/.odt conversion is not testable")
    # Given a Word document saved by LibreOffice in the legacy format
    source = (
        SpecDocx(tmp_path / "spec.docx")
        .heading("1 Pump Requirements", 1)
        .paragraph("REQ-001 The pump shall start within two seconds.")
        .save()
    )
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation={profile}", "--convert-to", target, "--outdir",
         str(tmp_path / "legacy"), str(source)],
        check=True, timeout=120, capture_output=True,
    )  # fmt: skip
    legacy = tmp_path / "legacy" / f"spec.{target}"

    # When it is parsed through the converter
    parsed = parse_document(
        legacy, filename=legacy.name, max_bytes=LIMIT, converter=Converter(command=soffice, timeout_s=120)
    )

    # Then it reads as the original
    assert [(s.external_id, s.text, s.is_requirement) for s in parsed.segments] == [
        ("REQ-001", "The pump shall start within two seconds.", True)
    ]
