"""Funding rounds and applications, with the award gates the strategy sets, enforced in the model.

An application moves draft -> submitted -> assessed -> approved -> awarded -> active -> closed (or is refused
from submitted or assessed) only through its transition methods, each recording a Decision (who, when,
why) and an audit event. `award` is refused, with the missing items named, unless a sustainability plan is
attached, terms of reference are agreed, the VAWG/DA themes review is recorded and an evidence rationale
is given; `save` refuses an awarded application that lacks them, so no path around the method exists.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django_fsm import FSMField, TransitionNotAllowed, transition

from vrhub.web.accounts.models import Organisation
from vrhub.web.delivery.audit import audit
from vrhub.web.delivery.models.programme import Intervention, PreventionTier, StrategicPriority, YefApproach
from vrhub.web.delivery.reference import boroughs, validate_boroughs

# Money is never negative: a minus sign typed by mistake would otherwise pass as a saving.
NOT_NEGATIVE_BUDGET = MinValueValidator(Decimal("0"), message="The budget must be £0 or more")


class GateNotMet(ValidationError):
    """The award was refused; `.missing` lists what is missing, in words a person can act on."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = list(missing)
        super().__init__(gate_sentence(self.missing), code="gate_not_met")


class TransitionRefused(ValidationError):
    """A transition that the application's state (or a missing reason) does not allow."""


class AwardRefused(TransitionRefused):
    """An award refused for its amount; `.field` names the form field to show it on."""

    def __init__(self, message: str, field: str) -> None:
        self.field = field
        super().__init__(message, code="award_refused")


def pounds(value: Decimal) -> str:
    return f"£{value:,.2f}"


def gate_sentence(missing: list[str]) -> str:
    listed = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1]
    return f"This application cannot be awarded until it has {listed}."


class FundingRound(models.Model):
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    opens = models.DateField()
    closes = models.DateField()
    budget = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[NOT_NEGATIVE_BUDGET], help_text="GBP"
    )
    published = models.BooleanField(default=False, help_text="An open call, published to all")

    class Meta:
        ordering = ["-opens", "title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.closes < self.opens:
            raise ValidationError({"closes": "The round closes before it opens."})

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.budget is not None and self.budget < 0:
            raise ValidationError({"budget": "The budget must be £0 or more"})
        super().save(*args, **kwargs)

    def is_open(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.published and self.opens <= today <= self.closes

    def over_budget_by(self) -> Decimal:
        """How far the awards exceed the budget (0 within it)."""
        return max(self.awarded_total() - self.budget, Decimal("0"))

    def awarded_total(self) -> Decimal:
        total = self.applications.filter(state__in=Application.AWARDED_STATES).aggregate(
            total=models.Sum("amount_awarded")
        )["total"]
        return total or Decimal("0")


class Application(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        ASSESSED = "assessed", "Assessed"
        APPROVED = "approved", "Approved"
        AWARDED = "awarded", "Awarded"
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"
        REFUSED = "refused", "Refused"

    AWARDED_STATES = ("awarded", "active", "closed")
    # Transition name -> the words used in messages and on buttons.
    ACTIONS = {
        "submit": "Submit",
        "assess": "Record assessment",
        "approve": "Approve",
        "award": "Award",
        "activate": "Start delivery",
        "close": "Close",
        "refuse": "Refuse",
    }
    NEEDS_REASON = ("approve", "award", "refuse")

    funding_round = models.ForeignKey(FundingRound, on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="applications")
    title = models.CharField(max_length=200)
    summary = models.TextField()
    priority = models.ForeignKey(StrategicPriority, on_delete=models.PROTECT)
    tier = models.ForeignKey(PreventionTier, on_delete=models.PROTECT)
    boroughs = models.JSONField(default=list, blank=True, validators=[validate_boroughs])
    age_group = models.CharField(max_length=50, blank=True)
    yef_approach = models.ForeignKey(YefApproach, null=True, blank=True, on_delete=models.SET_NULL)
    amount_requested = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))], help_text="GBP"
    )
    planned_start = models.DateField(null=True, blank=True)
    planned_end = models.DateField(null=True, blank=True)

    # The gates (see award_gaps).
    sustainability_plan = models.FileField(upload_to="delivery/sustainability/", blank=True)
    sustainability_plan_text = models.TextField(blank=True)
    terms_of_reference_agreed = models.BooleanField(default=False)
    terms_of_reference_agreed_on = models.DateField(null=True, blank=True)
    terms_of_reference_agreed_by = models.CharField(max_length=200, blank=True)
    vawg_review = models.TextField(blank=True, help_text="How VAWG and domestic abuse themes are addressed")
    vawg_reviewed_by = models.CharField(max_length=200, blank=True)
    vawg_reviewed_on = models.DateField(null=True, blank=True)
    evidence_rationale = models.TextField(blank=True)

    state = FSMField(default=State.DRAFT, choices=State.choices)
    amount_awarded = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    # An award that takes its round over budget needs an approval (who and why), recorded here and in the
    # award's decision; public-sector grant practice allows no overspend without one.
    over_budget_approval = models.TextField(blank=True)
    awarded_on = models.DateField(null=True, blank=True)
    intervention = models.OneToOneField(
        Intervention, null=True, blank=True, on_delete=models.SET_NULL, related_name="application"
    )
    created_at = models.DateTimeField(default=timezone.now)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["funding_round", "title"]

    def __str__(self) -> str:
        return self.title

    # -- the gates ----------------------------------------------------------------------------------------
    def award_gaps(self) -> list[str]:
        """What must be recorded before the award, in words (empty when every gate is met)."""
        missing = []
        if not self.sustainability_plan and not self.sustainability_plan_text.strip():
            missing.append("a sustainability plan")
        if not (
            self.terms_of_reference_agreed
            and self.terms_of_reference_agreed_on
            and self.terms_of_reference_agreed_by.strip()
        ):
            missing.append("agreed terms of reference (with the date and who agreed them)")
        if not (self.vawg_review.strip() and self.vawg_reviewed_by.strip() and self.vawg_reviewed_on):
            missing.append("a VAWG and domestic abuse themes review (with who reviewed it and when)")
        if not self.evidence_rationale.strip():
            missing.append("an evidence rationale")
        return missing

    @property
    def borough_names(self) -> list[str]:
        return [boroughs().get(code, code) for code in self.boroughs]

    def save(self, *args: Any, **kwargs: Any) -> None:
        validate_boroughs(self.boroughs)
        if self.amount_awarded is not None and self.amount_awarded > self.amount_requested:
            raise ValidationError({"amount_awarded": self._more_than_requested(self.amount_awarded)})
        if self.state in self.AWARDED_STATES:
            gaps = self.award_gaps()
            if gaps:
                raise GateNotMet(gaps)
        super().save(*args, **kwargs)

    # -- the state machine (django-fsm); call the public methods below, which record the decision ---------
    @transition(field=state, source=State.DRAFT, target=State.SUBMITTED)
    def _submit(self) -> None:
        """The state change alone; `submit()` checks, records the decision and saves."""

    @transition(field=state, source=State.SUBMITTED, target=State.ASSESSED)
    def _assess(self) -> None:
        """The state change alone; `assess()` checks, records the decision and saves."""

    @transition(field=state, source=State.ASSESSED, target=State.APPROVED)
    def _approve(self) -> None:
        """The state change alone; `approve()` checks, records the decision and saves."""

    @transition(field=state, source=State.APPROVED, target=State.AWARDED)
    def _award(self) -> None:
        gaps = self.award_gaps()
        if gaps:
            raise GateNotMet(gaps)

    @transition(field=state, source=State.AWARDED, target=State.ACTIVE)
    def _activate(self) -> None:
        """The state change alone; `activate()` checks, records the decision and saves."""

    @transition(field=state, source=State.ACTIVE, target=State.CLOSED)
    def _close(self) -> None:
        """The state change alone; `close()` checks, records the decision and saves."""

    @transition(field=state, source=[State.SUBMITTED, State.ASSESSED], target=State.REFUSED)
    def _refuse(self) -> None:
        """The state change alone; `refuse()` checks, records the decision and saves."""

    def available_actions(self) -> list[tuple[str, str]]:
        """(name, label) of each transition the current state allows, for buttons and the API."""
        transitions = self.get_available_state_transitions()  # type: ignore[attr-defined]  # django-fsm's
        names = {t.name.lstrip("_") for t in transitions}
        return [(name, label) for name, label in self.ACTIONS.items() if name in names]

    def _move(
        self,
        name: str,
        by: Any,
        why: str,
        request: HttpRequest | None,
        when: dt.datetime | None = None,
        after: Any = None,
    ) -> Decision:
        if name in self.NEEDS_REASON and not (why or "").strip():
            raise TransitionRefused(f"Give the reason for the decision to {name} this application.")
        before = self.state
        with transaction.atomic():
            try:
                getattr(self, f"_{name}")()
            except TransitionNotAllowed:
                raise TransitionRefused(
                    f"An application that is {self.State(before).label.lower()} cannot be given "
                    f"'{self.ACTIONS[name]}'."
                ) from None
            if after is not None:
                after()
            self.save()
            user = by if getattr(by, "is_authenticated", False) else None
            decision = Decision.objects.create(
                application=self,
                from_state=before,
                to_state=self.state,
                by=user,
                by_name=user.get_username() if user else "",
                at=when or timezone.now(),
                why=why or "",
            )
            audit(name, self, request, user, from_state=before, to_state=self.state, why=why or "")
        return decision

    def submit(self, by: Any = None, why: str = "", request: HttpRequest | None = None) -> Decision:
        return self._move("submit", by, why, request)

    def assess(self, by: Any = None, why: str = "", request: HttpRequest | None = None) -> Decision:
        return self._move("assess", by, why, request)

    def approve(self, by: Any = None, why: str = "", request: HttpRequest | None = None) -> Decision:
        return self._move("approve", by, why, request)

    def refuse(self, by: Any = None, why: str = "", request: HttpRequest | None = None) -> Decision:
        return self._move("refuse", by, why, request)

    def _more_than_requested(self, amount: Decimal) -> str:
        return (
            f"The amount awarded ({pounds(amount)}) must not be more than the amount requested "
            f"({pounds(self.amount_requested)})"
        )

    def award(
        self,
        by: Any = None,
        why: str = "",
        request: HttpRequest | None = None,
        amount: Decimal | None = None,
        on: dt.date | None = None,
        over_budget_approval: str = "",
    ) -> Decision:
        """Award (refused with GateNotMet while a gate is unmet) and create or link the intervention.

        Refused (AwardRefused) above the amount requested, and where it takes the round over its budget
        unless `over_budget_approval` says who approved the overspend and why (then recorded)."""
        amount = self.amount_requested if amount is None else Decimal(amount)
        # The field holds pounds and pence up to £9,999,999,999.99: anything else is refused, not rounded.
        if not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
            raise AwardRefused("The amount awarded must be more than £0, in pounds and pence.", "amount")
        if amount >= Decimal("1e10"):
            raise AwardRefused("The amount awarded must be less than £10,000,000,000.", "amount")
        if amount > self.amount_requested:
            raise AwardRefused(self._more_than_requested(amount), "amount")
        approval = (over_budget_approval or "").strip()
        round_ = self.funding_round
        total = round_.awarded_total() + amount
        over = total > round_.budget
        if over and not approval:
            raise AwardRefused(
                f"This award of {pounds(amount)} takes the awards of {round_.title} to {pounds(total)}, "
                f"over its budget of {pounds(round_.budget)}: give who approved exceeding the budget, "
                "and why, or award less",
                "over_budget_approval",
            )
        if over and (why or "").strip():
            why = f"{why.strip()} (Over budget, approved: {approval})"

        def link() -> None:
            self.amount_awarded = amount
            self.over_budget_approval = approval if over else ""
            self.awarded_on = on or timezone.localdate()
            self.intervention = self._create_or_link_intervention(amount, request, by)

        return self._move("award", by, why, request, after=link)

    def activate(self, by: Any = None, why: str = "", request: HttpRequest | None = None) -> Decision:
        def start() -> None:
            if self.intervention and self.intervention.status == Intervention.Status.PLANNED:
                self.intervention.status = Intervention.Status.ACTIVE
                self.intervention.save(update_fields=["status"])

        return self._move("activate", by, why, request, after=start)

    def close(self, by: Any = None, why: str = "", request: HttpRequest | None = None) -> Decision:
        def finish() -> None:
            if self.intervention and self.intervention.status in ("planned", "active", "on_hold"):
                self.intervention.status = Intervention.Status.COMPLETED
                self.intervention.save(update_fields=["status"])

        return self._move("close", by, why, request, after=finish)

    def _create_or_link_intervention(self, amount: Decimal, request: Any, by: Any) -> Intervention:
        if self.intervention is not None:
            if self.intervention.budget is None:
                self.intervention.budget = amount
                self.intervention.save(update_fields=["budget"])
            return self.intervention
        created = Intervention.objects.create(
            title=self.title,
            description=self.summary,
            priority=self.priority,
            tier=self.tier,
            lead_organisation=self.organisation,
            boroughs=list(self.boroughs),
            age_group=self.age_group,
            yef_approach=self.yef_approach,
            start_date=self.planned_start,
            end_date=self.planned_end,
            budget=amount,
            status=Intervention.Status.PLANNED,
        )
        user = by if getattr(by, "is_authenticated", False) else None
        audit("create", created, request, user, from_application=self.pk)
        return created


class Decision(models.Model):
    """One transition of an application: from, to, who, when, why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="decisions")
    from_state = models.CharField(max_length=20, choices=Application.State.choices)
    to_state = models.CharField(max_length=20, choices=Application.State.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    by_name = models.CharField(max_length=150, blank=True)  # kept if the user is deleted
    at = models.DateTimeField(default=timezone.now)
    why = models.TextField(blank=True)

    class Meta:
        ordering = ["application", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.application}: {self.from_state} -> {self.to_state}"
