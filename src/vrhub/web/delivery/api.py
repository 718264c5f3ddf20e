"""Delivery in the JSON API (mounted at /api/delivery/): interventions, funding rounds and awards, exception
reports and the logic model to read, and one write, the award, which the model refuses while a gate is
unmet: 409 with the model's own sentence and the missing items, as the form shows them.

Signed-in callers (bearer token or session) read everything in delivery (the public reads awards from
the public delivery pages' .json twins and the 360Giving download). Awarding
takes a programme manager or administrator; a session caller must send the CSRF token.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from vrhub.web.accounts.audit import record
from vrhub.web.api.auth import SIGNED_IN
from vrhub.web.api.schemas import ErrorOut, ValidationErrorOut
from vrhub.web.delivery import giving360
from vrhub.web.delivery.models import (
    Application,
    AwardRefused,
    ExceptionReport,
    FundingRound,
    GateNotMet,
    Intervention,
    TransitionRefused,
)
from vrhub.web.delivery.views import logic
from vrhub.web.delivery.views.common import may_edit, may_see_application

router = Router(auth=SIGNED_IN, tags=["delivery"])


class InterventionOut(Schema):
    id: int
    title: str
    description: str
    priority: str
    tier: str
    lead_organisation: str
    partner_organisations: list[str]
    boroughs: list[str]
    age_group: str
    yef_approach: str | None
    yef_impact_band: str | None
    yef_evidence_strength: int | None
    status: str
    start_date: dt.date | None
    end_date: dt.date | None
    budget: float | None
    short_term_measures: list[str]
    long_term_measures: list[str]


class MilestoneOut(Schema):
    id: int
    title: str
    due_date: dt.date
    tolerance_days: int
    status: str
    completed_date: dt.date | None
    rag: str


class KpiValueOut(Schema):
    quarter: str
    actual: float


class KpiOut(Schema):
    id: int
    name: str
    unit: str
    baseline: float
    target: float
    tolerance_pct: float
    direction: str
    values: list[KpiValueOut]
    forecast_quarter: str | None
    forecast: float | None
    rag: str


class RiskOut(Schema):
    id: int
    description: str
    likelihood: int
    impact: int
    score: int
    owner: str
    mitigation: str
    status: str


class ExceptionReportOut(Schema):
    id: int
    intervention_id: int
    intervention: str
    trigger: str
    title: str
    cause: str
    consequences: str
    options: str
    recommendation: str
    raised_at: dt.datetime
    status: str
    resolution_decision: str
    resolved_by: str
    resolved_at: dt.datetime | None


class LogicElementOut(Schema):
    id: int
    intervention_id: int | None
    stage: str
    text: str
    measure_id: str
    measure_period: str | None
    measure_value: float | None
    measure_change_vs_previous_pct: float | None
    measure_p_value: float | None
    leads_to: list[int]


class InterventionDetailOut(InterventionOut):
    milestones: list[MilestoneOut]
    kpis: list[KpiOut]
    risks: list[RiskOut]
    exception_reports: list[ExceptionReportOut]
    logic_model: list[LogicElementOut]


class FundingRoundOut(Schema):
    id: int
    title: str
    description: str
    opens: dt.date
    closes: dt.date
    budget: float
    published: bool
    open_now: bool
    awarded_total: float


class AwardOut(Schema):
    id: int
    title: str
    organisation: str
    funding_round: str
    amount_awarded: float | None
    awarded_on: dt.date | None
    priority: str
    tier: str
    boroughs: list[str]
    intervention_id: int | None


class AwardIn(Schema):
    reason: str
    amount: Annotated[Decimal, Field(gt=0, lt=Decimal("1e10"), decimal_places=2)] | None = None
    awarded_on: dt.date | None = None
    over_budget_approval: str = Field(
        "", description="Who approved exceeding the round's budget, and why (needed only when it does)."
    )


class AwardedOut(Schema):
    id: int
    state: str
    amount_awarded: float
    awarded_on: dt.date
    intervention_id: int


class RefusedOut(Schema):
    detail: str
    missing: list[str]


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def intervention_out(i: Intervention) -> dict[str, Any]:
    yef = i.yef_approach
    return {
        "id": i.pk,
        "title": i.title,
        "description": i.description,
        "priority": i.priority.name,
        "tier": i.tier.name,
        "lead_organisation": i.lead_organisation.name,
        "partner_organisations": [o.name for o in i.partner_organisations.all()],
        "boroughs": list(i.boroughs),
        "age_group": i.age_group,
        "yef_approach": yef.name if yef else None,
        "yef_impact_band": yef.impact_band if yef else None,
        "yef_evidence_strength": yef.evidence_strength if yef else None,
        "status": i.status,
        "start_date": i.start_date,
        "end_date": i.end_date,
        "budget": _float(i.budget),
        "short_term_measures": list(i.short_term_measures),
        "long_term_measures": list(i.long_term_measures),
    }


def exception_out(r: ExceptionReport) -> dict[str, Any]:
    return {
        "id": r.pk,
        "intervention_id": r.intervention_id,
        "intervention": r.intervention.title,
        "trigger": r.trigger,
        "title": r.title,
        "cause": r.cause,
        "consequences": r.consequences,
        "options": r.options,
        "recommendation": r.recommendation,
        "raised_at": r.raised_at,
        "status": r.status,
        "resolution_decision": r.resolution_decision,
        "resolved_by": r.resolved_by_name,
        "resolved_at": r.resolved_at,
    }


def _interventions() -> Any:
    return Intervention.objects.select_related(
        "priority", "tier", "lead_organisation", "yef_approach"
    ).prefetch_related("partner_organisations")


@router.get(
    "/interventions",
    response=list[InterventionOut],
    operation_id="list_delivery_interventions",
    summary="Interventions",
)
def list_interventions(request: HttpRequest) -> list[dict[str, Any]]:
    return [intervention_out(i) for i in _interventions().order_by("title")]


@router.get(
    "/interventions/{intervention_id}",
    response={200: InterventionDetailOut, 404: ErrorOut},
    operation_id="get_delivery_intervention",
    summary="One intervention with its action tracker and logic model",
)
def get_intervention(request: HttpRequest, intervention_id: int) -> Any:
    found = _interventions().filter(pk=intervention_id).first()
    if found is None:
        return Status(404, {"detail": "No such intervention."})
    kpis = []
    for k in found.kpis.prefetch_related("values"):
        forecast = k.forecast()
        kpis.append(
            {
                "id": k.pk,
                "name": k.name,
                "unit": k.unit,
                "baseline": float(k.baseline),
                "target": float(k.target),
                "tolerance_pct": float(k.tolerance_pct),
                "direction": k.direction,
                "values": [{"quarter": q, "actual": v} for q, v in k.series()],
                "forecast_quarter": forecast[0] if forecast else None,
                "forecast": forecast[1] if forecast else None,
                "rag": k.rag(),
            }
        )
    return {
        **intervention_out(found),
        "milestones": [
            {
                "id": m.pk,
                "title": m.title,
                "due_date": m.due_date,
                "tolerance_days": m.tolerance_days,
                "status": m.status,
                "completed_date": m.completed_date,
                "rag": m.rag(),
            }
            for m in found.milestones.all()
        ],
        "kpis": kpis,
        "risks": [
            {
                "id": r.pk,
                "description": r.description,
                "likelihood": r.likelihood,
                "impact": r.impact,
                "score": r.score,
                "owner": r.owner,
                "mitigation": r.mitigation,
                "status": r.status,
            }
            for r in found.risks.all()
        ],
        "exception_reports": [
            exception_out(r) for r in found.exception_reports.select_related("intervention")
        ],
        "logic_model": logic.flat_rows(found),
    }


@router.get(
    "/funding-rounds",
    response=list[FundingRoundOut],
    operation_id="list_delivery_funding_rounds",
    summary="Funding rounds",
)
def list_rounds(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": r.pk,
            "title": r.title,
            "description": r.description,
            "opens": r.opens,
            "closes": r.closes,
            "budget": float(r.budget),
            "published": r.published,
            "open_now": r.is_open(),
            "awarded_total": float(r.awarded_total()),
        }
        for r in FundingRound.objects.all()
    ]


@router.get(
    "/awards",
    response=list[AwardOut],
    operation_id="list_delivery_awards",
    summary="Awarded grants (also published at /delivery/public/awards.json)",
)
def list_awards(request: HttpRequest) -> list[dict[str, Any]]:
    from vrhub.web.delivery.views.public import award_row

    return [
        {**award_row(a), "amount_awarded": _float(a.amount_awarded)} for a in giving360.awarded_applications()
    ]


@router.get(
    "/exception-reports",
    response=list[ExceptionReportOut],
    operation_id="list_delivery_exception_reports",
    summary="Exception reports (open, resolved or all)",
)
def list_exceptions(
    request: HttpRequest, status: ExceptionReport.Status | None = None
) -> list[dict[str, Any]]:
    found = ExceptionReport.objects.select_related("intervention")
    if status is not None:
        found = found.filter(status=status)
    return [exception_out(r) for r in found]


@router.get(
    "/logic-model",
    response={200: list[LogicElementOut], 404: ErrorOut},
    operation_id="get_delivery_logic_model",
    summary="The partnership's logic model, or one intervention's",
)
def get_logic_model(request: HttpRequest, intervention: int | None = None) -> Any:
    if intervention is None:
        return logic.flat_rows(None)
    found = Intervention.objects.filter(pk=intervention).first()
    if found is None:
        return Status(404, {"detail": "No such intervention."})
    return logic.flat_rows(found)


@router.post(
    "/applications/{application_id}/award",
    response={
        200: AwardedOut,
        403: ErrorOut,
        404: ErrorOut,
        409: RefusedOut,
        422: ValidationErrorOut | ErrorOut,
    },
    operation_id="award_delivery_application",
    summary="Award an approved application (refused, naming what is missing, while a gate is unmet)",
)
def award(request: HttpRequest, application_id: int, body: AwardIn) -> Any:
    """409 when the application cannot be awarded: a gate is unmet (`missing` names each), its state does
    not allow an award, or it takes the round over its budget without `over_budget_approval` (`missing` is
    empty). 422 when no reason is given or the amount is not positive or more than the amount requested."""
    app = Application.objects.filter(pk=application_id).first()
    if app is None or not may_see_application(request.user, app):
        return Status(404, {"detail": "No such application."})
    if not may_edit(request.user):
        record(request, "access_denied", app, view="api_award")
        return Status(403, {"detail": "Only a programme manager or administrator may award funding."})
    if not body.reason.strip():
        return Status(422, {"detail": "Give the reason for the decision to award this application."})
    if body.amount is not None and body.amount <= 0:
        return Status(422, {"detail": "The amount awarded must be more than £0."})
    try:
        app.award(
            by=request.user,
            why=body.reason,
            request=request,
            amount=body.amount,
            on=body.awarded_on,
            over_budget_approval=body.over_budget_approval,
        )
    except GateNotMet as exc:
        return Status(409, {"detail": exc.messages[0], "missing": exc.missing})
    except AwardRefused as exc:
        if exc.field == "amount":
            return Status(422, {"detail": exc.messages[0]})
        return Status(409, {"detail": exc.messages[0], "missing": []})
    except TransitionRefused as exc:
        return Status(409, {"detail": exc.messages[0], "missing": []})
    return {
        "id": app.pk,
        "state": app.state,
        "amount_awarded": None if app.amount_awarded is None else float(app.amount_awarded),
        "awarded_on": app.awarded_on,
        "intervention_id": app.intervention_id,
    }
