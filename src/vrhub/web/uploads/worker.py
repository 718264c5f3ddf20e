"""The upload worker: ONE background thread loads uploaded files, one at a time, never inside a request.

The warehouse has one writer (vrhub.warehouse.shared): the worker is it. While a load runs, pages keep
reading the last committed state through read-only cursors; when it commits, the warehouse's generation
changes, so cached figures are recomputed (warm() does that here, before the first visitor asks).

Just before loading, the worker asks access.may_load_upload again: a source taken from the organisation, or
an account closed or moved, since the file was queued is refused, unread. Once a load has finished (loaded,
refused or failed) the raw file, which holds clear identifiers, is deleted, or kept for
VRHUB_UPLOAD_RETENTION_DAYS and deleted then (purge_files: at start-up, after each load, and hourly).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections
from django.db.models import Q
from django.utils import timezone

from vrhub.errors import VrhubError
from vrhub.web.accounts.access import may_load_upload
from vrhub.web.accounts.audit import record
from vrhub.web.uploads import storage
from vrhub.web.uploads.models import Upload

log = logging.getLogger(__name__)

_jobs: queue.Queue[int] = queue.Queue()
_start_lock = threading.Lock()
_thread: threading.Thread | None = None

STAGES = {
    "checking": "Checking the columns",
    "reading": "Reading and checking every row",
    "loading": "Loading the rows into the warehouse",
}
INTERRUPTED = "interrupted: upload the file again"
FAULT = "the load failed because of a fault in the server, and nothing from the file was kept"
NOT_ALLOWED = "this kind of data may no longer be uploaded by this account, so the file was not loaded"
PURGE_EVERY = 3600.0  # seconds an idle worker waits before deleting files past their retention


def _start() -> None:
    global _thread
    with _start_lock:
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_run, name="vrhub-upload-worker", daemon=True)
            _thread.start()


def submit(upload_id: int) -> None:
    """Queue an upload for loading; the worker thread starts with the first one."""
    _start()
    _jobs.put(upload_id)


def wait_for_idle(timeout: float = 60.0) -> bool:
    """True once every queued upload has been processed; False if `timeout` seconds pass first."""
    deadline = time.monotonic() + timeout
    with _jobs.all_tasks_done:
        while _jobs.unfinished_tasks:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            _jobs.all_tasks_done.wait(remaining)
    return True


def resume() -> None:
    """At start-up: a load cut off by a stopped server kept nothing (a load is one transaction), so its
    upload has failed; uploads still queued are queued again."""
    Upload.objects.filter(status=Upload.Status.RUNNING).update(
        status=Upload.Status.FAILED,
        stage="",
        error_message=INTERRUPTED,
        error_hint="The server stopped while this file was loading, so nothing from it was kept.",
        finished=timezone.now(),
    )
    purge_files()
    for pk in Upload.objects.filter(status=Upload.Status.QUEUED).order_by("pk").values_list("pk", flat=True):
        submit(pk)
    _start()  # so that kept files are deleted on time even if nothing is uploaded
    close_old_connections()


def _run() -> None:
    while True:
        try:
            upload_id = _jobs.get(timeout=PURGE_EVERY)
        except queue.Empty:
            _purge_safely()
            continue
        try:
            process(upload_id)
        except Exception:  # the thread must outlive any one upload
            log.exception("upload %s: the worker failed", upload_id)
        finally:
            _purge_safely()
            _jobs.task_done()


def _purge_safely() -> None:
    try:
        purge_files()
    except Exception:  # a file that cannot be deleted now is tried again next time
        log.exception("deleting uploaded files past their retention failed")
    finally:
        close_old_connections()


def purge_files(now: datetime | None = None) -> int:
    """Delete the files of finished uploads older than VRHUB_UPLOAD_RETENTION_DAYS (all of them at the
    default, 0) and note when on each upload; returns how many were deleted."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.VRHUB_UPLOAD_RETENTION_DAYS)
    due = Upload.objects.filter(status__in=Upload.FINAL, file_deleted__isnull=True).filter(
        Q(finished__lte=cutoff) | Q(finished__isnull=True, created__lte=cutoff)
    )
    pending = set(Upload.objects.exclude(status__in=Upload.FINAL).values_list("stored_file", flat=True))
    deleted = 0
    for upload in due.only("pk", "stored_file"):
        if upload.stored_file in pending:  # the same file queued again: it is still needed
            continue
        try:
            storage.remove(upload.stored_file)
        except (OSError, ValueError):  # tried again next time; the others go now
            log.exception("upload %s: its file could not be deleted", upload.pk)
            continue
        Upload.objects.filter(pk=upload.pk).update(file_deleted=now)
        deleted += 1
    return deleted


def process(upload_id: int) -> None:
    """Load one queued upload and record the outcome on its row."""
    from vrhub.web import figures
    from vrhub.web.warehouse import hub

    upload = (
        Upload.objects.select_related("uploaded_by__profile__organisation")
        .filter(pk=upload_id, status=Upload.Status.QUEUED)
        .first()
    )
    if upload is None:  # already handled, or deleted
        return
    if not may_load_upload(upload.uploaded_by, upload.organisation_id, upload.source):
        _end(
            upload,
            Upload.Status.REFUSED,
            NOT_ALLOWED,
            "Ask an administrator which kinds of data your organisation may upload.",
        )
        record(
            None,
            "upload_refused",
            upload,
            user=upload.uploaded_by,
            source=upload.source,
            reason="source not allowed at load time",
        )
        return
    _update(upload, status=Upload.Status.RUNNING, started=timezone.now(), stage="Waiting for the warehouse")

    def progress(_path: Path, stage: str) -> None:
        Upload.objects.filter(pk=upload.pk).update(stage=STAGES.get(stage, stage))

    try:
        summaries = list(hub().ingest(upload.source, [upload.path], year=upload.year, progress=progress))
    except VrhubError as exc:
        _end(upload, Upload.Status.REFUSED, _own_name(exc.message, upload), _own_name(exc.hint, upload))
        return
    except Exception:
        log.exception("upload %s (%s): the load failed", upload.pk, upload.original_name)
        _end(
            upload,
            Upload.Status.FAILED,
            FAULT,
            "Upload the file again; if it fails again, tell an administrator (the log says why).",
        )
        return
    summary = summaries[0]
    _update(
        upload,
        status=Upload.Status.LOADED,
        stage="",
        finished=timezone.now(),
        load_id=summary.load_id,
        already_loaded=summary.already_loaded,
        rows_read=summary.rows_read,
        rows_loaded=summary.rows_loaded,
        rows_quarantined=summary.rows_quarantined,
        duplicates_skipped=summary.duplicates_skipped,
    )
    if summary.rows_loaded:
        try:
            figures.warm()
        except Exception:  # the load stands; pages compute the figures when first asked
            log.exception("upload %s: computing the figures after the load failed", upload.pk)


def _end(upload: Upload, status: str, message: str, hint: str) -> None:
    """A load that did not load: refused or failed, with what to tell the uploader."""
    _update(upload, status=status, stage="", finished=timezone.now(), error_message=message, error_hint=hint)


def _update(upload: Upload, **fields: object) -> None:
    for name, value in fields.items():
        setattr(upload, name, value)
    upload.save(update_fields=list(fields))


def _own_name(text: str, upload: Upload) -> str:
    """Messages name the file by its stored path; people know it by the name they uploaded."""
    return text.replace(str(upload.path), upload.original_name)
