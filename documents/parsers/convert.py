"""Legacy Word (.doc), RTF and OpenDocument (.odt) files, converted to .docx by LibreOffice headless.

Reading these formats natively means three more parsers of decades-old formats; LibreOffice reads them all
and writes .docx, which ``docx.py`` reads. It runs only where an administrator configured it
(``SELKO_CONVERTER``), in the ingest task, as a separate process with:

- a time limit (the whole process group is killed when it runs over),
- no network where the kernel lets an unprivileged process have its own empty network namespace
  (``unshare --net``); elsewhere its proxies point at a closed port, so linked pictures are not fetched,
- a size limit on what it writes (``RLIMIT_FSIZE``), and the .docx it wrote passes the zip-bomb guard,
- its own throw-away profile folder, so conversions running side by side do not share state.
"""

from __future__ import annotations

import contextlib
import functools
import os
import resource
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import ParseError, format_size
from .types import DocumentKind

CONVERTED_KINDS = frozenset({DocumentKind.DOC, DocumentKind.RTF, DocumentKind.ODT})
_NAMES = {
    DocumentKind.DOC: "Word 97-2003 documents (.doc)",
    DocumentKind.RTF: "RTF documents (.rtf)",
    DocumentKind.ODT: "OpenDocument text files (.odt)",
}
_SUFFIX = {DocumentKind.DOC: ".doc", DocumentKind.RTF: ".rtf", DocumentKind.ODT: ".odt"}
_DEAD_PROXY = "http://127.0.0.1:9"


class ConverterMissing(ParseError):
    default_message = "This file type needs a document converter, which is not configured."


class ConversionFailed(ParseError):
    default_message = "The document could not be converted. Save it as .docx or PDF and upload that."


@dataclass(frozen=True, slots=True)
class Converter:
    """LibreOffice's ``soffice`` (a name on PATH or a path) and the limits it runs under."""

    command: str
    timeout_s: float = 120.0
    max_output_bytes: int = 256 * 1024 * 1024


@contextlib.contextmanager
def converted_docx(path: Path, *, kind: DocumentKind, converter: Converter | None) -> Iterator[Path]:
    """The file at ``path`` as a .docx in a temporary folder, removed on exit."""
    name = _NAMES[kind]
    if converter is None:
        raise ConverterMissing(
            f"{name} are read through a document converter (LibreOffice), and none is configured on this "
            "server. Open the file in Word or LibreOffice, save it as .docx (or PDF) and upload that; or ask "
            "an administrator to install LibreOffice on the ingest workers and set SELKO_CONVERTER=soffice."
        )
    executable = shutil.which(converter.command)
    if executable is None:
        raise ConverterMissing(
            f"{name} are read through LibreOffice, but the configured converter {converter.command!r} is not "
            "installed on the ingest worker. Save the file as .docx (or PDF) and upload that, or ask an "
            "administrator to fix SELKO_CONVERTER."
        )
    with tempfile.TemporaryDirectory(prefix="selko-convert-") as folder:
        work = Path(folder)
        # A plain name of our own: LibreOffice names its output after the input's name.
        source = work / f"input{_SUFFIX[kind]}"
        shutil.copyfile(path, source)
        out = work / "out"
        out.mkdir()
        command = [
            executable,
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out),
            str(source),
        ]
        _run(command, converter=converter, name=name, home=work)
        converted = out / "input.docx"
        if converted.is_file() and converted.stat().st_size >= converter.max_output_bytes:
            # A writer that ignores SIGXFSZ gets an error at the limit and leaves a file cut there.
            raise _too_large(converter)
        if not converted.is_file() or converted.stat().st_size == 0:
            raise ConversionFailed(
                "LibreOffice could not convert this file (it may be damaged, or not really one of the "
                f"{name}). Open it in Word or LibreOffice, save it as .docx and upload that."
            )
        yield converted


def _run(command: list[str], *, converter: Converter, name: str, home: Path) -> None:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "http_proxy": _DEAD_PROXY,
        "https_proxy": _DEAD_PROXY,
        "HTTP_PROXY": _DEAD_PROXY,
        "HTTPS_PROXY": _DEAD_PROXY,
        "no_proxy": "",
    }
    if _network_namespaces_work():
        command = ["unshare", "--net", "--map-root-user", *command]

    def limit_output() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (converter.max_output_bytes, converter.max_output_bytes))

    process = subprocess.Popen(
        command,
        env=env,
        cwd=home,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: soffice starts children that must die with it
        preexec_fn=limit_output,
    )
    try:
        process.wait(timeout=converter.timeout_s)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise ConversionFailed(
            f"Converting the file took longer than {converter.timeout_s:g} seconds and was stopped. "
            "Save it as .docx (or PDF) and upload that."
        ) from None
    finally:
        # LibreOffice may leave a helper behind after the main process exits; it goes with the group.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
    if process.returncode in (-signal.SIGXFSZ, 128 + signal.SIGXFSZ):
        raise _too_large(converter)


def _too_large(converter: Converter) -> ConversionFailed:
    return ConversionFailed(
        f"The converted document would be larger than {format_size(converter.max_output_bytes)}. "
        "Split the document and upload the parts."
    )


@functools.cache
def _network_namespaces_work() -> bool:
    """Whether this kernel lets the worker start a process without network (user namespaces allowed)."""
    if shutil.which("unshare") is None:
        return False
    try:
        probe = subprocess.run(
            ["unshare", "--net", "--map-root-user", "true"], capture_output=True, timeout=5, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0
