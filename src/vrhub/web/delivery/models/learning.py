"""What works, and what does not and why: each intervention's evaluations, as the strategy's "Measuring
Impact" asks (share "what works" and "what doesn't work and why").

An evaluation states its effect on one outcome with its 95% confidence interval, on a scale whose null is
known (a ratio's 1, a difference's 0), the design that produced it and the strength of its evidence on the
Youth Endowment Fund Toolkit's 1-5 scale. Its verdict is read from the interval, never typed in: a verdict
typed by hand is where "it worked" creeps in on an interval that spans no effect.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from vrhub.web.delivery.models.programme import Intervention


class Evaluation(models.Model):
    class Design(models.TextChoices):
        # Strongest first, as the YEF Toolkit ranks designs when it scores evidence strength.
        RCT = "rct", "Randomised controlled trial"
        MATCHED = "matched_comparison", "Matched comparison group (vrhub cohort outcomes)"
        SYNTHETIC_CONTROL = "synthetic_control", "Synthetic control (vrhub evaluate place)"
        DIFFERENCE_IN_DIFFERENCES = "difference_in_differences", "Difference in differences"
        TIME_SERIES = "interrupted_time_series", "Interrupted time series"
        BEFORE_AFTER = "before_after", "Before and after, no comparison group"
        QUALITATIVE = "qualitative", "Qualitative (no effect size)"

    class Scale(models.TextChoices):
        RATIO = "ratio", "Ratio: hazard, rate or odds ratio (1 is no effect)"
        DIFFERENCE = "difference", "Difference: risk difference or change in counts (0 is no effect)"
        PERCENT = "percent", "Percentage change (0 is no effect)"

    class Verdict(models.TextChoices):
        WORKS = "works", "Works"
        NO_CLEAR_EFFECT = "no_clear_effect", "No clear effect"
        HARM = "harm", "Did harm"
        NOT_MEASURED = "not_measured", "No effect measured"

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="evaluations")
    outcome = models.CharField(
        max_length=200, help_text="What was measured, e.g. 'ED assault attendance within 12 months'."
    )
    design = models.CharField(max_length=30, choices=Design.choices)
    scale = models.CharField(max_length=20, choices=Scale.choices, default=Scale.RATIO)
    effect = models.FloatField(null=True, blank=True)
    ci_low = models.FloatField("95% CI, lower", null=True, blank=True)
    ci_high = models.FloatField("95% CI, upper", null=True, blank=True)
    lower_is_better = models.BooleanField(
        default=True, help_text="True where the outcome is a harm (offending, injury): less is better."
    )
    evidence_strength = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="The YEF Toolkit's evidence strength, 1 (very low) to 5 (very high).",
    )
    why = models.TextField(
        "What we learned",
        blank=True,
        help_text="Why it worked or did not: delivery, reach, fidelity, the design's limits. Required where "
        "it did not work.",
    )
    source = models.CharField(
        max_length=200, blank=True, help_text="Where the figures come from: a vrhub run or a report."
    )
    evaluated_on = models.DateField(default=dt.date.today)

    class Meta:
        ordering = ["intervention__title", "-evaluated_on"]

    def __str__(self) -> str:
        return f"{self.intervention}: {self.outcome}"

    @property
    def null(self) -> float:
        return 1.0 if self.scale == self.Scale.RATIO else 0.0

    @property
    def verdict(self) -> str:
        """From the interval: it excludes no effect on the better side (works) or the worse side (harm), or
        spans it (no clear effect). Without an interval nothing was measured."""
        if self.ci_low is None or self.ci_high is None:
            return self.Verdict.NOT_MEASURED
        if self.ci_low <= self.null <= self.ci_high:
            return self.Verdict.NO_CLEAR_EFFECT
        below = self.ci_high < self.null
        return self.Verdict.WORKS if below == self.lower_is_better else self.Verdict.HARM

    def get_verdict_display(self) -> str:
        return str(self.Verdict(self.verdict).label)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        given = [v is not None for v in (self.effect, self.ci_low, self.ci_high)]
        if any(given) and not all(given):
            errors["ci_low"] = (
                "Give the effect with both ends of its 95% confidence interval, or none of them."
            )
        elif all(given) and not (self.ci_low <= self.effect <= self.ci_high):  # type: ignore[operator]
            errors["effect"] = "The effect lies outside its confidence interval."
        if self.scale == self.Scale.RATIO and self.ci_low is not None and self.ci_low <= 0:
            errors["ci_low"] = "A ratio is above 0."
        if self.design == self.Design.QUALITATIVE and any(given):
            errors["design"] = "A qualitative evaluation has no effect size: choose the design that gave one."
        if self.verdict in (self.Verdict.NO_CLEAR_EFFECT, self.Verdict.HARM) and not self.why.strip():
            errors["why"] = "Say what did not work and why: that is what the next commissioner needs."
        if errors:
            raise ValidationError(errors)

    def save(self, *args: object, **kwargs: object) -> None:
        self.full_clean()  # the register is read as evidence: a half-filled row never enters it
        super().save(*args, **kwargs)  # type: ignore[arg-type]
