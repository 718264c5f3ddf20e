"""What the dashboard's tables show, built from the measure frames (figures.measures_frame) as plain rows.

Pure functions of frames and the catalogue, so they can be tested with a small hand-made frame; the views
only fetch the cached frames and render these rows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import pandas as pd

from vrhub.config import FORCE_CODE
from vrhub.definitions import get_definition
from vrhub.measures import periods
from vrhub.measures.catalogue import Catalogue, Measure
from vrhub.quality.recording import RecordingChange, caveat, touching
from vrhub.reports import parts
from vrhub.reports.comparisons import Comparison, compared
from vrhub.reports.disclosure import SUPPRESSED, public_measures
from vrhub.stats.wording import describe_change

STRATEGY_TABLES = {"table1": "Home Office success measures", "table2": "Local success measures"}
Key = tuple[str, str, str, str]


def strategy_ids(catalogue: Catalogue, table: str | None = None) -> list[str]:
    """The measures the strategy publishes in Table 1 (Home Office) and Table 2 (local), catalogue order."""
    wanted = (table,) if table else tuple(STRATEGY_TABLES)
    return [m.id for m in catalogue.measures.values() if m.strategy in wanted]


def is_proxy(measure: Measure) -> bool:
    if not measure.definition:
        return False
    return get_definition(measure.definition).proxy


def missing(value: Any) -> bool:
    if value is None or value is pd.NA:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return False


def clean(value: Any) -> Any:
    """NaN and pandas' NA as None, numpy scalars as plain numbers: what templates and JSON expect."""
    if missing(value):
        return None
    return value.item() if hasattr(value, "item") else value


def index(frame: pd.DataFrame) -> dict[Key, dict[str, Any]]:
    """Rows keyed by (measure, period, area, breakdown)."""
    records = frame.to_dict("records")
    return {(r["measure_id"], str(r["period"]), r["area_code"], r["breakdown"] or ""): r for r in records}


def _period_order(label: str) -> tuple[int, str]:
    return (periods.year_of(label), label) if periods.kind_of(label) else (0, label)


def latest_period(frame: pd.DataFrame, measure: Measure, partial: dict[str, dict[str, int]]) -> str | None:
    """The measure's latest period with a full span of data (its source's partial periods left out), or the
    latest period at all when none is full (a source that has only started)."""
    rows = frame[(frame["measure_id"] == measure.id) & (frame["breakdown"].fillna("") == "")]
    labels = sorted({str(p) for p in rows["period"]}, key=_period_order)
    incomplete = partial.get(measure.source, {})
    full = [p for p in labels if p not in incomplete]
    chosen = full or labels
    return chosen[-1] if chosen else None


def areas(frame: pd.DataFrame, catalogue: Catalogue) -> list[tuple[str, str]]:
    """(code, name) of the force area, then each borough by name, as the event measures report them."""
    events = {m.id for m in catalogue.measures.values() if m.source != "indicators"}
    rows = frame[frame["measure_id"].isin(events)][["area_code", "area_name"]].drop_duplicates("area_code")
    boroughs = sorted(
        ((c, n) for c, n in rows.itertuples(index=False) if c != FORCE_CODE), key=lambda a: a[1]
    )
    force = [(c, n) for c, n in rows.itertuples(index=False) if c == FORCE_CODE]
    return force + boroughs


def summary_rows(
    frame: pd.DataFrame,
    catalogue: Catalogue,
    partial: dict[str, dict[str, int]],
    area: str,
    measure_ids: Iterable[str],
    changes: list[RecordingChange] | None = None,
    exact: bool = True,
) -> list[dict[str, Any]]:
    """One row per measure for `area`: its latest full period's value, rate, and the engine's change against
    the previous period and the baseline with the statistics of each (`reports.comparisons.compared`: like
    for like where the two periods hold different calendar months, blank with the reason where they hold
    none in common), so the page says what `vrhub measures` and /api/measures say; and the change in
    words, naming a recording change (`changes`, from the quality checks) that touches the measure between
    the periods compared instead of calling the change an improvement.

    `frame` not `exact` (the public edition's, vrhub.web.published): below the force area its values are
    published counts, and no change is given, as the public edition gives none (a change of exact counts
    would undo the rounding; one of rounded counts would mislead)."""
    values = index(frame)
    compare = exact or area == FORCE_CODE
    out = []
    for measure_id in measure_ids:
        measure = catalogue.get(measure_id)
        period = latest_period(frame, measure, partial)
        row = values.get((measure_id, period, area, "")) if period else None
        item: dict[str, Any] = {
            "measure_id": measure.id,
            "title": measure.title,
            "note": measure.note,
            "strategy": measure.strategy,
            "unit": measure.unit,
            "polarity": measure.polarity,
            "proxy": is_proxy(measure),
            "period": period,
            "value": None,
        }
        if row is not None and period is not None:
            item.update(_compared_item(measure, period, row, values, area, partial, changes or [], compare))
        out.append(item)
    return out


def _compared_item(
    measure: Measure,
    period: str,
    row: dict[str, Any],
    values: dict[Key, dict[str, Any]],
    area: str,
    partial: dict[str, dict[str, int]],
    changes: list[RecordingChange],
    compare: bool,
) -> dict[str, Any]:
    dated = bool(periods.kind_of(period))
    before = periods.previous(period) if dated and compare else ""
    base = periods.in_baseline_year(period, measure.baseline) if dated and compare else ""
    before_row, base_row = (
        values.get((measure.id, before, area, "")),
        values.get((measure.id, base, area, "")),
    )
    previous, baseline = compared(row, before), compared(row, base, baseline=True)
    # A share's change is the engine's relative one; the table gives no test beside it, as before.
    tested = measure.unit != "percent"
    why_previous = caveat(touching(changes, measure, before, period)) if before else None
    why_baseline = caveat(touching(changes, measure, base, period)) if base else None
    prev_value, base_value = (before_row or {}).get("value"), (base_row or {}).get("value")
    counted = measure.unit != "percent"

    def shown(label: str, other: dict[str, Any] | None) -> str:
        return parts.label(label, parts.months(partial, measure.source, label, other)) if counted else label

    return dict(
        value=clean(row["value"]),
        rate_per_100k=clean(row.get("rate_per_100k")),
        previous_period=shown(before, before_row) if before else before,
        previous=clean(prev_value),
        change_vs_previous_pct=previous.pct if before else None,
        previous_like_for_like=previous.like_for_like,
        previous_not_compared=previous.blank,
        rate_ratio=previous.rate_ratio if tested else None,
        ci_low=previous.ci_low if tested else None,
        ci_high=previous.ci_high if tested else None,
        p_value=previous.p_value if tested else None,
        small_count=previous.small and tested,
        baseline_period=shown(base, base_row) if base else base,
        baseline=clean(base_value),
        change_vs_baseline_pct=baseline.pct if base and base != period else None,
        baseline_like_for_like=baseline.like_for_like,
        baseline_not_compared=baseline.blank,
        baseline_p_value=baseline.p_value if tested else None,
        baseline_small_count=baseline.small and tested,
        baseline_rate_ratio=baseline.rate_ratio if tested else None,
        baseline_ci_low=baseline.ci_low if tested else None,
        baseline_ci_high=baseline.ci_high if tested else None,
        recording_change=why_previous or why_baseline,
        recording_previous=bool(why_previous),
        recording_baseline=bool(why_baseline),
        sentence=_sentence(measure, row["value"], prev_value, before, previous, why_previous),
        baseline_sentence=(
            _sentence(measure, row["value"], base_value, f"the {base} baseline", baseline, why_baseline)
            if base and base != period
            else ""
        ),
        definition_version=row.get("definition_version", ""),
    )


def _sentence(
    measure: Measure, now: Any, then: Any, label: str, change: Comparison, why: str | None = None
) -> str:
    if not label:
        return ""
    return describe_change(
        clean(now),
        clean(then),
        label,
        change.stats,
        polarity=measure.polarity,
        unit=measure.unit,
        caveat=why,
        like_for_like=change.like_for_like,
        not_compared=change.blank,
    )


def area_rows(frame: pd.DataFrame, measure_id: str, period: str | None) -> list[dict[str, Any]]:
    """The measure's whole-population figure in each area for one period: force area first."""
    rows = frame[
        (frame["measure_id"] == measure_id)
        & (frame["breakdown"].fillna("") == "")
        & (frame["period"].astype(str) == str(period))
    ]
    rows = rows.assign(_f=rows["area_code"] != FORCE_CODE).sort_values(["_f", "area_name"])
    return [{k: clean(v) for k, v in r.items() if k != "_f"} for r in rows.to_dict("records")]


def annual_rows(frame: pd.DataFrame, measure_id: str, area: str = FORCE_CODE) -> list[dict[str, Any]]:
    """The measure's whole-population figure for `area` in every period, oldest first."""
    rows = frame[
        (frame["measure_id"] == measure_id)
        & (frame["breakdown"].fillna("") == "")
        & (frame["area_code"] == area)
    ]
    rows = rows.assign(_o=rows["period"].astype(str).map(_period_order)).sort_values("_o")
    return [{k: clean(v) for k, v in r.items() if k != "_o"} for r in rows.to_dict("records")]


def breakdown_rows(frame: pd.DataFrame, measure_id: str, period: str | None, dimension: str) -> list[dict]:
    """The force area's figure in each group of `dimension` (age_band or sex) for one period."""
    prefix = f"{dimension}="
    rows = frame[
        (frame["measure_id"] == measure_id)
        & (frame["area_code"] == FORCE_CODE)
        & (frame["period"].astype(str) == str(period))
        & frame["breakdown"].fillna("").str.startswith(prefix)
    ]
    out = []
    for r in rows.sort_values("breakdown").to_dict("records"):
        item = {k: clean(v) for k, v in r.items()}
        item["group"] = r["breakdown"][len(prefix) :]
        out.append(item)
    return out


def split_rows(frame: pd.DataFrame, measure_id: str, period: str | None) -> list[dict[str, Any]]:
    """A measure's own split (weapon, offence group) for the force area in one period."""
    rows = frame[
        (frame["measure_id"] == measure_id)
        & (frame["area_code"] == FORCE_CODE)
        & (frame["period"].astype(str) == str(period))
        & (frame["breakdown"].fillna("") != "")
    ]
    return [
        {**{k: clean(v) for k, v in r.items()}, "group": r["breakdown"].split("=", 1)[-1]}
        for r in rows.sort_values("breakdown").to_dict("records")
    ]


def chart_points(frame: pd.DataFrame, measure_id: str) -> list[dict[str, Any]]:
    """Monthly points for the trend chart: month (YYYY-MM-01), area name and value, whole population."""
    rows = frame[(frame["measure_id"] == measure_id) & (frame["breakdown"].fillna("") == "")]
    rows = rows[rows["period"].astype(str).map(periods.kind_of) == "month"]
    rows = rows.sort_values(["area_code", "period"])
    return [
        {"month": f"{p}-01", "area": a, "force": c == FORCE_CODE, "value": clean(v)}
        for p, a, c, v in rows[["period", "area_name", "area_code", "value"]].itertuples(index=False)
    ]


def public_table(
    frame: pd.DataFrame,
    catalogue: Catalogue,
    partial: dict[str, dict[str, int]],
    measure_ids: Iterable[str],
    area_list: list[tuple[str, str]],
) -> list[dict[str, Any]]:
    """Published figures: one row per measure for its latest full period, a cell per area, each cell as
    `public_measures` allows it out (HES rule below force level, secondary suppression, rounding to 5)."""
    ids = list(measure_ids)
    whole = frame[frame["measure_id"].isin(ids) & (frame["breakdown"].fillna("") == "")]
    published = index(public_measures(whole, FORCE_CODE).assign(breakdown=""))
    out = []
    for measure_id in ids:
        measure = catalogue.get(measure_id)
        period = latest_period(frame, measure, partial)
        cells = []
        for code, name in area_list:
            row = published.get((measure_id, str(period), code, "")) if period else None
            cells.append(
                {
                    "area_code": code,
                    "area_name": name,
                    "value": clean(row["value"]) if row else None,
                    "suppressed": bool(row and row.get("value") == SUPPRESSED),
                    "rate_per_100k": clean(row.get("rate_per_100k")) if row else None,
                }
            )
        force = published.get((measure_id, str(period), FORCE_CODE, "")) if period else None
        out.append(
            {
                "measure_id": measure_id,
                "title": measure.title,
                "unit": measure.unit,
                "proxy": is_proxy(measure),
                "period": period,
                "cells": cells,
                "change_vs_previous_pct": clean(force.get("change_vs_previous_pct")) if force else None,
                "change_vs_baseline_pct": clean(force.get("change_vs_baseline_pct")) if force else None,
            }
        )
    return out


def published_rows(
    frame: pd.DataFrame, catalogue: Catalogue, partial: dict[str, dict[str, int]], measure_ids: Iterable[str]
) -> pd.DataFrame:
    """The published figures as a flat table (for /published.csv): latest full period, whole population."""
    ids = list(measure_ids)
    whole = frame[frame["measure_id"].isin(ids) & (frame["breakdown"].fillna("") == "")]
    public = public_measures(whole, FORCE_CODE)
    latest = {m: latest_period(frame, catalogue.get(m), partial) for m in ids}
    keep = [latest.get(m) == str(p) for m, p in zip(public["measure_id"], public["period"], strict=True)]
    return public[keep].reset_index(drop=True)
