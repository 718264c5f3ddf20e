"""Voice and learning: case studies, community and young people's feedback ("you said, we did"),
scrutiny panels by strategic theme, and CPD training with attendance by organisation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone

from vrhub.web.accounts.models import Organisation
from vrhub.web.delivery.identifiers import describe, find_identifiers, redact
from vrhub.web.delivery.models.programme import Intervention, PreventionTier, StrategicPriority


class CaseStudy(models.Model):
    title = models.CharField(max_length=200)
    story = models.TextField()
    intervention = models.ForeignKey(
        Intervention, null=True, blank=True, on_delete=models.SET_NULL, related_name="case_studies"
    )
    consent_recorded = models.BooleanField(default=False)
    consent_date = models.DateField(null=True, blank=True)
    anonymised = models.BooleanField(default=False, help_text="Names and identifying details removed")
    priorities = models.ManyToManyField(StrategicPriority, blank=True, related_name="case_studies")
    tiers = models.ManyToManyField(PreventionTier, blank=True, related_name="case_studies")
    recorded_on = models.DateField(default=timezone.localdate)
    published = models.BooleanField(default=False)

    class Meta:
        ordering = ["-recorded_on", "title"]
        verbose_name_plural = "case studies"

    def __str__(self) -> str:
        return self.title

    def publish_gaps(self) -> list[str]:
        missing = []
        if not (self.consent_recorded and self.consent_date):
            missing.append("consent recorded with its date")
        if not self.anonymised:
            missing.append("confirmation that it is anonymised")
        return missing

    def problems(self) -> dict[str, str]:
        """{field: message} for what may not be saved: consent dated in the future, and a story published
        while it still holds likely identifiers (the "Anonymised" tick is a person's word; the text is
        checked too). Refused rather than warned: a published story is read by anyone, and a false alarm
        costs a rewording while a missed name can identify a child."""
        found: dict[str, str] = {}
        if self.consent_date and self.consent_date > timezone.localdate():
            found["consent_date"] = "The date consent was recorded must be today or in the past"
        if self.published:
            identifiers = find_identifiers(f"{self.title}\n{self.story}")
            if identifiers:
                found["story"] = (
                    "The story cannot be published while it contains what looks like "
                    f"{describe(identifiers)}: remove or change them, or leave it unpublished"
                )
        return found

    def clean(self) -> None:
        if self.problems():
            raise ValidationError(self.problems())

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.consent_recorded and not self.consent_date:
            raise ValidationError("Give the date consent was recorded.")
        if self.published and self.publish_gaps():
            raise ValidationError(
                f"This case study cannot be published without {' and '.join(self.publish_gaps())}."
            )
        if self.problems():
            raise ValidationError(self.problems())
        super().save(*args, **kwargs)


class FeedbackTheme(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Feedback(models.Model):
    class Source(models.TextChoices):
        YOUNG_PERSON = "young_person", "Young person"
        COMMUNITY = "community", "Community member"
        PROFESSIONAL = "professional", "Professional"

    text = models.TextField()
    source = models.CharField(max_length=20, choices=Source.choices)
    received_on = models.DateField(default=timezone.localdate)
    intervention = models.ForeignKey(
        Intervention, null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback"
    )
    priority = models.ForeignKey(StrategicPriority, null=True, blank=True, on_delete=models.SET_NULL)
    themes = models.ManyToManyField(FeedbackTheme, blank=True, related_name="feedback")
    response = models.TextField(blank=True, help_text='"You said, we did"')
    responded_on = models.DateField(null=True, blank=True)
    # Held for moderation: only programme managers and administrators read feedback until one of them
    # approves it; others then read it with contact details redacted (`shown_text`).
    approved = models.BooleanField(default=False)
    approved_by_name = models.CharField(max_length=150, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name_plural = "feedback"

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def redacted_text(self) -> str:
        return redact(self.text)

    def approve(self, by: Any = None, request: Any = None) -> None:
        from vrhub.web.delivery.audit import audit

        user = by if getattr(by, "is_authenticated", False) else None
        self.approved = True
        self.approved_by_name = user.get_username() if user else ""
        self.approved_at = timezone.now()
        self.save(update_fields=["approved", "approved_by_name", "approved_at"])
        audit("approve", self, request, user)

    def respond(self, response: str, on: dt.date | None = None, by: Any = None, request: Any = None) -> None:
        from vrhub.web.delivery.audit import audit

        if not (response or "").strip():
            raise ValidationError("Write the response: what was done about this feedback.")
        self.response = response.strip()
        self.responded_on = on or timezone.localdate()
        self.save()
        audit("respond", self, request, by)


class ScrutinyPanel(models.Model):
    """A panel of service users for one strategic theme (per priority, not per intervention)."""

    priority = models.ForeignKey(StrategicPriority, on_delete=models.PROTECT, related_name="scrutiny_panels")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["priority", "name"]

    def __str__(self) -> str:
        return self.name


class PanelMember(models.Model):
    panel = models.ForeignKey(ScrutinyPanel, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=100, blank=True, help_text="e.g. parent, young person, chair")
    joined_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["panel", "name"]

    def __str__(self) -> str:
        return self.name


class PanelMeeting(models.Model):
    panel = models.ForeignKey(ScrutinyPanel, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField()
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.panel} {self.date:%d %B %Y}"


class Recommendation(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Awaiting response"
        ACCEPTED = "accepted", "Accepted"
        DONE = "done", "Done"
        NOT_ACCEPTED = "not_accepted", "Not accepted"

    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="recommendations")
    text = models.TextField()
    response = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.status != self.Status.OPEN and not self.response.strip():
            raise ValidationError("A recommendation that is answered needs the response given to the panel.")
        super().save(*args, **kwargs)


class TrainingSession(models.Model):
    class Topic(models.TextChoices):
        ACES = "aces", "Adverse childhood experiences (ACEs)"
        TRAUMA = "trauma_informed", "Trauma-informed practice"
        NEURODIVERSITY = "neurodiversity", "Neurodiversity"
        VAWG = "vawg", "Violence against women and girls"
        EXPLOITATION = "exploitation", "Child exploitation"
        PUBLIC_HEALTH = "public_health", "Public health approach to violence"
        OTHER = "other", "Other"

    topic = models.CharField(max_length=30, choices=Topic.choices)
    title = models.CharField(max_length=200)
    date = models.DateField()
    delivered_by = models.CharField(max_length=200, blank=True)
    priority = models.ForeignKey(StrategicPriority, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-date", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d %B %Y})"

    def attendees(self) -> int:
        return sum(a.count for a in self.attendance.all())


class TrainingAttendance(models.Model):
    """How many people from one organisation attended a session."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendance")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="training_attendance"
    )
    count = models.PositiveIntegerField(validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["session", "organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "organisation"], name="one_attendance_row_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.count}"
