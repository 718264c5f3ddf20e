"""Where uploaded files are kept: MEDIA_ROOT/<organisation id>/<random folder>/<file name>, readable by
the server's user only (FILE_UPLOAD_PERMISSIONS and FILE_UPLOAD_DIRECTORY_PERMISSIONS, 0o600 and 0o700),
never served (MEDIA_ROOT has no URL), and deleted once loaded unless VRHUB_UPLOAD_RETENTION_DAYS keeps
them (worker.purge_files)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile


def safe_name(name: str) -> str:
    """The file's own name, reduced to characters safe in a path; it is kept because the loads and
    quarantine tables record it, and a population file's year may be read from it."""
    base = Path(name.replace("\\", "/")).name
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._") or "upload.csv"
    return cleaned[:200]


def _private_folder(folder: Path) -> None:
    """Make `folder` and every missing parent with the private mode: mkdir's mode is cut by the umask
    and `parents=True` ignores it for the parents, so each level is made and set in turn."""
    mode = settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS or 0o700
    missing = []
    while not folder.is_dir():
        missing.append(folder)
        folder = folder.parent
    for level in reversed(missing):
        level.mkdir(mode=mode, exist_ok=True)
        os.chmod(level, mode)


def store(uploaded: UploadedFile, organisation_id: int | None) -> tuple[str, str, int]:
    """Write the upload to its own folder; returns (path relative to MEDIA_ROOT, sha256, size)."""
    root = Path(settings.MEDIA_ROOT)
    # A folder per upload, so the file keeps its own name (a token in the name could look like a year).
    relative = Path(str(organisation_id or "none")) / secrets.token_hex(16) / safe_name(uploaded.name or "")
    target = root / relative
    _private_folder(target.parent)
    digest = hashlib.sha256()
    size = 0
    mode = settings.FILE_UPLOAD_PERMISSIONS or 0o600
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    os.fchmod(fd, mode)  # whatever the umask
    with os.fdopen(fd, "wb") as handle:
        for chunk in uploaded.chunks():
            digest.update(chunk)
            size += len(chunk)
            handle.write(chunk)
    return relative.as_posix(), digest.hexdigest(), size


def remove(relative: str) -> None:
    """Delete a stored upload and its own folder; a file already gone is not an error."""
    root = Path(settings.MEDIA_ROOT).resolve()
    target = (root / relative).resolve()
    if not target.is_relative_to(root) or target == root:
        raise ValueError(f"{relative!r} is not a stored upload")
    target.unlink(missing_ok=True)
    if target.parent != root:
        with contextlib.suppress(OSError):  # the upload's random folder, unless something else is in it
            target.parent.rmdir()
