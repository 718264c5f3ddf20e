"""The analysis pages: hot spots, data quality and the serious-violence definitions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from vrhub.definitions import definitions as definitions_in_force
from vrhub.errors import VrhubError
from vrhub.measures.catalogue import EVENT_DATE
from vrhub.quality.completeness import field_summary
from vrhub.sources.police_uk import CRIME_TYPES
from vrhub.web.accounts.access import role_required, sees_exact_counts
from vrhub.web.dashboard import data, tables

DEFAULT_MEASURE = "local_sv_offences"
# The base map's credit, whenever one is configured: tile services built on OpenStreetMap data must give it
# (ODbL), and the map shows it in Leaflet's corner and the page beneath the map.
TILE_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
SEVERITY_TAGS = {"error": "govuk-tag--red", "warning": "govuk-tag--orange", "info": "govuk-tag--blue"}


def _hotspot_choice(request: HttpRequest) -> tuple[str | None, str | None]:
    """(measure, crime type) asked for; an unknown choice falls back to the default measure."""
    catalogue = data.catalogue()
    crime_type = request.GET.get("crime_type") or None
    if crime_type in CRIME_TYPES:
        return None, crime_type
    measure = request.GET.get("measure") or DEFAULT_MEASURE
    known = measure in catalogue.measures and catalogue.get(measure).source in EVENT_DATE
    return (measure if known else DEFAULT_MEASURE), None


def _event_measures() -> list[tuple[str, str]]:
    return [
        (m.id, m.title)
        for m in data.catalogue().measures.values()
        if m.source in EVENT_DATE and not m.split_by
    ]


@role_required()
def hotspots(request: HttpRequest) -> HttpResponse:
    measure, crime_type = _hotspot_choice(request)
    context: dict[str, Any] = {
        "measures": _event_measures(),
        "crime_types": CRIME_TYPES,
        "measure": measure,
        "crime_type": crime_type,
        "tile_url": settings.VRHUB_TILE_URL,
        "tile_attribution": TILE_ATTRIBUTION if settings.VRHUB_TILE_URL else "",
        "error": None,
        "result": None,
    }
    try:
        result = data.hotspots(measure, crime_type, sees_exact_counts(request.user))
    except VrhubError as exc:
        context["error"] = exc
    else:
        hot = result.hotspots.sort_values("gi_z", ascending=False)
        context.update(
            result=result,
            hot=[{k: tables.clean(v) for k, v in r.items()} for r in hot.to_dict("records")],
            subject=result.metadata.get("subject", ""),
            period=result.period_label,
            lsoas=len(result.table),
            query=request.GET.urlencode(),
        )
    return render(request, "dashboard/hotspots.html", context)


@role_required()
def hotspots_geojson(request: HttpRequest) -> HttpResponse:
    measure, crime_type = _hotspot_choice(request)
    try:
        text = data.hotspots_geojson(measure, crime_type, sees_exact_counts(request.user))
    except VrhubError as exc:
        raise Http404(str(exc)) from exc
    response = HttpResponse(text, content_type="application/geo+json")
    response["Cache-Control"] = "private, max-age=300"
    return response


@role_required()
def quality(request: HttpRequest) -> HttpResponse:
    report = data.quality()
    findings = [
        {**{k: tables.clean(v) for k, v in r.items()}, "tag": SEVERITY_TAGS.get(r["severity"], "")}
        for r in report.findings.to_dict("records")
    ]
    grouped = field_summary(report.completeness)
    summary = [{k: tables.clean(v) for k, v in r.items()} for r in grouped.to_dict("records")]
    context = {
        "findings": findings,
        "counts": {s: report.count(s) for s in ("error", "warning", "info")},
        "completeness": summary,
        "thresholds": report.thresholds,
    }
    return render(request, "dashboard/quality.html", context)


@role_required()
def definitions(request: HttpRequest) -> HttpResponse:
    found = sorted(definitions_in_force().values(), key=lambda d: (d.proxy, d.name))
    users = {d.name: [m for m in data.catalogue().measures.values() if m.definition == d.name] for d in found}
    effects = {d.name: data.definition_effect(d.name) for d in found if d.exclude_flags}
    return render(
        request, "dashboard/definitions.html", {"definitions": found, "users": users, "effects": effects}
    )
