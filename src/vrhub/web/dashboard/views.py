"""The figures pages: the public page, the overview, a measure and a borough. Aggregates only.

A role given the public edition (accounts.access.sees_exact_counts) sees every figure as the public edition
publishes it: the public page's rule on the public page's rows (vrhub.web.published)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from vrhub.config import FORCE_CODE
from vrhub.definitions import get_definition
from vrhub.errors import UnknownArea
from vrhub.quality.recording import recording_changes
from vrhub.reports.build import quality_notes
from vrhub.web import figures
from vrhub.web.accounts.access import role_required, sees_exact_counts
from vrhub.web.dashboard import changes, data, downloads, glance, report_jobs, tables
from vrhub.web.dashboard.errors import shows_errors

PUBLIC_NOTE = (
    "Figures below Merseyside level are rounded to the nearest 5. '*' marks a count suppressed to protect "
    "small numbers: a count of 1 to 7, or a figure hidden beside one so it cannot be worked out from a total."
)


def _strategy_sections(rows: list[dict]) -> list[dict]:
    return [
        {"id": key, "caption": caption, "rows": [r for r in rows if r.get("strategy") == key]}
        for key, caption in tables.STRATEGY_TABLES.items()
    ]


def public(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard/public.html", figures.cached(("page", "public"), _public_context))


def _public_context() -> dict:
    catalogue = data.catalogue()
    frame = data.annual()
    area_list = tables.areas(frame, catalogue)
    sections = []
    for key, caption in tables.STRATEGY_TABLES.items():
        ids = tables.strategy_ids(catalogue, key)
        rows = tables.public_table(frame, catalogue, data.partial(), ids, area_list)
        for row in rows:
            # The force-wide change from the exact figures, the engine's (like for like): rounded once.
            force = [{"period": row["period"], "area_code": FORCE_CODE, "breakdown": ""}]
            changes.add(force, frame, catalogue.get(row["measure_id"]), data.partial())
            row["change_vs_baseline_pct"] = force[0].get("change_vs_baseline_pct")
        sections.append({"id": key, "caption": caption, "rows": rows})
    context = {
        "sections": sections,
        "areas": area_list,
        "note": PUBLIC_NOTE,
        "public_report": "html" in report_jobs.files("public"),
    }
    return context


def published_csv(request: HttpRequest) -> HttpResponse:
    catalogue = data.catalogue()
    frame = tables.published_rows(data.annual(), catalogue, data.partial(), tables.strategy_ids(catalogue))
    return downloads.csv_response(frame, "vrhub-published-figures.csv")


def _known_area(code: str, area_list: list[tuple[str, str]]) -> str:
    """The area's name; a code not among them is the error page (the API's and the command line's words)."""
    names = dict(area_list)
    if code not in names:
        raise UnknownArea.among(code, [(a["code"], a["name"]) for a in figures.areas()])
    return names[code]


@role_required()
@shows_errors
def overview(request: HttpRequest) -> HttpResponse:
    area_list = figures.cached(("page", "areas"), lambda: tables.areas(data.annual(), data.catalogue()))
    area = request.GET.get("area") or FORCE_CODE
    _known_area(area, [(a["code"], a["name"]) for a in figures.areas()])
    if area not in dict(area_list):
        area = FORCE_CODE  # a borough with no figures loaded yet
    exact = sees_exact_counts(request.user)
    context = figures.cached(
        ("page", "overview", area, exact), lambda: _overview_context(area, area_list, exact)
    )
    return render(request, "dashboard/overview.html", context)


def _overview_context(area: str, area_list: list[tuple[str, str]], exact: bool = True) -> dict:
    catalogue = data.catalogue()
    frame = data.annual(exact)
    ids = tables.strategy_ids(catalogue)
    ids += [m for m in catalogue.measures if m not in ids]
    rows = tables.summary_rows(frame, catalogue, data.partial(), area, ids, _recording_changes(), exact)
    sources = {m.id: m.source for m in catalogue.measures.values()}
    lines = glance.series(data.monthly(exact), frame, area, data.partial(), sources)
    at_a_glance = glance.rows(rows, lines)
    context = {
        "glance": at_a_glance,
        "no_figure": [r for r in rows if r["value"] is None],
        "sections": _strategy_sections(rows),
        "areas": area_list,
        "area": area,
        "area_name": dict(area_list).get(area, area),
        "force_code": FORCE_CODE,
        "public_note": "" if exact else PUBLIC_NOTE,
    }
    return context


def _recording_changes() -> list:
    """Recording changes the quality checks found (warnings and errors), for the verdicts."""
    findings = data.quality().findings
    return recording_changes(findings[findings["severity"] != "info"])


def _measure(measure_id: str):  # noqa: ANN202 - a catalogue Measure
    return data.catalogue().get(measure_id)  # UnknownMeasure: the error page


@role_required()
@shows_errors
def measure(request: HttpRequest, measure_id: str) -> HttpResponse:
    m = _measure(measure_id)
    exact = sees_exact_counts(request.user)
    context = figures.cached(("page", "measure", m.id, exact), lambda: _measure_context(m, exact))
    return render(request, "dashboard/measure.html", context)


def _measure_context(m: Any, exact: bool = True) -> dict:
    catalogue = data.catalogue()
    frame = data.annual(exact)
    period = tables.latest_period(frame, m, data.partial())
    partial = data.partial()
    summary = tables.summary_rows(frame, catalogue, partial, FORCE_CODE, [m.id], _recording_changes())[0]
    findings = data.quality().findings
    notes = quality_notes(findings[findings["severity"] != "info"], catalogue, [m.id])[m.id]
    definition = get_definition(m.definition) if m.definition else None
    points = tables.chart_points(data.monthly(exact), m.id)
    ages, sexes = data.breakdown(m, "age_band", exact), data.breakdown(m, "sex", exact)
    ages_rows = tables.breakdown_rows(ages, m.id, period, "age_band")
    sexes_rows = tables.breakdown_rows(sexes, m.id, period, "sex")
    boroughs = tables.area_rows(frame, m.id, period)
    split = tables.split_rows(frame, m.id, period) if m.split_by else []
    if exact:
        boroughs = changes.add(boroughs, frame, m, partial)
        ages_rows = changes.add(ages_rows, ages, m, partial)
        sexes_rows = changes.add(sexes_rows, sexes, m, partial)
        split = changes.add(split, frame, m, partial)
    # Else the published rows carry the public edition's changes: the force area's alone.
    context = {
        "measure": m,
        "summary": summary,
        "period": period,
        "partial": data.partial().get(m.source, {}),
        "annual": changes.add(tables.annual_rows(frame, m.id), frame, m, partial),
        "boroughs": boroughs,
        "ages": ages_rows,
        "sexes": sexes_rows,
        "split": split,
        "part_periods": changes.part_periods(m, partial),
        "definition": definition,
        "definition_version": m.definition_version or summary.get("definition_version") or "",
        "proxy": tables.is_proxy(m),
        "notes": notes,
        "force_code": FORCE_CODE,
        "public_note": "" if exact else PUBLIC_NOTE,
        "chart": {
            "title": f"{m.title}, by month",
            "unit": m.unit,
            "points": points,
        }
        if points
        else None,
    }
    return context


@role_required()
@shows_errors
def measure_csv(request: HttpRequest, measure_id: str) -> HttpResponse:
    m = _measure(measure_id)
    return downloads.csv_response(data.measure_rows(m, sees_exact_counts(request.user)), f"{m.id}.csv")


@role_required()
@shows_errors
def measure_xlsx(request: HttpRequest, measure_id: str) -> HttpResponse:
    m = _measure(measure_id)
    exact = sees_exact_counts(request.user)
    # Built once per warehouse state: writing a workbook takes far longer than serving one.
    workbook = figures.cached(
        ("xlsx", m.id, exact), lambda: downloads.xlsx_bytes(data.measure_rows(m, exact), sheet=m.id)
    )
    return downloads.bytes_response(workbook, downloads.XLSX, f"{m.id}.xlsx")


@role_required()
@shows_errors
def borough(request: HttpRequest, code: str) -> HttpResponse:
    catalogue = data.catalogue()
    exact = sees_exact_counts(request.user)
    frame = data.annual(exact)
    if code == FORCE_CODE:
        raise Http404("Merseyside is on the overview")
    # Every borough of the area lookup has a page, with its figures once records for it are loaded.
    boroughs = sorted(
        ((a["code"], a["name"]) for a in figures.areas() if a["kind"] == "borough"), key=lambda a: a[1]
    )
    name = _known_area(code, boroughs)
    ids = tables.strategy_ids(catalogue) + [
        m.id for m in catalogue.measures.values() if not m.strategy and m.source != "indicators"
    ]
    rows = tables.summary_rows(frame, catalogue, data.partial(), code, ids, _recording_changes(), exact)
    context = {
        "code": code,
        "name": name,
        "sections": _strategy_sections(rows)
        + [{"id": "further", "caption": "Further measures", "rows": [r for r in rows if not r["strategy"]]}],
        "areas": boroughs,
        "has_figures": any(r["value"] is not None for r in rows),
        "public_note": "" if exact else PUBLIC_NOTE,
    }
    return render(request, "dashboard/borough.html", context)
