"""The logic model as the pages show it: four columns of boxes, and for each outcome naming a measure that
measure's latest force-wide value, change and significance (from the cached figures, never a rescan)."""

from __future__ import annotations

import logging
import math
from typing import Any

from vrhub.config import FORCE_CODE
from vrhub.stats.wording import format_p
from vrhub.web.delivery.models import Intervention, LogicModelElement
from vrhub.web.delivery.reference import measure_titles

log = logging.getLogger(__name__)
SIGNIFICANT = 0.05
PREFIX = {"activity": "A", "output": "O", "short_term": "S", "long_term": "L"}


def _number(value: Any) -> float | None:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


def significance(p_value: float | None) -> str:
    if p_value is None:
        return "Significance not tested"
    if p_value < SIGNIFICANT:
        return f"Statistically significant ({format_p(p_value)})"
    return f"Not statistically significant ({format_p(p_value)})"


def measure_figures(ids: set[str]) -> dict[str, dict[str, Any]]:
    """{measure id: latest force-wide figure} for the ids that have one in the warehouse."""
    if not ids:
        return {}
    try:
        from vrhub.web import figures

        frame = figures.measures_frame()
    except Exception:  # noqa: BLE001 - no warehouse yet: the logic model still shows, without figures
        log.warning("measure figures unavailable for the logic model", exc_info=True)
        return {}
    if frame.empty:
        return {}
    rows = frame[
        frame["measure_id"].isin(list(ids))
        & (frame["breakdown"].fillna("") == "")
        & (frame["area_code"] == FORCE_CODE)
    ]
    partial = figures.measures().partial
    catalogue = figures.catalogue()
    found = {}
    for measure_id, mine in rows.groupby("measure_id"):
        # A period with months still to come would read as a fall: the latest full period is the figure.
        incomplete = set(partial.get(catalogue.get(str(measure_id)).source, {}))
        full = mine[~mine["period"].astype(str).isin(incomplete)].sort_values("period")
        full = full if not full.empty else mine.sort_values("period")
        last = full.iloc[-1]
        change = _number(last.get("change_vs_previous_pct"))
        p_value = _number(last.get("p_value"))
        found[str(measure_id)] = {
            "period": str(last["period"]),
            "value": _number(last["value"]),
            "unit": str(last.get("unit") or ""),
            "change_vs_previous_pct": change,
            "p_value": p_value,
            "significance": significance(p_value),
            "trend": [(str(p), _number(v)) for p, v in zip(full["period"], full["value"], strict=True)][-5:],
        }
    return found


def columns(intervention: Intervention | None) -> list[dict[str, Any]]:
    """[{stage, label, elements: [{id, text, measure_id, measure_title, figure, leads_to}]}] in order."""
    grouped = LogicModelElement.by_stage(intervention)
    ids = {e.measure_id for stage in grouped.values() for e in stage if e.measure_id}
    figures = measure_figures(ids)
    titles = measure_titles()
    labels = dict(LogicModelElement.Stage.choices)
    # Short codes (A1, O2, S1, L3) so a box can say which later boxes it leads to.
    codes = {e.pk: f"{PREFIX[stage]}{n}" for stage in grouped for n, e in enumerate(grouped[stage], start=1)}
    out = []
    for stage in LogicModelElement.STAGE_ORDER:
        elements = [
            {
                "id": e.pk,
                "code": codes[e.pk],
                "text": e.text,
                "measure_id": e.measure_id,
                "measure_title": titles.get(e.measure_id, e.measure_id),
                "figure": figures.get(e.measure_id),
                "leads_to": [later.pk for later in e.leads_to.all()],
                "leads_to_codes": sorted(codes[later.pk] for later in e.leads_to.all() if later.pk in codes),
            }
            for e in grouped[stage]
        ]
        out.append({"stage": stage, "label": labels[stage], "elements": elements})
    return out


def flat_rows(intervention: Intervention | None) -> list[dict[str, Any]]:
    """One row per box, for the .json and .csv twins and the API."""
    rows = []
    for column in columns(intervention):
        for e in column["elements"]:
            figure = e["figure"] or {}
            rows.append(
                {
                    "id": e["id"],
                    "intervention_id": intervention.pk if intervention else None,
                    "stage": column["stage"],
                    "text": e["text"],
                    "measure_id": e["measure_id"],
                    "measure_period": figure.get("period"),
                    "measure_value": figure.get("value"),
                    "measure_change_vs_previous_pct": figure.get("change_vs_previous_pct"),
                    "measure_p_value": figure.get("p_value"),
                    "leads_to": e["leads_to"],
                }
            )
    return rows
