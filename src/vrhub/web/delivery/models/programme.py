"""The programme: strategic priorities, prevention tiers, YEF Toolkit approaches, interventions and the
logic model (activities -> outputs -> short-term outcomes -> longer-term outcomes)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from vrhub.web.accounts.models import Organisation
from vrhub.web.delivery.reference import (
    boroughs,
    validate_boroughs,
    validate_measure_id,
    validate_measure_ids,
)


class StrategicPriority(models.Model):
    """One of the strategy's five priorities (seeded by migration 0002)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "strategic priorities"

    def __str__(self) -> str:
        return self.name


class PreventionTier(models.Model):
    """Primary (everyone), secondary (those at risk) or tertiary (those already involved) prevention."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=50, unique=True)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class YefApproach(models.Model):
    """An approach rated by the Youth Endowment Fund Toolkit: its impact band and evidence strength."""

    class Band(models.TextChoices):
        HIGH = "high", "High (30% or more less violence)"
        MODERATE = "moderate", "Moderate (10-30% less violence)"
        LOW = "low", "Low (2-9% less violence)"
        NO_CLEAR_EVIDENCE = "no_clear_evidence", "No clear evidence"
        HARMFUL = "harmful", "Harmful"
        NOT_RATED = "not_rated", "Not rated"

    name = models.CharField(max_length=100, unique=True)
    impact_band = models.CharField(max_length=20, choices=Band.choices)
    # The Toolkit scores evidence quality 1-5; the scores were not captured, so most are blank.
    evidence_strength = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "YEF Toolkit approach"

    def __str__(self) -> str:
        return self.name


class Intervention(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        ACTIVE = "active", "Active"
        ON_HOLD = "on_hold", "On hold"
        COMPLETED = "completed", "Completed"
        STOPPED = "stopped", "Stopped"

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    priority = models.ForeignKey(StrategicPriority, on_delete=models.PROTECT, related_name="interventions")
    tier = models.ForeignKey(PreventionTier, on_delete=models.PROTECT, related_name="interventions")
    lead_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="led_interventions"
    )
    partner_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="partner_interventions"
    )
    boroughs = models.JSONField(default=list, blank=True, validators=[validate_boroughs])
    age_group = models.CharField(max_length=50, blank=True, help_text="e.g. 0-5, 10-17, 18-25, all ages")
    yef_approach = models.ForeignKey(
        YefApproach, null=True, blank=True, on_delete=models.SET_NULL, related_name="interventions"
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    budget = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"), message="The budget must be £0 or more")],
        help_text="GBP",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    theory_of_change = models.TextField(blank=True)
    short_term_measures = models.JSONField(default=list, blank=True, validators=[validate_measure_ids])
    long_term_measures = models.JSONField(default=list, blank=True, validators=[validate_measure_ids])

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The end date is before the start date."})

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Checked on every save, not only in forms: a bad borough or measure id would break the exports.
        if self.budget is not None and self.budget < 0:
            raise ValidationError({"budget": "The budget must be £0 or more"})
        validate_boroughs(self.boroughs)
        validate_measure_ids(self.short_term_measures)
        validate_measure_ids(self.long_term_measures)
        super().save(*args, **kwargs)

    @property
    def borough_names(self) -> list[str]:
        return [boroughs()[code] for code in self.boroughs]

    def organisations(self) -> list[Organisation]:
        """The lead and every partner: each owes a quarterly update."""
        partners = list(self.partner_organisations.all())
        return [self.lead_organisation, *[p for p in partners if p.pk != self.lead_organisation_id]]


class DeliverySite(models.Model):
    """A place an intervention is delivered, e.g. a school with an intensive mentor (Table 2 counts them)."""

    class Kind(models.TextChoices):
        SCHOOL = "school", "School"
        COMMUNITY = "community", "Community venue"
        HEALTH = "health", "Health setting"
        CUSTODY = "custody", "Custody or probation"
        OTHER = "other", "Other"

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SCHOOL)
    borough = models.CharField(max_length=9, blank=True)
    intensive_mentor = models.BooleanField(
        default=False, help_text="An intensive mentor for pupils on the cusp of permanent exclusion"
    )
    started_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["intervention", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.borough:
            validate_boroughs([self.borough])
        super().save(*args, **kwargs)


class LogicModelElement(models.Model):
    """One box of a logic model. Partnership-wide when `intervention` is empty."""

    class Stage(models.TextChoices):
        ACTIVITY = "activity", "Activities"
        OUTPUT = "output", "Outputs"
        SHORT_TERM = "short_term", "Short-term outcomes"
        LONG_TERM = "long_term", "Longer-term outcomes"

    STAGE_ORDER = ["activity", "output", "short_term", "long_term"]

    intervention = models.ForeignKey(
        Intervention, null=True, blank=True, on_delete=models.CASCADE, related_name="logic_model"
    )
    stage = models.CharField(max_length=20, choices=Stage.choices)
    text = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField(default=0)
    measure_id = models.CharField(
        max_length=80,
        blank=True,
        validators=[validate_measure_id],
        help_text="A measure showing this outcome",
    )
    leads_to = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="comes_from")

    class Meta:
        ordering = ["intervention_id", "stage", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.text}"

    def clean(self) -> None:
        if self.measure_id and self.stage in ("activity", "output"):
            raise ValidationError({"measure_id": "Only outcomes name a measure."})

    def save(self, *args: Any, **kwargs: Any) -> None:
        validate_measure_id(self.measure_id)
        super().save(*args, **kwargs)

    def link_to(self, later: LogicModelElement) -> None:
        """Draw an arrow to an element of a later stage of the same logic model."""
        if later.intervention_id != self.intervention_id:
            raise ValidationError("Both elements must belong to the same logic model.")
        if self.STAGE_ORDER.index(later.stage) <= self.STAGE_ORDER.index(self.stage):
            raise ValidationError(
                f"An arrow goes from {self.get_stage_display().lower()} to a later stage, "
                f"not to {later.get_stage_display().lower()}."
            )
        self.leads_to.add(later)

    @classmethod
    def by_stage(cls, intervention: Intervention | None = None) -> dict[str, list[LogicModelElement]]:
        """{stage: [elements]} in stage order, for the partnership (None) or one intervention."""
        rows = cls.objects.filter(intervention=intervention).prefetch_related("leads_to")
        grouped: dict[str, list[LogicModelElement]] = {stage: [] for stage in cls.STAGE_ORDER}
        for row in rows:
            grouped[row.stage].append(row)
        return grouped
