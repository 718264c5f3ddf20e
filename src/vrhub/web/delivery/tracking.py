"""Management by exception: raise PRINCE2 exception reports where a milestone or KPI is beyond tolerance,
and list the quarterly updates partners still owe."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from vrhub.measures.periods import quarter_bounds
from vrhub.web.accounts.models import Organisation
from vrhub.web.delivery.audit import audit
from vrhub.web.delivery.models import ExceptionReport, Intervention, Kpi, Milestone, QuarterlyUpdate

LIVE = (Intervention.Status.ACTIVE, Intervention.Status.ON_HOLD)


def _already_raised(trigger: dict[str, Any], basis: str) -> bool:
    """An open report on this trigger, or a resolved one on the same breach (same basis)."""
    reports = ExceptionReport.objects.filter(**trigger)
    return reports.filter(status="open").exists() or reports.filter(basis=basis).exists()


def _milestone_report(m: Milestone, today: dt.date) -> ExceptionReport:
    late = (today - m.due_date).days
    return ExceptionReport(
        intervention=m.intervention,
        trigger=ExceptionReport.Trigger.MILESTONE,
        milestone=m,
        basis=f"due {m.due_date.isoformat()}",
        title=f"{m.intervention}: '{m.title}' is {late} days overdue",
        cause=(
            f"The milestone was due on {m.due_date:%d %B %Y} and is not complete; its tolerance of "
            f"{m.tolerance_days} days ran out on {m.deadline:%d %B %Y}."
        ),
        consequences="Later milestones and the outcomes that depend on this one may slip.",
        options="Agree a new date; add resources; reduce scope; or stop the work.",
        recommendation="The lead organisation proposes a new date and the steering group agrees it.",
    )


def _kpi_report(k: Kpi) -> ExceptionReport:
    quarter, value = k.forecast()  # type: ignore[misc]
    latest = k.latest()
    assert latest is not None
    side = "below" if k.direction == Kpi.Direction.HIGHER else "above"
    return ExceptionReport(
        intervention=k.intervention,
        trigger=ExceptionReport.Trigger.KPI,
        kpi=k,
        basis=f"values to {latest[0]}",
        title=f"{k.intervention}: '{k.name}' is forecast {side} tolerance",
        cause=(
            f"On the trend of its quarterly values to {latest[0]}, {k.name} is forecast at "
            f"{value:,.1f} {k.unit} in {quarter}, against a target of {float(k.target):,.1f} "
            f"with a tolerance of {float(k.tolerance_pct):g}% ({side} {k.limit():,.1f} breaches it)."
        ),
        consequences="The intervention may not deliver the outcome it was funded for.",
        options="Change the delivery plan; revise the target with the steering group; or stop the work.",
        recommendation="The lead organisation explains the trend and proposes a recovery plan.",
    )


def due_exceptions(
    today: dt.date | None = None, intervention: Intervention | None = None
) -> list[ExceptionReport]:
    """The reports due now and not yet raised (unsaved): each milestone overdue beyond its tolerance and
    each KPI whose forecast breaches its tolerance, on active or paused interventions (one, or all).

    Pages show these as they are read, so what a page says agrees with its RAG whether or not the check
    has run; only raise_exceptions (a POST, the scheduled check, the command) records them."""
    today = today or timezone.localdate()
    due: list[ExceptionReport] = []
    milestones = Milestone.objects.filter(intervention__status__in=LIVE).exclude(status="complete")
    kpis = Kpi.objects.filter(intervention__status__in=LIVE)
    if intervention is not None:
        milestones, kpis = (
            milestones.filter(intervention=intervention),
            kpis.filter(intervention=intervention),
        )
    for m in milestones.select_related("intervention"):
        if m.is_beyond_tolerance(today) and not _already_raised(
            {"milestone": m}, f"due {m.due_date.isoformat()}"
        ):
            due.append(_milestone_report(m, today))
    for k in kpis.select_related("intervention").prefetch_related("values"):
        latest = k.latest()
        if latest and k.breaches() and not _already_raised({"kpi": k}, f"values to {latest[0]}"):
            due.append(_kpi_report(k))
    return due


def raise_exceptions(
    today: dt.date | None = None, user: Any = None, request: Any = None
) -> list[ExceptionReport]:
    """Record (and audit) the reports due_exceptions finds. Idempotent: one open report per trigger, and a
    resolved breach is not raised again. Returns the reports raised now."""
    with transaction.atomic():
        raised = due_exceptions(today)
        for report in raised:
            report.raised_at = timezone.now()
            report.save()
            audit("exception_raised", report, request, user, trigger=report.trigger, basis=report.basis)
    return raised


@dataclass(frozen=True)
class MissingUpdate:
    intervention: Intervention
    organisation: Organisation
    quarter: str


def missing_updates(quarter: str) -> list[MissingUpdate]:
    """Each organisation (lead and partners) of each active intervention with no update for the quarter.

    An intervention counts when it is active (or on hold) and was running at some time in the quarter."""
    start, end = quarter_bounds(quarter)
    done = set(
        QuarterlyUpdate.objects.filter(quarter=quarter).values_list("intervention_id", "organisation_id")
    )
    missing = []
    interventions = (
        Intervention.objects.filter(status__in=LIVE)
        .exclude(start_date__gt=end)
        .exclude(end_date__lt=start)
        .select_related("lead_organisation")
        .prefetch_related("partner_organisations")
        .order_by("title")
    )
    for intervention in interventions:
        for organisation in intervention.organisations():
            if (intervention.pk, organisation.pk) not in done:
                missing.append(MissingUpdate(intervention, organisation, quarter))
    return missing
