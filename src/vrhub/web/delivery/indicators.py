"""Counts from delivery records as figures in the `indicators` source format, so they are measures like any
other (their entries are in src/vrhub/measures/catalogue.yaml)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from django.db.models import Q, Sum
from django.utils import timezone

from vrhub.config import FORCE_CODE
from vrhub.measures.periods import quarter_bounds, quarter_index, quarter_label, quarter_of
from vrhub.web.delivery.models import (
    CaseStudy,
    DeliverySite,
    Feedback,
    Intervention,
    QuarterlyUpdate,
    TrainingAttendance,
)
from vrhub.web.delivery.reference import boroughs

COLUMNS = ["indicator_id", "area_code", "period", "value", "unit", "note"]
# Interventions in these states were (or are) delivering; planned and stopped ones were not.
DELIVERED = ("active", "on_hold", "completed")


def _running(start: dt.date, end: dt.date) -> Q:
    """Delivering at some time between start and end (no start date: not begun)."""
    return Q(status__in=DELIVERED, start_date__isnull=False, start_date__lte=end) & (
        Q(end_date__isnull=True) | Q(end_date__gte=start)
    )


def _quarter_rows(quarter: str) -> list[dict[str, Any]]:
    start, end = quarter_bounds(quarter)
    trained = TrainingAttendance.objects.filter(session__date__range=(start, end)).aggregate(n=Sum("count"))[
        "n"
    ]
    feedback = Feedback.objects.filter(received_on__range=(start, end))
    running = Intervention.objects.filter(_running(start, end))
    schools = (
        DeliverySite.objects.filter(kind="school", intensive_mentor=True, intervention__in=running)
        .exclude(started_on__gt=end)
        .count()
    )
    reached = QuarterlyUpdate.objects.filter(quarter=quarter).aggregate(
        supported=Sum("young_people_supported"), mental_health=Sum("young_people_mental_health")
    )
    figures = [
        ("professionals_trained", trained or 0, "professionals", "attendances at CPD sessions"),
        ("young_people_supported", reached["supported"] or 0, "young people", "from quarterly updates"),
        (
            "young_people_mental_health",
            reached["mental_health"] or 0,
            "young people",
            "given a mental-health intervention, from quarterly updates",
        ),
        (
            "case_studies",
            CaseStudy.objects.filter(recorded_on__range=(start, end), consent_recorded=True).count(),
            "case studies",
            "recorded with consent",
        ),
        ("feedback_received", feedback.count(), "responses", ""),
        ("feedback_responded", feedback.exclude(response="").count(), "responses", "of those received"),
        ("interventions_active", running.count(), "interventions", ""),
        ("mentoring_schools", schools, "schools", "schools with an intensive mentor"),
    ]
    rows = [
        {"indicator_id": i, "area_code": FORCE_CODE, "period": quarter, "value": v, "unit": u, "note": n}
        for i, v, u, n in figures
    ]
    # Interventions by borough too: one intervention serving three boroughs counts in each.
    for code in boroughs():
        n = sum(code in boroughs_of for boroughs_of in running.values_list("boroughs", flat=True))
        rows.append(
            {
                "indicator_id": "interventions_active",
                "area_code": code,
                "period": quarter,
                "value": n,
                "unit": "interventions",
                "note": "",
            }
        )
    return rows


def _first_day() -> dt.date | None:
    candidates = [
        Intervention.objects.exclude(status__in=("planned", "stopped"))
        .order_by("start_date")
        .exclude(start_date=None)
        .values_list("start_date", flat=True)
        .first(),
        TrainingAttendance.objects.order_by("session__date").values_list("session__date", flat=True).first(),
        Feedback.objects.order_by("received_on").values_list("received_on", flat=True).first(),
        CaseStudy.objects.order_by("recorded_on").values_list("recorded_on", flat=True).first(),
    ]
    found = [d for d in candidates if d is not None]
    return min(found) if found else None


def delivery_indicators(quarter: str | None = None, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Rows (indicator_id, area_code, period, value, unit, note) for one quarter, or for every complete
    quarter from the first delivery record's to the last one before today's (None): a quarter still under
    way would read as a fall in every count."""
    if quarter is not None:
        return _quarter_rows(quarter)
    first = _first_day()
    if first is None:
        return []
    last = quarter_index(quarter_of(today or timezone.localdate())) - 1
    return [
        row
        for i in range(quarter_index(quarter_of(first)), last + 1)
        for row in _quarter_rows(quarter_label(i))
    ]


def write_indicators_csv(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def ingest_delivery_indicators(
    hub: Any = None, quarter: str | None = None, folder: Path | None = None, today: dt.date | None = None
) -> Any:
    """Write the rows to a CSV in the data folder and load it through the `indicators` source.

    `hub` defaults to the web application's shared Hub. Returns the load summary."""
    if hub is None:
        from vrhub.web.warehouse import hub as web_hub

        hub = web_hub()
    folder = folder or hub.settings.data_dir / "delivery"
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
    path = write_indicators_csv(
        folder / f"delivery-indicators-{quarter or 'all'}-{stamp}.csv", delivery_indicators(quarter, today)
    )
    return list(hub.ingest("indicators", [path]))[0]
