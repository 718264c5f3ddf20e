"""The action tracker: milestones, KPIs with a value per quarter (the IATI results model), risks, PRINCE2
exception reports and the quarterly updates partners owe the steering group."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from vrhub.web.accounts.models import Organisation
from vrhub.web.delivery.models.programme import Intervention
from vrhub.web.delivery.reference import validate_measure_id, validate_quarter


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    COMPLETE = "complete", "Complete"
    NO_DATA = "no_data", "No data"


class Milestone(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    due_date = models.DateField()
    tolerance_days = models.PositiveIntegerField(default=14, help_text="Days late before an exception")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    completed_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if (self.status == self.Status.COMPLETE) != (self.completed_date is not None):
            raise ValidationError("A complete milestone has a completed date, and only a complete one.")

    @property
    def deadline(self) -> dt.date:
        """The last day it may still be done without an exception report."""
        return self.due_date + dt.timedelta(days=self.tolerance_days)

    def is_beyond_tolerance(self, today: dt.date) -> bool:
        return self.status != self.Status.COMPLETE and today > self.deadline

    def rag(self, today: dt.date | None = None) -> str:
        """Complete; red past its tolerance; amber past its due date; green otherwise."""
        today = today or timezone.localdate()
        if self.status == self.Status.COMPLETE:
            return Rag.COMPLETE
        if today > self.deadline:
            return Rag.RED
        if today > self.due_date:
            return Rag.AMBER
        return Rag.GREEN


class Kpi(models.Model):
    class Direction(models.TextChoices):
        HIGHER = "higher_is_better", "Higher is better"
        LOWER = "lower_is_better", "Lower is better"

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=50, help_text="e.g. young people, sessions, percent")
    baseline = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    target = models.DecimalField(max_digits=14, decimal_places=2)
    tolerance_pct = models.DecimalField(
        max_digits=5,
        decimal_places=1,
        default=Decimal("10"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="How far below (or above) target the forecast may be before an exception",
    )
    direction = models.CharField(max_length=20, choices=Direction.choices, default=Direction.HIGHER)
    measure_id = models.CharField(max_length=80, blank=True, validators=[validate_measure_id])

    class Meta:
        ordering = ["intervention", "name"]
        verbose_name = "KPI"

    def __str__(self) -> str:
        return self.name

    # The quarter arithmetic is imported in each method, not at the top: see validate_quarter.
    def series(self) -> list[tuple[str, float]]:
        from vrhub.measures.periods import quarter_index

        return sorted(
            ((v.quarter, float(v.actual)) for v in self.values.all()), key=lambda qv: quarter_index(qv[0])
        )

    def forecast_quarter(self) -> str | None:
        """The quarter forecast: the intervention's end, else the quarter after the latest value."""
        from vrhub.measures.periods import quarter_index, quarter_label, quarter_of

        if self.intervention.end_date:
            return quarter_of(self.intervention.end_date)
        series = self.series()
        if not series:
            return None
        return quarter_label(quarter_index(series[-1][0]) + 1)

    def forecast(self) -> tuple[str, float] | None:
        """(quarter, value): a least-squares line through the values, read at the forecast quarter
        (one value: that value carried forward). None without values."""
        from vrhub.measures.periods import quarter_index

        series = self.series()
        target_q = self.forecast_quarter()
        if not series or target_q is None:
            return None
        xs = [quarter_index(q) for q, _ in series]
        ys = [v for _, v in series]
        if len(series) == 1:
            return target_q, ys[0]
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        sxx = sum((x - mx) ** 2 for x in xs)
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
        return target_q, my + slope * (quarter_index(target_q) - mx)

    def limit(self) -> float:
        """The worst forecast within tolerance: target less (or plus) tolerance_pct of the target."""
        margin = abs(float(self.target)) * float(self.tolerance_pct) / 100
        return (
            float(self.target) - margin
            if self.direction == self.Direction.HIGHER
            else float(self.target) + margin
        )

    def breaches(self) -> bool:
        found = self.forecast()
        if found is None:
            return False
        value = found[1]
        return value < self.limit() if self.direction == self.Direction.HIGHER else value > self.limit()

    def rag(self) -> str:
        """Green: forecast meets target; amber: misses it within tolerance; red: beyond tolerance."""
        found = self.forecast()
        if found is None:
            return Rag.NO_DATA
        value, target = found[1], float(self.target)
        if self.breaches():
            return Rag.RED
        meets = value >= target if self.direction == self.Direction.HIGHER else value <= target
        return Rag.GREEN if meets else Rag.AMBER

    def latest(self) -> tuple[str, float] | None:
        series = self.series()
        return series[-1] if series else None


class KpiValue(models.Model):
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="values")
    quarter = models.CharField(max_length=7, validators=[validate_quarter], help_text="e.g. 2021-Q4")
    actual = models.DecimalField(max_digits=14, decimal_places=2)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["kpi", "quarter"]
        constraints = [models.UniqueConstraint(fields=["kpi", "quarter"], name="one_kpi_value_per_quarter")]
        verbose_name = "KPI value"

    def __str__(self) -> str:
        return f"{self.kpi} {self.quarter}: {self.actual}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        validate_quarter(self.quarter)
        super().save(*args, **kwargs)


class Risk(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="risks")
    description = models.TextField()
    likelihood = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    impact = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    owner = models.CharField(max_length=200)
    mitigation = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ["intervention", "-likelihood", "-impact"]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


class ExceptionReport(models.Model):
    """A PRINCE2 exception report: raised on a milestone or KPI beyond tolerance, closed by a decision."""

    class Trigger(models.TextChoices):
        MILESTONE = "milestone", "Milestone overdue beyond tolerance"
        KPI = "kpi", "KPI forecast beyond tolerance"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="exception_reports")
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    milestone = models.ForeignKey(
        Milestone, null=True, blank=True, on_delete=models.CASCADE, related_name="exception_reports"
    )
    kpi = models.ForeignKey(
        Kpi, null=True, blank=True, on_delete=models.CASCADE, related_name="exception_reports"
    )
    # What the report was raised on (the milestone's due date, or the KPI's latest quarter): the same
    # breach is not raised again once resolved, a new one (a new due date, a new quarter's value) is.
    basis = models.CharField(max_length=40, blank=True)
    title = models.CharField(max_length=300)
    cause = models.TextField()
    consequences = models.TextField(blank=True)
    options = models.TextField(blank=True)
    recommendation = models.TextField(blank=True)
    raised_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    resolution_decision = models.TextField(blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_by_name = models.CharField(max_length=150, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["milestone"], condition=Q(status="open"), name="one_open_report_per_milestone"
            ),
            models.UniqueConstraint(
                fields=["kpi"], condition=Q(status="open"), name="one_open_report_per_kpi"
            ),
            models.CheckConstraint(
                condition=(Q(trigger="milestone", milestone__isnull=False, kpi__isnull=True))
                | Q(trigger="kpi", kpi__isnull=False, milestone__isnull=True),
                name="exception_report_names_its_trigger",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def resolve(
        self, decision: str, by: Any = None, request: Any = None, when: dt.datetime | None = None
    ) -> None:
        """Close the report with the decision taken (required), recording who and when."""
        from vrhub.web.delivery.audit import audit

        if self.status != self.Status.OPEN:
            raise ValidationError("This exception report is already resolved.")
        if not (decision or "").strip():
            raise ValidationError("Record the decision that resolves this exception report.")
        user = by if getattr(by, "is_authenticated", False) else None
        self.status = self.Status.RESOLVED
        self.resolution_decision = decision.strip()
        self.resolved_by = user
        self.resolved_by_name = user.get_username() if user else ""
        self.resolved_at = when or timezone.now()
        self.save()
        audit("resolve", self, request, user, decision=self.resolution_decision)


class QuarterlyUpdate(models.Model):
    """A partner's quarterly update to the steering group on one intervention."""

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="updates")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="quarterly_updates")
    quarter = models.CharField(max_length=7, validators=[validate_quarter], help_text="e.g. 2021-Q4")
    narrative = models.TextField()
    spend_to_date = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"), message="Spend to date must be £0 or more")],
        help_text="GBP spent by this partner so far",
    )
    # People reached this quarter, as the strategy counts them (its measures, e.g. young people given a
    # mental-health intervention): partners report them here and they become catalogue measures.
    young_people_supported = models.PositiveIntegerField(
        default=0, help_text="Young people (under 25) this partner worked with this quarter"
    )
    young_people_mental_health = models.PositiveIntegerField(
        default=0, help_text="Of those, young people given a mental-health intervention"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-quarter", "intervention", "organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "organisation", "quarter"], name="one_update_per_partner_per_quarter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.intervention} {self.organisation} {self.quarter}"

    def clean(self) -> None:
        if self.young_people_mental_health > self.young_people_supported:
            raise ValidationError(
                {"young_people_mental_health": "This cannot be more than the young people worked with."}
            )

    def save(self, *args: Any, **kwargs: Any) -> None:
        validate_quarter(self.quarter)
        super().save(*args, **kwargs)
