from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from vrhub.sources import SOURCES


class Role(models.TextChoices):
    ADMIN = "admin", "Administrator"
    ANALYST = "analyst", "Analyst (all data)"
    PARTNER = "partner", "Partner (own agency's records, all aggregates)"
    PROGRAMME_MANAGER = "programme_manager", "Programme manager"
    VIEWER = "viewer", "Viewer (aggregates only)"


# The record sources an organisation of each kind owns, given to a new organisation until an administrator
# says otherwise. The VRP gets only open and aggregate data: record-level partner data stays with the agency
# that holds it. Probation and the voluntary sector send no source vrhub reads, so they start with none.
DEFAULT_SOURCES: dict[str, list[str]] = {
    "police": ["police-records", "police-uk"],
    "health": ["ed-attendances", "hospital-admissions"],
    "ambulance": ["ambulance"],
    "fire": ["fire"],
    "council": ["indicators"],
    "education": ["indicators"],
    "probation": [],
    "vcs": [],
    "vrp": ["police-uk", "indicators"],
}


def default_sources(kind: str) -> list[str]:
    return list(DEFAULT_SOURCES.get(kind, []))


class Organisation(models.Model):
    """A partner agency: the owner of the uploads and record-level rows its people send.

    `allowed_sources` lists the record sources (names in vrhub.sources.SOURCES) its people may upload; an
    administrator sets it in the admin. A new organisation saved without it gets its kind's defaults
    (DEFAULT_SOURCES); after that only an administrator changes it, and an empty list allows nothing.
    """

    class Kind(models.TextChoices):
        POLICE = "police", "Police"
        HEALTH = "health", "Health"
        AMBULANCE = "ambulance", "Ambulance"
        FIRE = "fire", "Fire and rescue"
        COUNCIL = "council", "Local authority"
        EDUCATION = "education", "Education"
        PROBATION = "probation", "Probation and youth justice"
        VCS = "vcs", "Voluntary and community sector"
        VRP = "vrp", "Violence Reduction Partnership"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # None only until the first save, which fills in the kind's defaults.
    allowed_sources = models.JSONField(
        null=True,
        blank=True,
        default=None,
        verbose_name="sources it may upload",
        help_text="Record-level sources this organisation's people may upload (reference data, areas and "
        "population, is for analysts and administrators).",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.allowed_sources is None:
            self.allowed_sources = default_sources(self.kind)
        super().save(*args, **kwargs)

    @property
    def sources(self) -> list[str]:
        """The allowed sources that still exist, in vrhub.sources' order."""
        own = set(self.allowed_sources or ())
        return [name for name in SOURCES if name in own]


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.VIEWER)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT)

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class AuditEvent(models.Model):
    """Who did what, when, from where. Written by the application, never edited or deleted by it."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    username = models.CharField(max_length=150, blank=True)  # kept when the user is deleted
    action = models.CharField(max_length=60, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=60, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    path = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        who = self.username or "-"
        return f"{self.at:%Y-%m-%d %H:%M:%S} {who} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("audit events cannot be deleted")
