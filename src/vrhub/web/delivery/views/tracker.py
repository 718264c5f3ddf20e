"""The action tracker: milestones, KPIs and their quarterly values, risks, exception reports, quarterly
partner updates, and the steering group page (which shows the exception reports due; a programme manager's
POST or the scheduled check records them) with its pack."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vrhub.measures.periods import quarter_of
from vrhub.web.accounts.access import role_required
from vrhub.web.accounts.audit import record
from vrhub.web.delivery.audit import save_audited
from vrhub.web.delivery.forms import (
    KpiForm,
    KpiValueForm,
    MilestoneForm,
    PackForm,
    QuarterlyUpdateForm,
    ResolveForm,
    RiskForm,
    model_field,
)
from vrhub.web.delivery.models import (
    ExceptionReport,
    Intervention,
    Kpi,
    KpiValue,
    Milestone,
    QuarterlyUpdate,
    Rag,
    Risk,
)
from vrhub.web.delivery.tracking import due_exceptions, missing_updates, raise_exceptions
from vrhub.web.delivery.views import pack_jobs
from vrhub.web.delivery.views.common import (
    CONTRIBUTORS,
    EDITORS,
    READERS,
    editable_intervention,
    form_page,
    may_edit,
    twin,
)


def _trail(intervention: Intervention) -> list[tuple[str, str]]:
    return [
        (reverse("delivery:interventions"), "Interventions"),
        (reverse("delivery:intervention", args=[intervention.pk]), intervention.title),
    ]


def _back(intervention: Intervention, anchor: str) -> HttpResponse:
    return redirect(reverse("delivery:intervention", args=[intervention.pk]) + f"#{anchor}")


def _edit_page(
    request: HttpRequest,
    intervention: Intervention,
    form: Any,
    heading: str,
    anchor: str,
    done: str,
    **extra: Any,
) -> HttpResponse:
    def save(form: Any) -> HttpResponse:
        obj = form.save(commit=False)
        if hasattr(obj, "intervention_id") and not obj.intervention_id:
            obj.intervention = intervention
        save_audited(obj, request, changed=list(form.changed_data))
        messages.success(request, done)
        return _back(intervention, anchor)

    return form_page(
        request,
        form,
        save,
        heading,
        caption=intervention.title,
        trail=_trail(intervention),
        cancel=reverse("delivery:intervention", args=[intervention.pk]) + f"#{anchor}",
        **extra,
    )


# -- milestones ----------------------------------------------------------------------------------------------
@role_required(*CONTRIBUTORS)
@require_http_methods(["GET", "POST"])
def milestone_new(request: HttpRequest, pk: int) -> HttpResponse:
    intervention = editable_intervention(request, pk, "milestone_new")
    form = MilestoneForm(request.POST or None, instance=Milestone(intervention=intervention))
    return _edit_page(request, intervention, form, "Add a milestone", "milestones", "The milestone is added.")


@role_required(*CONTRIBUTORS)
@require_http_methods(["GET", "POST"])
def milestone_edit(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    intervention = editable_intervention(request, pk, "milestone_edit")
    found = get_object_or_404(Milestone, pk=item, intervention=intervention)
    form = MilestoneForm(request.POST or None, instance=found)
    return _edit_page(
        request, intervention, form, "Change the milestone", "milestones", "The milestone is saved."
    )


@role_required(*CONTRIBUTORS)
@require_POST
def milestone_complete(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    intervention = editable_intervention(request, pk, "milestone_complete")
    found = get_object_or_404(Milestone, pk=item, intervention=intervention)
    found.status = Milestone.Status.COMPLETE
    found.completed_date = timezone.localdate()
    save_audited(found, request, changed=["status", "completed_date"])
    messages.success(request, f"'{found.title}' is marked complete.")
    return _back(intervention, "milestones")


# -- KPIs and risks ------------------------------------------------------------------------------------------
@role_required(*CONTRIBUTORS)
@require_http_methods(["GET", "POST"])
def kpi_new(request: HttpRequest, pk: int) -> HttpResponse:
    intervention = editable_intervention(request, pk, "kpi_new")
    form = KpiForm(request.POST or None, instance=Kpi(intervention=intervention))
    return _edit_page(request, intervention, form, "Add a KPI", "kpis", "The KPI is added.")


@role_required(*CONTRIBUTORS)
@require_http_methods(["GET", "POST"])
def kpi_edit(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    intervention = editable_intervention(request, pk, "kpi_edit")
    found = get_object_or_404(Kpi, pk=item, intervention=intervention)
    form = KpiForm(request.POST or None, instance=found)
    return _edit_page(request, intervention, form, "Change the KPI", "kpis", "The KPI is saved.")


@role_required(*CONTRIBUTORS)
@require_http_methods(["GET", "POST"])
def kpi_value_new(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    intervention = editable_intervention(request, pk, "kpi_value_new")
    kpi = get_object_or_404(Kpi, pk=item, intervention=intervention)
    form = KpiValueForm(request.POST or None, instance=KpiValue(kpi=kpi))
    return _edit_page(
        request, intervention, form, f"Record a quarter's value: {kpi.name}", "kpis", "The value is recorded."
    )


@role_required(*CONTRIBUTORS)
@require_http_methods(["GET", "POST"])
def risk_new(request: HttpRequest, pk: int) -> HttpResponse:
    intervention = editable_intervention(request, pk, "risk_new")
    form = RiskForm(request.POST or None, instance=Risk(intervention=intervention))
    return _edit_page(request, intervention, form, "Add a risk", "risks", "The risk is added.")


@role_required(*CONTRIBUTORS)
@require_http_methods(["GET", "POST"])
def risk_edit(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    intervention = editable_intervention(request, pk, "risk_edit")
    found = get_object_or_404(Risk, pk=item, intervention=intervention)
    form = RiskForm(request.POST or None, instance=found)
    return _edit_page(request, intervention, form, "Change the risk", "risks", "The risk is saved.")


# -- quarterly updates ---------------------------------------------------------------------------------------
@role_required(*CONTRIBUTORS)
@require_http_methods(["GET", "POST"])
def update_new(request: HttpRequest, pk: int) -> HttpResponse:
    intervention = editable_intervention(request, pk, "update_new")
    form = QuarterlyUpdateForm(
        request.POST or None,
        intervention=intervention,
        user=request.user,
        editor=may_edit(request.user),
        initial={"quarter": quarter_of(timezone.localdate())},
    )
    allowed = model_field(form, "organisation").queryset
    if allowed is None or not allowed.exists():
        raise PermissionDenied("Your organisation is not one of this intervention's organisations.")

    def save(form: QuarterlyUpdateForm) -> HttpResponse:
        update = form.save(commit=False)
        update.submitted_by = request.user
        save_audited(update, request)
        messages.success(request, f"The update for {update.quarter} is sent to the steering group.")
        return _back(intervention, "updates")

    return form_page(
        request,
        form,
        save,
        "Send a quarterly update",
        caption=intervention.title,
        trail=_trail(intervention),
        cancel=reverse("delivery:intervention", args=[pk]),
        button="Send the update",
    )


def update_row(u: QuarterlyUpdate) -> dict[str, Any]:
    return {
        "id": u.pk,
        "intervention_id": u.intervention_id,
        "intervention": u.intervention.title,
        "organisation": u.organisation.name,
        "quarter": u.quarter,
        "spend_to_date": u.spend_to_date,
        "narrative": u.narrative,
        "submitted_at": u.submitted_at,
    }


@role_required(*READERS)
def updates(request: HttpRequest, fmt: str = "") -> HttpResponse:
    found = QuarterlyUpdate.objects.select_related("intervention", "organisation")
    rows = [update_row(u) for u in found]
    return twin(request, fmt, "delivery/updates.html", {"updates": found}, rows, "quarterly-updates")


# -- exception reports ---------------------------------------------------------------------------------------
def exception_row(r: ExceptionReport) -> dict[str, Any]:
    return {
        "id": r.pk,
        "intervention_id": r.intervention_id,
        "intervention": r.intervention.title,
        "trigger": r.get_trigger_display(),
        "title": r.title,
        "cause": r.cause,
        "consequences": r.consequences,
        "options": r.options,
        "recommendation": r.recommendation,
        "raised_at": r.raised_at,
        "status": r.get_status_display(),
        "resolution_decision": r.resolution_decision,
        "resolved_by": r.resolved_by_name,
        "resolved_at": r.resolved_at,
    }


@role_required(*READERS)
def exceptions(request: HttpRequest, fmt: str = "") -> HttpResponse:
    status = request.GET.get("status", "")
    found = ExceptionReport.objects.select_related("intervention")
    if status in ExceptionReport.Status.values:
        found = found.filter(status=status)
    rows = [exception_row(r) for r in found]
    return twin(
        request,
        fmt,
        "delivery/exceptions.html",
        {"reports": found, "status": status},
        rows,
        "exception-reports",
    )


@role_required(*READERS)
@require_http_methods(["GET", "POST"])
def exception_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(ExceptionReport.objects.select_related("intervention"), pk=pk)
    editor = may_edit(request.user)
    if request.method == "POST" and not editor:
        record(request, "access_denied", report, view="resolve")
        raise PermissionDenied("Only the programme manager records the steering group's decision.")
    form = ResolveForm(request.POST or None)

    def resolve(form: ResolveForm) -> HttpResponse:
        report.resolve(form.cleaned_data["decision"], by=request.user, request=request)
        messages.success(request, "The exception report is resolved with the decision recorded.")
        return redirect("delivery:steering")

    trail = [(reverse("delivery:steering"), "Steering group")]
    return form_page(
        request,
        form,
        resolve,
        report.title,
        template="delivery/exception.html",
        report=report,
        may_resolve=editor and report.status == ExceptionReport.Status.OPEN,
        trail=trail,
        button="Resolve with this decision",
    )


# -- the steering group --------------------------------------------------------------------------------------
def _steering_page(request: HttpRequest, pack_form: PackForm | None = None) -> HttpResponse:
    """The page; with a bound pack form in error it answers 400 with the GOV.UK error pattern."""
    today = dt.date.today()
    # Reading the page records nothing: the reports due are shown as found now, and recorded by the hourly
    # check or by a programme manager's "Raise" (a POST).
    due = due_exceptions(today)
    quarter = request.GET.get("quarter") or quarter_of(today)
    try:
        missing = missing_updates(quarter)
    except ValidationError:
        quarter, missing = quarter_of(today), missing_updates(quarter_of(today))
    kpis = []
    for kpi in (
        Kpi.objects.select_related("intervention")
        .prefetch_related("values")
        .order_by("intervention__title", "name")
    ):
        rag = kpi.rag()
        kpis.append(
            {
                "kpi": kpi,
                "latest": kpi.latest(),
                "forecast": kpi.forecast(),
                "rag": rag,
                "rag_label": Rag(rag).label,
            }
        )
    statuses = Counter(Intervention.objects.values_list("status", flat=True))
    errors = pack_form.error_list() if pack_form is not None and pack_form.is_bound else []
    context = {
        "today": today,
        "due": due,
        "open_reports": ExceptionReport.objects.filter(status="open")
        .select_related("intervention")
        .order_by("raised_at"),
        "quarter": quarter,
        "missing": missing,
        "kpis": kpis,
        "statuses": [(label, statuses.get(value, 0)) for value, label in Intervention.Status.choices],
        "may_edit": may_edit(request.user),
        "may_edit_reports": may_edit(request.user),
        "pack_form": pack_form or PackForm(initial={"quarter": quarter}),
        "errors": errors,
        "packs": pack_jobs.packs(),
        "pack_status": pack_jobs.status(),
    }
    return render(request, "delivery/steering.html", context, status=400 if errors else 200)


@role_required(*READERS)
def steering(request: HttpRequest) -> HttpResponse:
    return _steering_page(request)


@role_required(*EDITORS)
@require_POST
def exceptions_raise(request: HttpRequest) -> HttpResponse:
    """Record the exception reports due now (as the hourly check would), then go back to where the button
    was: an intervention's page or the steering group's."""
    raised = raise_exceptions(timezone.localdate(), user=request.user, request=request)
    if raised:
        messages.success(request, f"{len(raised)} exception report{'s' if len(raised) != 1 else ''} raised.")
    else:
        messages.info(request, "No exception report was due.")
    back = request.POST.get("intervention", "")
    if back.isdigit() and Intervention.objects.filter(pk=int(back)).exists():
        return redirect(reverse("delivery:intervention", args=[int(back)]) + "#exceptions")
    return redirect(reverse("delivery:steering") + "#exceptions")


@role_required(*EDITORS)
@require_POST
def pack_generate(request: HttpRequest) -> HttpResponse:
    form = PackForm(request.POST)
    if not form.is_valid():
        return _steering_page(request, form)
    quarter = form.cleaned_data["quarter"]
    if pack_jobs.start(quarter):
        record(request, "delivery.pack", object_type="steering_pack", object_id=quarter)
        messages.info(
            request, f"The pack for {quarter} is being written. It takes a few seconds: refresh this page."
        )
    else:
        messages.info(request, "Another pack is being written. Try again when it has finished.")
    return redirect(reverse("delivery:steering") + "#pack")


CONTENT_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}


@role_required(*READERS)
@require_GET
def pack_download(request: HttpRequest, quarter: str, kind: str) -> HttpResponseBase:
    path = pack_jobs.path_of(quarter, kind) if kind in CONTENT_TYPES else None
    if path is None:
        raise Http404("This pack has not been written yet.")
    record(request, "delivery.download_pack", object_type="steering_pack", object_id=f"{quarter}.{kind}")
    response = FileResponse(path.open("rb"), content_type=CONTENT_TYPES[kind])
    # An attachment: the HTML pack carries its own styles, which this site's CSP would block inline.
    response["Content-Disposition"] = f'attachment; filename="{path.name}"'
    return response
