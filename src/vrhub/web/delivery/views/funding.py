"""Funding rounds and applications: a partner drafts and submits; the programme manager assesses, approves,
awards or refuses, each with a reason. The award is the model's to refuse (GateNotMet): the form shows
what is missing before and after it is tried."""

from __future__ import annotations

import mimetypes
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from vrhub.web.accounts.access import organisation_of, role_of, role_required
from vrhub.web.accounts.audit import record
from vrhub.web.accounts.models import Role
from vrhub.web.delivery.audit import save_audited
from vrhub.web.delivery.forms import ApplicationForm, AwardForm, DecisionForm, FundingRoundForm, GatesForm
from vrhub.web.delivery.models import (
    Application,
    AwardRefused,
    FundingRound,
    GateNotMet,
    TransitionRefused,
)
from vrhub.web.delivery.views.common import (
    CONTRIBUTORS,
    EDITORS,
    READERS,
    form_page,
    may_edit,
    may_edit_application,
    may_see_application,
    may_see_application_internals,
    twin,
    visible_applications,
)


def _rounds_trail() -> list[tuple[str, str]]:
    return [(reverse("delivery:rounds"), "Funding rounds")]


def round_row(r: FundingRound) -> dict[str, Any]:
    return {
        "id": r.pk,
        "title": r.title,
        "opens": r.opens,
        "closes": r.closes,
        "budget": r.budget,
        "published": r.published,
        "open_now": r.is_open(),
        "awarded_total": r.awarded_total(),
        "over_budget_by": r.over_budget_by(),
    }


def application_row(a: Application) -> dict[str, Any]:
    return {
        "id": a.pk,
        "funding_round": a.funding_round.title,
        "organisation": a.organisation.name,
        "title": a.title,
        "priority": a.priority.name,
        "tier": a.tier.name,
        "state": a.get_state_display(),
        "amount_requested": a.amount_requested,
        "amount_awarded": a.amount_awarded,
        "awarded_on": a.awarded_on,
        "gates_missing": a.award_gaps(),
    }


@role_required(*READERS)
def rounds(request: HttpRequest, fmt: str = "") -> HttpResponse:
    found = FundingRound.objects.all()
    rows = [round_row(r) for r in found]
    context = {
        "rounds": found,
        "rows": rows,
        "over": [r for r in rows if r["over_budget_by"] > 0],
        "may_edit": may_edit(request.user),
    }
    return twin(request, fmt, "delivery/rounds.html", context, rows, "funding-rounds")


@role_required(*READERS)
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(FundingRound, pk=pk)
    apps = visible_applications(request.user).filter(funding_round=found)
    context = {
        "round": found,
        "applications": apps,
        "may_edit": may_edit(request.user),
        "may_apply": role_of(request.user) in CONTRIBUTORS
        and (may_edit(request.user) or (found.published and organisation_of(request.user) is not None)),
    }
    return render(request, "delivery/round.html", context)


@role_required(*EDITORS)
@require_http_methods(["GET", "POST"])
def round_new(request: HttpRequest) -> HttpResponse:
    form = FundingRoundForm(request.POST or None)

    def save(form: FundingRoundForm) -> HttpResponse:
        made = save_audited(form.save(commit=False), request)
        messages.success(request, f"The funding round '{made.title}' is added.")
        return redirect("delivery:round", pk=made.pk)

    return form_page(
        request,
        form,
        save,
        "Add a funding round",
        trail=_rounds_trail(),
        button="Add the round",
        cancel=reverse("delivery:rounds"),
    )


@role_required(*EDITORS)
@require_http_methods(["GET", "POST"])
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(FundingRound, pk=pk)
    form = FundingRoundForm(request.POST or None, instance=found)

    def save(form: FundingRoundForm) -> HttpResponse:
        save_audited(form.save(commit=False), request, changed=list(form.changed_data))
        messages.success(request, "The funding round is saved.")
        return redirect("delivery:round", pk=pk)

    trail = [*_rounds_trail(), (reverse("delivery:round", args=[pk]), found.title)]
    return form_page(
        request,
        form,
        save,
        "Change the funding round",
        trail=trail,
        cancel=reverse("delivery:round", args=[pk]),
    )


# -- applications --------------------------------------------------------------------------------------------
def _application(request: HttpRequest, pk: int, view: str) -> Application:
    """The application if this person may see it; another organisation's unawarded one answers 404."""
    found = (
        Application.objects.select_related(
            "organisation", "funding_round", "priority", "tier", "yef_approach"
        )
        .filter(pk=pk)
        .first()
    )
    if found is None or not may_see_application(request.user, found):
        record(request, "access_denied", object_type="delivery.application", object_id=pk, view=view)
        raise Http404("No such application.")
    return found


def _app_trail(app: Application | None = None) -> list[tuple[str, str]]:
    trail = [(reverse("delivery:applications"), "Applications")]
    if app is not None:
        trail.append((reverse("delivery:application", args=[app.pk]), app.title))
    return trail


@role_required(*READERS)
def applications(request: HttpRequest, fmt: str = "") -> HttpResponse:
    found = visible_applications(request.user).order_by("funding_round", "title")
    rows = [application_row(a) for a in found]
    context = {
        "applications": found,
        "may_apply": role_of(request.user) in CONTRIBUTORS,
        "partner": role_of(request.user) == Role.PARTNER,
    }
    return twin(request, fmt, "delivery/applications.html", context, rows, "applications")


@role_required(*READERS)
def application(request: HttpRequest, pk: int) -> HttpResponse:
    app = _application(request, pk, "detail")
    editor = may_edit(request.user)
    actions = [
        (name, label)
        for name, label in app.available_actions()
        if editor or (name == "submit" and may_edit_application(request.user, app))
    ]
    context = {
        "app": app,
        "gaps": app.award_gaps(),
        "decisions": app.decisions.all(),
        "actions": actions,
        "may_edit": may_edit_application(request.user, app),
        "is_editor": editor,
        "plan_name": app.sustainability_plan.name.rsplit("/", 1)[-1] if app.sustainability_plan else "",
        "internals": may_see_application_internals(request.user, app),
    }
    return render(request, "delivery/application.html", context)


@role_required(*CONTRIBUTORS)
@require_http_methods(["GET", "POST"])
def application_new(request: HttpRequest) -> HttpResponse:
    editor = may_edit(request.user)
    if not editor and organisation_of(request.user) is None:
        raise PermissionDenied("You need to belong to an organisation to apply for funding.")
    initial = {}
    if request.GET.get("round", "").isdigit():
        initial["funding_round"] = int(request.GET["round"])
    form = ApplicationForm(
        request.POST or None, request.FILES or None, user=request.user, editor=editor, initial=initial
    )

    def save(form: ApplicationForm) -> HttpResponse:
        made = save_audited(form.save(commit=False), request)
        messages.success(
            request, f"Your application '{made.title}' is saved as a draft. Submit it when it is ready."
        )
        return redirect("delivery:application", pk=made.pk)

    return form_page(
        request,
        form,
        save,
        "Apply for funding",
        trail=_app_trail(),
        button="Save as a draft",
        cancel=reverse("delivery:applications"),
    )


@role_required(*CONTRIBUTORS)
@require_http_methods(["GET", "POST"])
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    app = _application(request, pk, "edit")
    if not may_edit_application(request.user, app):
        record(request, "access_denied", app, view="edit")
        raise PermissionDenied("Only a draft can be changed by the organisation applying.")
    form = ApplicationForm(
        request.POST or None,
        request.FILES or None,
        instance=app,
        user=request.user,
        editor=may_edit(request.user),
    )

    def save(form: ApplicationForm) -> HttpResponse:
        save_audited(form.save(commit=False), request, changed=list(form.changed_data))
        messages.success(request, "The application is saved.")
        return redirect("delivery:application", pk=pk)

    return form_page(
        request,
        form,
        save,
        "Change the application",
        caption=app.title,
        trail=_app_trail(app),
        cancel=reverse("delivery:application", args=[pk]),
    )


@role_required(*EDITORS)
@require_http_methods(["GET", "POST"])
def application_gates(request: HttpRequest, pk: int) -> HttpResponse:
    app = _application(request, pk, "gates")
    form = GatesForm(request.POST or None, request.FILES or None, instance=app)

    def save(form: GatesForm) -> HttpResponse:
        saved = save_audited(form.save(commit=False), request, changed=list(form.changed_data))
        gaps = saved.award_gaps()
        if gaps:
            messages.info(request, f"Saved. Still missing: {'; '.join(gaps)}.")
        else:
            messages.success(request, "Saved. Every award gate is met.")
        return redirect("delivery:application", pk=pk)

    return form_page(
        request,
        form,
        save,
        "Record the award gates",
        caption=app.title,
        trail=_app_trail(app),
        intro=(
            "An application is awarded only with a sustainability plan, agreed terms of reference, a "
            "VAWG and domestic abuse themes review and an evidence rationale."
        ),
        gaps=app.award_gaps(),
        cancel=reverse("delivery:application", args=[pk]),
        template="delivery/gates.html",
    )


@role_required(*READERS)
@require_GET
def application_plan(request: HttpRequest, pk: int) -> HttpResponseBase:
    app = _application(request, pk, "plan")
    if not may_see_application_internals(request.user, app):
        record(request, "access_denied", app, view="plan")
        raise Http404("No such application.")
    if not app.sustainability_plan:
        raise Http404("No sustainability plan file is attached.")
    record(request, "delivery.download_plan", app)
    name = app.sustainability_plan.name.rsplit("/", 1)[-1]
    response = FileResponse(
        app.sustainability_plan.open("rb"),
        content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


DECISIONS = {
    "submit": ("Submit the application", "Submit"),
    "assess": ("Record the assessment", "Record the assessment"),
    "approve": ("Approve the application", "Approve"),
    "refuse": ("Refuse the application", "Refuse"),
    "activate": ("Start delivery", "Start delivery"),
    "close": ("Close the grant", "Close"),
}


@role_required(*CONTRIBUTORS)
@require_http_methods(["GET", "POST"])
def application_decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in DECISIONS:
        raise Http404("No such decision.")
    app = _application(request, pk, action)
    allowed = may_edit(request.user) or (action == "submit" and may_edit_application(request.user, app))
    if not allowed:
        record(request, "access_denied", app, view=action)
        raise PermissionDenied("Only a programme manager may take this decision.")
    form = DecisionForm(request.POST or None)
    heading, button = DECISIONS[action]

    def decide(form: DecisionForm) -> HttpResponse:
        try:
            getattr(app, action)(by=request.user, why=form.cleaned_data["why"], request=request)
        except TransitionRefused as exc:
            raise ValidationError({"why": exc.messages}) from None
        messages.success(request, f"The application is now {app.get_state_display().lower()}.")
        return redirect("delivery:application", pk=pk)

    return form_page(
        request,
        form,
        decide,
        heading,
        caption=app.title,
        trail=_app_trail(app),
        button=button,
        cancel=reverse("delivery:application", args=[pk]),
    )


@role_required(*EDITORS)
@require_http_methods(["GET", "POST"])
def application_award(request: HttpRequest, pk: int) -> HttpResponse:
    app = _application(request, pk, "award")
    form = AwardForm(request.POST or None, initial={"amount": app.amount_requested})
    refusal: dict[str, Any] = {}

    def award(form: AwardForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            app.award(
                by=request.user,
                why=data["why"],
                request=request,
                amount=data["amount"],
                on=data.get("awarded_on"),
                over_budget_approval=data.get("over_budget_approval", ""),
            )
        except GateNotMet as exc:
            refusal["missing"] = exc.missing
            raise ValidationError(exc.messages[0]) from None
        except AwardRefused as exc:
            raise ValidationError({exc.field: exc.messages}) from None
        except TransitionRefused as exc:
            raise ValidationError({"why": exc.messages}) from None
        messages.success(
            request, f"Awarded £{app.amount_awarded:,.2f}. The intervention is set up for its action tracker."
        )
        return redirect("delivery:application", pk=pk)

    response = form_page(
        request,
        form,
        award,
        "Award the grant",
        caption=app.title,
        trail=_app_trail(app),
        button="Award",
        cancel=reverse("delivery:application", args=[pk]),
        template="delivery/award.html",
        app=app,
        gaps=app.award_gaps(),
        refusal=refusal,
    )
    return response
