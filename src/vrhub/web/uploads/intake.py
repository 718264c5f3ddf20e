"""Taking a partner's file in, the same way from the upload page and the API: who may send which source, the
file stored and queued for the worker, every step audited, and the report of what its load did."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from vrhub.web.accounts.access import may_upload_source, organisation_of
from vrhub.web.accounts.audit import record
from vrhub.web.accounts.models import Role
from vrhub.web.uploads import records, storage, worker
from vrhub.web.uploads.forms import UploadForm
from vrhub.web.uploads.models import SOURCE_CHOICES, Upload

UPLOADERS: tuple[str, ...] = tuple(str(role) for role in (Role.ADMIN, Role.ANALYST, Role.PARTNER))
SOURCE_TITLES = dict(SOURCE_CHOICES)
# Multipart framing around the file: a body larger than the limit plus this cannot hold an allowed file.
FRAMING = 64 * 1024


def too_large(request: HttpRequest) -> bool:
    """A body the file in it could never fit: answered before it is read at all."""
    return int(request.META.get("CONTENT_LENGTH") or 0) > settings.VRHUB_MAX_UPLOAD_BYTES + FRAMING


def not_allowed(request: HttpRequest) -> bool:
    source = request.POST.get("source", "")
    return source in SOURCE_TITLES and not may_upload_source(request.user, source)


def refuse(request: HttpRequest, source: str) -> str:
    """A source this person may not upload: refused before the form looks at the file, which is never
    stored, hashed or read (Django drops its temporary copy when the request ends); audited."""
    uploaded = request.FILES.get("file")
    record(
        request,
        "upload_refused",
        object_type="uploads.upload",
        source=source,
        file_name=(uploaded.name or "")[:255] if uploaded is not None else "",
        reason="source not allowed",
    )
    return f"Select one of the kinds of data listed: you may not upload {SOURCE_TITLES[source]}"


def accept(request: HttpRequest, form: UploadForm) -> Upload:
    """Store the valid form's file, record the upload, audit it and queue it for the worker."""
    organisation = organisation_of(request.user)
    uploaded = form.cleaned_data["file"]
    relative, sha, size = storage.store(uploaded, organisation.pk if organisation else None)
    upload = Upload.objects.create(
        organisation=organisation,
        uploaded_by=request.user if request.user.is_authenticated else None,  # callers are signed in
        source=form.cleaned_data["source"],
        year=form.cleaned_data.get("year"),
        original_name=(uploaded.name or "")[:255],
        stored_file=relative,
        sha256=sha,
        size=size,
    )
    record(
        request, "upload", upload, source=upload.source, file_name=upload.original_name, sha256=sha, size=size
    )
    worker.submit(upload.pk)
    return upload


def report(upload: Upload, page: int = 1) -> dict[str, Any]:
    """What the upload page says of a load: its status and counts, why a file was refused whole, and (once
    loaded) a page of its quarantined rows, each with its row number, field, reason and value."""
    out: dict[str, Any] = {
        "id": upload.pk,
        "source": upload.source,
        "file_name": upload.original_name,
        "status": upload.status,
        "status_label": upload.get_status_display(),
        "stage": upload.stage,
        "final": upload.is_final,
        "already_loaded": upload.already_loaded,
        "rows_read": upload.rows_read,
        "rows_loaded": upload.rows_loaded,
        "rows_quarantined": upload.rows_quarantined,
        "duplicates_skipped": upload.duplicates_skipped,
        "error": upload.error_message or None,
        "hint": upload.error_hint or None,
        "problems": None,
    }
    if upload.status == Upload.Status.LOADED and upload.load_id is not None:
        quarantine = records.quarantine_page(upload.load_id, page)
        out["problems"] = {
            "count": quarantine.total,
            "page": quarantine.number,
            "pages": quarantine.pages,
            "items": [{c: row.get(c) for c in records.QUARANTINE_COLUMNS} for row in quarantine.rows],
        }
    return out
