"""What the scheduled work keeps in the web database: who holds a job now, and which emails went out."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Lease(models.Model):
    """A job's lock shared by every server process on the database: the holder until `until`.

    A lease rather than a database lock so that SQLite and PostgreSQL behave alike, and so that a process
    that dies holding it frees the job once `until` passes."""

    name = models.CharField(max_length=100, primary_key=True)
    holder = models.CharField(max_length=200, blank=True)
    until = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.name} held by {self.holder or 'nobody'} until {self.until:%Y-%m-%d %H:%M:%S}"


class Notice(models.Model):
    """One email sent about one item (an exception report, an overdue milestone, an update owed): the key
    names the item, so the same item is never emailed twice."""

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=30)
    subject = models.CharField(max_length=300)
    recipients = models.JSONField(default=list, blank=True)  # empty: nobody with an address to tell
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.sent_at:%Y-%m-%d %H:%M} {self.subject}"
