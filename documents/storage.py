"""Where uploaded files live: Django's default storage (local media or an S3-compatible bucket).

Files are stored under random UUID names, never the uploader's name, so a name cannot collide, traverse
folders or reveal anything. Parsers need a path on local disk; for remote storage the file is copied to a
temporary file first. None of this runs inside a database transaction: storage I/O can be slow.
"""

import hashlib
import re
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import IO

from django.core.files import File
from django.core.files.storage import default_storage

STORAGE_FOLDER = "documents"
_CHUNK = 1024 * 1024
_SAFE_SUFFIX = re.compile(r"^\.[a-z0-9]{1,8}$")


@dataclass(frozen=True)
class LocalFileFacts:
    size: int
    sha256: str


def local_file_facts(path: Path) -> LocalFileFacts:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return LocalFileFacts(size=size, sha256=digest.hexdigest())


@contextmanager
def uploaded_file_on_disk(upload: File) -> Iterator[Path]:  # type: ignore[type-arg]
    """A local path holding the upload's bytes: Django's own temporary file when it spooled one."""
    temporary_path = getattr(upload, "temporary_file_path", None)
    if callable(temporary_path):
        yield Path(temporary_path())
        return
    suffix = stored_suffix(upload.name or "")
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
        upload.seek(0)
        for chunk in upload.chunks(_CHUNK):
            copy.write(chunk)
        copy.flush()
        yield Path(copy.name)


def stored_suffix(filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    return suffix if _SAFE_SUFFIX.match(suffix) else ""


def stored_file_save(*, local_path: Path, original_filename: str) -> str:
    """Copy a local file into storage under a fresh UUID name; returns the storage name."""
    name = f"{STORAGE_FOLDER}/{uuid.uuid4().hex}{stored_suffix(original_filename)}"
    with local_path.open("rb") as handle:
        return default_storage.save(name, File(handle))


def stored_file_delete(*, name: str) -> None:
    if name:
        default_storage.delete(name)


def stored_file_open(*, name: str) -> IO[bytes]:
    return default_storage.open(name, "rb")


@contextmanager
def stored_file_local_path(*, name: str) -> Iterator[Path]:
    """A local path for a stored file: the file itself on local storage, a temporary copy otherwise."""
    try:
        yield_path: str | None = default_storage.path(name)
    except NotImplementedError:  # remote storage has no local path
        yield_path = None
    if yield_path is not None:
        yield Path(yield_path)
        return
    with tempfile.NamedTemporaryFile(suffix=stored_suffix(name)) as copy:
        with default_storage.open(name, "rb") as source:
            shutil.copyfileobj(source, copy, _CHUNK)
        copy.flush()
        yield Path(copy.name)
