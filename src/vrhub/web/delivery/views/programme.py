"""The delivery home, the logic model and interventions (list, detail, create, edit, logic model boxes)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from vrhub.web.accounts.access import organisation_of, role_of, role_required
from vrhub.web.accounts.models import Role
from vrhub.web.delivery.audit import delete_audited, save_audited
from vrhub.web.delivery.forms import InterventionForm, LogicElementForm
from vrhub.web.delivery.models import (
    Evaluation,
    ExceptionReport,
    Intervention,
    Kpi,
    LogicModelElement,
    PreventionTier,
    Rag,
    StrategicPriority,
)
from vrhub.web.delivery.reference import borough_choices, measure_titles
from vrhub.web.delivery.tracking import LIVE, due_exceptions
from vrhub.web.delivery.views import logic
from vrhub.web.delivery.views.common import (
    CONTRIBUTORS,
    READERS,
    editable_intervention,
    form_page,
    may_edit,
    may_edit_intervention,
    twin,
)
from vrhub.web.delivery.views.learning import effect_text


@role_required(*READERS)
def home(request: HttpRequest) -> HttpResponse:
    interventions = list(Intervention.objects.all().only("priority_id", "tier_id", "status", "budget"))
    tiers = list(PreventionTier.objects.all())
    grid: list[dict[str, Any]] = []
    for priority in StrategicPriority.objects.all():
        cells: list[dict[str, Any]] = []
        for tier in tiers:
            mine = [i for i in interventions if i.priority_id == priority.pk and i.tier_id == tier.pk]
            cells.append(
                {
                    "tier": tier,
                    "count": len(mine),
                    "budget": sum((i.budget or Decimal(0) for i in mine), Decimal(0)),
                }
            )
        grid.append({"priority": priority, "cells": cells, "total": sum(c["count"] for c in cells)})
    statuses = Counter(i.get_status_display() for i in interventions)
    context = {
        "grid": grid,
        "tiers": tiers,
        "tier_totals": [sum(row["cells"][n]["count"] for row in grid) for n in range(len(tiers))],
        "total": len(interventions),
        "statuses": sorted(statuses.items()),
        "open_exceptions": ExceptionReport.objects.filter(status="open").count(),
        "may_edit": may_edit(request.user),
        "may_contribute": role_of(request.user) in CONTRIBUTORS,
    }
    return render(request, "delivery/home.html", context)


# -- the logic model -----------------------------------------------------------------------------------------
@role_required(*READERS)
def logic_model(request: HttpRequest, fmt: str = "") -> HttpResponse:
    context = {"columns": logic.columns(None), "may_edit": may_edit(request.user)}
    return twin(request, fmt, "delivery/logic_model.html", context, logic.flat_rows(None), "logic-model")


@role_required(*READERS)
def intervention_logic(request: HttpRequest, pk: int, fmt: str = "") -> HttpResponse:
    intervention = get_object_or_404(Intervention, pk=pk)
    context = {
        "intervention": intervention,
        "columns": logic.columns(intervention),
        "may_edit": may_edit_intervention(request.user, intervention),
    }
    name = f"intervention-{pk}-logic-model"
    return twin(
        request, fmt, "delivery/intervention_logic.html", context, logic.flat_rows(intervention), name
    )


@role_required(*CONTRIBUTORS)
@require_http_methods(["GET", "POST"])
def logic_element_new(request: HttpRequest, pk: int) -> HttpResponse:
    intervention = editable_intervention(request, pk, "logic_element_new")
    form = LogicElementForm(request.POST or None, intervention=intervention)

    def save(form: LogicElementForm) -> HttpResponse:
        element = save_audited(form.save(commit=False), request)
        form.save_m2m()
        messages.success(request, f"Added '{element.text}' to the logic model.")
        return redirect("delivery:intervention_logic", pk=pk)

    return form_page(
        request,
        form,
        save,
        "Add a box to the logic model",
        caption=intervention.title,
        trail=_trail(intervention),
        cancel=reverse("delivery:intervention_logic", args=[pk]),
        button="Add the box",
    )


@role_required(*CONTRIBUTORS)
@require_http_methods(["GET", "POST"])
def logic_element_edit(request: HttpRequest, pk: int, element: int) -> HttpResponse:
    intervention = editable_intervention(request, pk, "logic_element_edit")
    box = get_object_or_404(LogicModelElement, pk=element, intervention=intervention)
    form = LogicElementForm(request.POST or None, instance=box, intervention=intervention)

    def save(form: LogicElementForm) -> HttpResponse:
        save_audited(form.save(commit=False), request)
        form.save_m2m()
        messages.success(request, "The logic model box is saved.")
        return redirect("delivery:intervention_logic", pk=pk)

    return form_page(
        request,
        form,
        save,
        "Change a box of the logic model",
        caption=intervention.title,
        trail=_trail(intervention),
        cancel=reverse("delivery:intervention_logic", args=[pk]),
    )


@role_required(*CONTRIBUTORS)
@require_POST
def logic_element_delete(request: HttpRequest, pk: int, element: int) -> HttpResponse:
    intervention = editable_intervention(request, pk, "logic_element_delete")
    box = get_object_or_404(LogicModelElement, pk=element, intervention=intervention)
    delete_audited(box, request)
    messages.success(request, "The box was removed from the logic model.")
    return redirect("delivery:intervention_logic", pk=pk)


# -- interventions -------------------------------------------------------------------------------------------
def _trail(intervention: Intervention | None = None) -> list[tuple[str, str]]:
    trail = [(reverse("delivery:interventions"), "Interventions")]
    if intervention is not None:
        trail.append((reverse("delivery:intervention", args=[intervention.pk]), intervention.title))
    return trail


def intervention_row(i: Intervention) -> dict[str, Any]:
    return {
        "id": i.pk,
        "title": i.title,
        "priority": i.priority.name,
        "tier": i.tier.name,
        "lead_organisation": i.lead_organisation.name,
        "partner_organisations": [o.name for o in i.partner_organisations.all()],
        "boroughs": i.borough_names,
        "age_group": i.age_group,
        "yef_approach": i.yef_approach.name if i.yef_approach else "",
        "yef_impact_band": i.yef_approach.get_impact_band_display() if i.yef_approach else "",
        "status": i.get_status_display(),
        "start_date": i.start_date,
        "end_date": i.end_date,
        "budget": i.budget,
        "short_term_measures": i.short_term_measures,
        "long_term_measures": i.long_term_measures,
    }


FILTERS = ("priority", "tier", "status", "borough")


def filtered_interventions(params: Any) -> tuple[Any, dict[str, str]]:
    chosen = {name: params.get(name, "") for name in FILTERS}
    found = Intervention.objects.select_related(
        "priority", "tier", "lead_organisation", "yef_approach"
    ).prefetch_related("partner_organisations")
    if chosen["priority"]:
        found = found.filter(priority__slug=chosen["priority"])
    if chosen["tier"]:
        found = found.filter(tier__slug=chosen["tier"])
    if chosen["status"]:
        found = found.filter(status=chosen["status"])
    if chosen["borough"]:
        # JSON list membership, written so SQLite and PostgreSQL both answer it.
        ids = [i.pk for i in found if chosen["borough"] in i.boroughs]
        found = found.filter(pk__in=ids)
    return found.order_by("title"), chosen


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    return {
        "priority": [(p.slug, p.name) for p in StrategicPriority.objects.all()],
        "tier": [(t.slug, t.name) for t in PreventionTier.objects.all()],
        "status": list(Intervention.Status.choices),
        "borough": borough_choices(),
    }


@role_required(*READERS)
def interventions(request: HttpRequest, fmt: str = "") -> HttpResponse:
    found, chosen = filtered_interventions(request.GET)
    rows = [intervention_row(i) for i in found]
    context = {
        "interventions": found,
        "chosen": chosen,
        "choices": filter_choices(),
        "query": request.GET.urlencode(),
        "may_create": role_of(request.user) in CONTRIBUTORS,
    }
    return twin(request, fmt, "delivery/interventions.html", context, rows, "interventions")


@role_required(*READERS)
def intervention(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(
        Intervention.objects.select_related("priority", "tier", "lead_organisation", "yef_approach"),
        pk=pk,
    )
    kpis = Kpi.objects.filter(intervention=found).prefetch_related("values")
    titles = measure_titles()
    kpi_rows = []
    for kpi in kpis:
        forecast = kpi.forecast()
        kpi_rows.append(
            {
                "kpi": kpi,
                "values": kpi.series(),
                "forecast": forecast,
                "rag": kpi.rag(),
                "rag_label": _rag(kpi.rag()),
            }
        )
    milestones = [(m, m.rag(), _rag(m.rag())) for m in found.milestones.all()]
    # The same test as the RAG columns: a red milestone or KPI is beyond tolerance.
    red = sum(rag == Rag.RED for _, rag, _ in milestones) + sum(r["rag"] == Rag.RED for r in kpi_rows)
    context = {
        "intervention": found,
        "partners": found.partner_organisations.all(),
        "short_term": [(m, titles.get(m, m)) for m in found.short_term_measures],
        "long_term": [(m, titles.get(m, m)) for m in found.long_term_measures],
        "columns": logic.columns(found),
        "milestones": milestones,
        "red": red,
        "live": found.status in LIVE,
        "due": due_exceptions(intervention=found),
        "kpis": kpi_rows,
        "risks": found.risks.all(),
        "exceptions": found.exception_reports.all(),
        "evaluations": [(e, effect_text(e)) for e in Evaluation.objects.filter(intervention=found)],
        "updates": found.updates.select_related("organisation"),
        "sites": found.sites.all(),
        "application": getattr(found, "application", None),
        "may_edit": may_edit_intervention(request.user, found),
        "is_editor": may_edit(request.user),
        "may_edit_reports": may_edit(request.user),
        "crumbs": _trail(),
    }
    return render(request, "delivery/intervention.html", context)


def _rag(value: str) -> str:
    return Rag(value).label


@role_required(*CONTRIBUTORS)
@require_http_methods(["GET", "POST"])
def intervention_new(request: HttpRequest) -> HttpResponse:
    editor = may_edit(request.user)
    if not editor and role_of(request.user) == Role.PARTNER and organisation_of(request.user) is None:
        raise PermissionDenied("You need to belong to an organisation to add an intervention.")
    form = InterventionForm(request.POST or None, user=request.user, editor=editor)

    def save(form: InterventionForm) -> HttpResponse:
        made = save_audited(form.save(commit=False), request)
        form.save_m2m()
        messages.success(request, f"'{made.title}' is added. Now set out its logic model.")
        return redirect("delivery:intervention", pk=made.pk)

    return form_page(
        request,
        form,
        save,
        "Add an intervention",
        trail=_trail(),
        cancel=reverse("delivery:interventions"),
        button="Add the intervention",
    )


@role_required(*CONTRIBUTORS)
@require_http_methods(["GET", "POST"])
def intervention_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = editable_intervention(request, pk, "intervention_edit")
    form = InterventionForm(
        request.POST or None, instance=found, user=request.user, editor=may_edit(request.user)
    )

    def save(form: InterventionForm) -> HttpResponse:
        changed = list(form.changed_data)
        save_audited(form.save(commit=False), request, changed=changed)
        form.save_m2m()
        messages.success(request, "The intervention is saved.")
        return redirect("delivery:intervention", pk=pk)

    return form_page(
        request,
        form,
        save,
        "Change the intervention",
        caption=found.title,
        trail=_trail(found),
        cancel=reverse("delivery:intervention", args=[pk]),
    )
