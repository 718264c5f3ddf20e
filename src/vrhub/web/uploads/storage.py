"""Where uploaded files are kept: MEDIA_ROOT/<organisation id>/<random folder>/<file name>, readable by
the server's user only, and never served (MEDIA_ROOT has no URL)."""

from __future__ import annotations

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


def store(uploaded: UploadedFile, organisation_id: int | None) -> tuple[str, str, int]:
    """Write the upload to its own folder; returns (path relative to MEDIA_ROOT, sha256, size)."""
    root = Path(settings.MEDIA_ROOT)
    # A folder per upload, so the file keeps its own name (a token in the name could look like a year).
    relative = Path(str(organisation_id or "none")) / secrets.token_hex(16) / safe_name(uploaded.name or "")
    target = root / relative
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        for chunk in uploaded.chunks():
            digest.update(chunk)
            size += len(chunk)
            handle.write(chunk)
    return relative.as_posix(), digest.hexdigest(), size
