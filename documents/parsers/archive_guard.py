"""Refuse xlsx and docx archives that would expand into far more data than a file of their size holds.

Checked from the zip's central directory before openpyxl reads a byte: a zip bomb or a sheet of several
gigabytes of XML must fail fast instead of filling the worker's memory or disk.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from .errors import CorruptedFile, UnsafeArchive, format_size

_MIB = 1024 * 1024
_RESAVE = {
    "workbook": "re-save it in Excel and upload it again.",
    "ReqIF archive": "export it again from the requirements tool and upload the new file.",
    "document": "save it again in its application and upload it again.",
}


@dataclass(frozen=True, slots=True)
class ArchiveLimits:
    max_members: int = 10_000
    max_member_bytes: int = 1024 * _MIB
    max_total_bytes: int = 2048 * _MIB
    # Sheet XML compresses 5-20x and highly repetitive sheets reach ~100x; bombs reach 1000x and more.
    max_ratio: float = 200.0
    # Tiny members compress oddly (a few zeros become a 100-byte member); the ratio is judged above this.
    ratio_floor_bytes: int = 1 * _MIB


def check_archive(path: Path, limits: ArchiveLimits = ArchiveLimits(), *, what: str = "workbook") -> None:
    """Refuse the archive before anything is unpacked; ``what`` names it in the messages."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise CorruptedFile(
            f"The {what}'s zip structure is damaged or incomplete (was the upload cut short?). "
            "Upload the original file again."
        ) from exc
    if len(members) > limits.max_members:
        raise UnsafeArchive(f"The {what} holds {len(members):,} internal files, more than any real {what}.")
    total = 0
    for member in members:
        # zipfile stops reading a member at its declared size, so declared sizes are a safe upper bound.
        total += member.file_size
        if member.file_size > limits.max_member_bytes:
            raise UnsafeArchive(
                f"The {what} part {member.filename!r} expands to {format_size(member.file_size)} of data, "
                f"above the {format_size(limits.max_member_bytes)} limit. "
                f"Split the {what} into smaller files."
            )
        if member.file_size > limits.ratio_floor_bytes:
            ratio = member.file_size / max(member.compress_size, 1)
            if ratio > limits.max_ratio:
                raise UnsafeArchive(
                    f"The {what} part {member.filename!r} is compressed {ratio:,.0f} times, which only a "
                    f"zip bomb does. The file was refused; {_RESAVE.get(what, _RESAVE['workbook'])}"
                )
    if total > limits.max_total_bytes:
        raise UnsafeArchive(
            f"The {what} expands to {format_size(total)} of data, above the "
            f"{format_size(limits.max_total_bytes)} limit. Split the {what} into smaller files."
        )
