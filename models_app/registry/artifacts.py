"""Model artifact folders in shared storage, so workers on other machines can load any version.

A training writes its artifact to a local folder; `artifact_upload` copies it into storage under a fresh
prefix, and only then is a ModelVersion row created that points at it. Loading goes the other way: the
local media folder is used in place, other storages are downloaded once into a local cache.
"""

import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage


def _storage_files(prefix: str) -> list[str]:
    directories, files = default_storage.listdir(prefix)
    names = [f"{prefix}/{name}" for name in files]
    for directory in directories:
        names.extend(_storage_files(f"{prefix}/{directory}"))
    return names


def artifact_upload(*, local_dir: Path, project_id: int) -> str:
    """Copy a finished artifact folder into storage and return its storage prefix."""
    prefix = f"models/project-{project_id}/{uuid.uuid4().hex}"
    try:
        for path in sorted(p for p in local_dir.rglob("*") if p.is_file()):
            with path.open("rb") as handle:
                saved = default_storage.save(
                    f"{prefix}/{path.relative_to(local_dir).as_posix()}", File(handle)
                )
            if saved != f"{prefix}/{path.relative_to(local_dir).as_posix()}":
                raise RuntimeError(f"storage renamed {path.name} to {saved}; refusing a partial artifact")
    except BaseException:
        artifact_delete(prefix=prefix)
        raise
    return prefix


def artifact_delete(*, prefix: str) -> None:
    try:
        for name in _storage_files(prefix):
            default_storage.delete(name)
    except FileNotFoundError:
        return


def artifact_local_dir(*, prefix: str) -> Path:
    """A local folder holding the artifact: the media folder itself, or a cached download."""
    if isinstance(default_storage, FileSystemStorage):
        return Path(default_storage.path(prefix))
    cache = Path(settings.VAR_DIR) / "model-cache" / prefix.replace("/", "__")
    if cache.is_dir():
        return cache
    partial = cache.with_name(cache.name + f".partial-{uuid.uuid4().hex[:8]}")
    try:
        for name in _storage_files(prefix):
            target = partial / Path(name).relative_to(prefix)
            target.parent.mkdir(parents=True, exist_ok=True)
            with default_storage.open(name, "rb") as source, target.open("wb") as sink:
                shutil.copyfileobj(source, sink)
        partial.rename(cache)
    except FileExistsError:
        shutil.rmtree(partial, ignore_errors=True)  # another process cached it first
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return cache
