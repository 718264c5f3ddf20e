"""The steering group pack for a quarter: HTML (self-contained) and PDF (WeasyPrint), from the delivery
records and, alongside, the Home Office success measures from the warehouse."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
from django.db.models import Count

from vrhub.config import FORCE_CODE
from vrhub.measures.periods import quarter_bounds, quarter_index
from vrhub.reports.document import Document, write_document
from vrhub.web.delivery.models import (
    ExceptionReport,
    Feedback,
    Intervention,
    Kpi,
    PreventionTier,
    QuarterlyUpdate,
    StrategicPriority,
)
from vrhub.web.delivery.tracking import missing_updates


def _spend(quarter: str) -> dict[int, Decimal]:
    """Intervention id -> spend to date at the quarter: each organisation's latest update, summed."""
    latest: dict[tuple[int, int], tuple[int, Decimal]] = {}
    for u in QuarterlyUpdate.objects.all().only(
        "intervention_id", "organisation_id", "quarter", "spend_to_date"
    ):
        if quarter_index(u.quarter) > quarter_index(quarter):
            continue
        key = (u.intervention_id, u.organisation_id)
        if key not in latest or quarter_index(u.quarter) > latest[key][0]:
            latest[key] = (quarter_index(u.quarter), u.spend_to_date)
    spend: dict[int, Decimal] = defaultdict(Decimal)
    for (intervention_id, _), (_, amount) in latest.items():
        spend[intervention_id] += amount
    return spend


def _by(
    interventions: list[Intervention], spend: dict[int, Decimal], key: str, order: list[Any]
) -> list[dict]:
    rows = []
    for item in order:
        mine = [i for i in interventions if getattr(i, f"{key}_id") == item.pk]
        budget = sum((i.budget or Decimal(0) for i in mine), Decimal(0))
        spent = sum((spend.get(i.pk, Decimal(0)) for i in mine), Decimal(0))
        rows.append(
            {
                "name": item.name,
                "count": len(mine),
                "budget": budget,
                "spent": spent,
                "pct": float(spent / budget * 100) if budget else None,
            }
        )
    return rows


def _success_measures(hub: Any) -> tuple[list[dict[str, Any]], str]:
    """The Home Office success measures (table1) for Merseyside, latest year; (rows, note)."""
    if hub is None:
        return [], "No warehouse was given, so the success measures are not shown."
    from vrhub.measures import MeasureRequest, load_catalogue

    ids = [m.id for m in load_catalogue().measures.values() if m.strategy == "table1"]
    try:
        table = hub.measures(MeasureRequest(measures=ids, period="year", area=FORCE_CODE)).table.to_pandas()
    except Exception as exc:  # an empty or unreadable warehouse: the pack still goes to the meeting
        return [], f"The success measures could not be computed: {exc}"
    table = table[table["breakdown"] == ""]
    if table.empty:
        return [], "No data for the success measures has been loaded."
    catalogue = load_catalogue()
    rows = []
    for measure_id in ids:
        mine = table[table["measure_id"] == measure_id].sort_values("period")
        if mine.empty:
            continue
        last = mine.iloc[-1]
        rows.append(
            {
                "title": catalogue.get(measure_id).title,
                "period": last["period"],
                "value": last["value"],
                "unit": last["unit"],
                "vs_previous": last["change_vs_previous_pct"],
                "vs_baseline": last["change_vs_baseline_pct"],
            }
        )
    return rows, ""


def gather(quarter: str, hub: Any = None, today: dt.date | None = None) -> dict[str, Any]:
    """Everything the pack shows, as plain data."""
    start, end = quarter_bounds(quarter)
    today = today or min(end, dt.date.today())
    interventions = list(
        Intervention.objects.select_related("priority", "tier", "lead_organisation").order_by("title")
    )
    funded = [i for i in interventions if i.status != Intervention.Status.STOPPED]
    spend = _spend(quarter)
    status_counts = Counter(i.get_status_display() for i in interventions)
    kpis = []
    for k in (
        Kpi.objects.select_related("intervention").prefetch_related("values").order_by("intervention__title")
    ):
        found, latest = k.forecast(), k.latest()
        kpis.append(
            {
                "intervention": k.intervention.title,
                "name": k.name,
                "unit": k.unit,
                "target": k.target,
                "latest": latest,
                "forecast": found,
                "rag": k.rag(),
            }
        )
    themes = (
        Feedback.objects.filter(received_on__range=(start, end))
        .values("themes__name")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n", "themes__name")
    )
    feedback = Feedback.objects.filter(received_on__range=(start, end))
    measures, measures_note = _success_measures(hub)
    return {
        "quarter": quarter,
        "start": start,
        "end": end,
        "today": today,
        "generated": dt.date.today(),
        "total_budget": sum((i.budget or Decimal(0) for i in funded), Decimal(0)),
        "total_spent": sum(spend.values(), Decimal(0)),
        "by_priority": _by(funded, spend, "priority", list(StrategicPriority.objects.all())),
        "by_tier": _by(funded, spend, "tier", list(PreventionTier.objects.all())),
        "statuses": sorted(status_counts.items()),
        "interventions": interventions,
        "exceptions": list(
            ExceptionReport.objects.filter(status="open").select_related("intervention").order_by("raised_at")
        ),
        "kpis": kpis,
        "missing": missing_updates(quarter),
        "themes": [(t["themes__name"] or "No theme given", t["n"]) for t in themes],
        "feedback_total": feedback.count(),
        "feedback_answered": feedback.exclude(response="").count(),
        # The pack is read by every role: approved feedback only, with contact details removed.
        "responses": [
            {"text": f.redacted_text, "response": f.response}
            for f in feedback.filter(approved=True).exclude(response="").order_by("received_on")[:5]
        ],
        "measures": measures,
        "measures_note": measures_note,
    }


def _money(value: Any) -> str:
    return "" if value is None else f"£{Decimal(value):,.0f}"


def _num(value: Any, digits: int = 0) -> str:
    if value is None or value != value:  # None or NaN
        return ""
    return f"{float(value):,.{digits}f}"


def _pct(value: Any) -> str:
    if value is None or value != value:
        return ""
    return f"{float(value):+.0f}%"


def render_html(data: dict[str, Any]) -> str:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("vrhub.web.delivery", "report_templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
    )
    env.filters.update(money=_money, num=_num, pct=_pct)
    return env.get_template("pack.html.j2").render(**data)


def write_pack(
    quarter: str, out_dir: Path, hub: Any = None, pdf: bool = True, today: dt.date | None = None
) -> Document:
    """Write steering-group-pack-<quarter>.html (and .pdf) into out_dir. A quarter written wrong (not like
    2021-Q4) is refused with BadValue before anything is read."""
    html = render_html(gather(quarter, hub, today))
    return write_document(html, out_dir / f"steering-group-pack-{quarter}.html", pdf=pdf)
