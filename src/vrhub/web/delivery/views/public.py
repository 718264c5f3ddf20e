"""What anyone may see without signing in: awards, interventions and outcomes, and the grants in the
360Giving Data Standard. Nothing internal: no risks, exception reports, updates, applications in progress
or gate records."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from vrhub.web.delivery import giving360
from vrhub.web.delivery.models import Intervention
from vrhub.web.delivery.views import logic
from vrhub.web.delivery.views.common import csv_response, json_response

# Interventions not yet public: a plan may change before it is agreed, and a stopped one is not running.
PUBLIC_STATUSES = (Intervention.Status.ACTIVE, Intervention.Status.ON_HOLD, Intervention.Status.COMPLETED)


def award_row(a: Any) -> dict[str, Any]:
    return {
        "id": a.pk,
        "title": a.title,
        "organisation": a.organisation.name,
        "funding_round": a.funding_round.title,
        "amount_awarded": a.amount_awarded,
        "awarded_on": a.awarded_on,
        "priority": a.priority.name,
        "tier": a.tier.name,
        "boroughs": [giving360.boroughs()[c] for c in a.boroughs],
        "intervention_id": a.intervention_id,
    }


def public_interventions() -> Any:
    return (
        Intervention.objects.filter(status__in=PUBLIC_STATUSES)
        .select_related("priority", "tier", "lead_organisation", "yef_approach")
        .order_by("title")
    )


def public_intervention_row(i: Intervention) -> dict[str, Any]:
    return {
        "id": i.pk,
        "title": i.title,
        "description": i.description,
        "priority": i.priority.name,
        "tier": i.tier.name,
        "lead_organisation": i.lead_organisation.name,
        "boroughs": i.borough_names,
        "age_group": i.age_group,
        "yef_approach": i.yef_approach.name if i.yef_approach else "",
        "status": i.get_status_display(),
        "start_date": i.start_date,
        "end_date": i.end_date,
    }


def _outcomes() -> list[dict[str, Any]]:
    return [c for c in logic.columns(None) if c["stage"] in ("short_term", "long_term")]


@require_GET
def public(request: HttpRequest) -> HttpResponse:
    awards = list(giving360.awarded_applications())
    context = {
        "public": True,
        "awards": [award_row(a) for a in awards],
        "total": sum((a.amount_awarded or 0) for a in awards),
        "interventions": public_interventions(),
        "outcomes": _outcomes(),
    }
    return render(request, "delivery/public.html", context)


@require_GET
def public_awards(request: HttpRequest, fmt: str) -> HttpResponse:
    rows = [award_row(a) for a in giving360.awarded_applications()]
    if fmt == "json":
        return json_response({"count": len(rows), "results": rows})
    columns = list(rows[0]) if rows else ["id", "title", "organisation", "amount_awarded"]
    return csv_response(rows, columns, "awards.csv")


@require_GET
def public_interventions_twin(request: HttpRequest, fmt: str) -> HttpResponse:
    rows = [public_intervention_row(i) for i in public_interventions()]
    if fmt == "json":
        return json_response({"count": len(rows), "results": rows})
    return csv_response(rows, list(rows[0]) if rows else ["id", "title"], "interventions.csv")


@require_GET
def public_intervention(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(public_interventions(), pk=pk)
    context = {
        "public": True,
        "intervention": found,
        "columns": logic.columns(found),
    }
    return render(request, "delivery/public_intervention.html", context)


@require_GET
def giving_json(request: HttpRequest) -> HttpResponse:
    return json_response(giving360.grants_package(), "360giving.json")


@require_GET
def giving_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        giving360.package_csv(giving360.grants_package()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="360giving.csv"'
    return response
