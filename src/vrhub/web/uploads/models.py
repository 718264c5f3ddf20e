"""An uploaded file: who sent it, for which organisation and source, and what its load did."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format

from vrhub.sources import REFERENCE_SOURCES, SOURCES
from vrhub.web.accounts.models import Organisation

REFERENCE_TITLES = {
    "areas": "Areas: LSOA to local authority lookup (reference data)",
    "population": "Population: ONS mid-year estimates by single year of age (reference data)",
}
SOURCE_CHOICES = [(name, spec.title) for name, spec in SOURCES.items()] + [
    (name, REFERENCE_TITLES[name]) for name in REFERENCE_SOURCES
]


def _when(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "j F Y H:i")


def retention_words() -> str:
    """How long an uploaded file is kept, as the upload page says it."""
    days = settings.VRHUB_UPLOAD_RETENTION_DAYS
    if not days:
        return "The file itself is deleted from the server as soon as it is loaded."
    kept = f"{days} day{'s' if days != 1 else ''}"
    return f"The file itself is kept on the server for {kept} after it is loaded, then deleted."


class Upload(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Loading"
        LOADED = "loaded", "Loaded"
        REFUSED = "refused", "Refused"
        FAILED = "failed", "Failed"

    FINAL = (Status.LOADED, Status.REFUSED, Status.FAILED)

    # Null for an analyst or administrator who belongs to no agency: such uploads are theirs to see only.
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    source = models.CharField(max_length=40, choices=SOURCE_CHOICES)
    year = models.PositiveSmallIntegerField(null=True, blank=True)  # population: mid-year of the estimates
    original_name = models.CharField(max_length=255)
    # Relative to MEDIA_ROOT, which is never served: the file is read only by the worker, then deleted
    # (at once, or after VRHUB_UPLOAD_RETENTION_DAYS); the row keeps what the load did.
    stored_file = models.CharField(max_length=500)
    file_deleted = models.DateTimeField(null=True, blank=True)
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    stage = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    load_id = models.BigIntegerField(null=True, blank=True)
    already_loaded = models.BooleanField(default=False)  # the same bytes were loaded before: nothing added
    rows_read = models.BigIntegerField(null=True, blank=True)
    rows_loaded = models.BigIntegerField(null=True, blank=True)
    rows_quarantined = models.BigIntegerField(null=True, blank=True)
    duplicates_skipped = models.BigIntegerField(null=True, blank=True)
    error_message = models.TextField(blank=True)
    error_hint = models.TextField(blank=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.source}, {self.get_status_display()})"

    @property
    def path(self) -> Path:
        return Path(settings.MEDIA_ROOT) / self.stored_file

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL

    @property
    def file_delete_due(self) -> datetime | None:
        """When the worker deletes the file of a finished upload (None while loading, or once deleted)."""
        if self.file_deleted is not None or not self.is_final or self.finished is None:
            return None
        return self.finished + timedelta(days=settings.VRHUB_UPLOAD_RETENTION_DAYS)

    @property
    def file_kept(self) -> str:
        """What becomes of the file on the server, in words, as the worker does it: deleted by the purge that
        follows each load (and runs hourly) once VRHUB_UPLOAD_RETENTION_DAYS have passed since loading."""
        days = settings.VRHUB_UPLOAD_RETENTION_DAYS
        if self.file_deleted is not None:
            return f"Deleted {_when(self.file_deleted)}"
        if not days:
            # The purge runs as the load ends: a final upload's file is gone, or going, at once.
            state = "Being deleted now" if self.is_final else "Kept until it is loaded, then deleted"
            return f"{state}: this hub keeps no uploaded file once it is loaded"
        kept = f"{days} day{'s' if days != 1 else ''}"
        if self.file_delete_due is None:
            return f"Kept until it is loaded, then for {kept}, then deleted"
        return (
            f"Kept until {_when(self.file_delete_due)} ({kept} after loading), then deleted within the hour"
        )

    @property
    def is_reference(self) -> bool:
        return self.source in REFERENCE_SOURCES

    @property
    def table(self) -> str | None:
        """The warehouse table holding this upload's record-level rows (reference tables carry no load_id)."""
        spec = SOURCES.get(self.source)
        return spec.table if spec is not None else None
