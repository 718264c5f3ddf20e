"""The public edition: the report's data with disclosure control applied to every figure below the
force-wide total (boroughs, LSOAs, age bands, sexes, hours, weapons)."""

from __future__ import annotations

import copy
import dataclasses
import re
from typing import Any

import numpy as np
import pandas as pd

from vrhub.config import FORCE_CODE
from vrhub.measures import periods
from vrhub.reports.disclosure import SUPPRESSED, protect, public_measures
from vrhub.stats.change import SMALL_COUNT


def _numeric(shown: pd.Series) -> pd.Series:
    """Published values as numbers for charts: '*' becomes a gap."""
    return pd.to_numeric(shown.replace(SUPPRESSED, np.nan), errors="coerce")


def _protected(df: pd.DataFrame, value: str, group: list[str], exempt: pd.Series | None = None) -> pd.Series:
    if df.empty:  # nothing loaded: nothing to protect (and no rows to label)
        return df[value].astype("object")
    labels = df[group].astype(str).agg("|".join, axis=1) if group else pd.Series("all", index=df.index)
    return protect(df[value], groups=[labels], exempt=exempt)


def public_copy(data: dict[str, Any]) -> dict[str, Any]:
    out = copy.copy(data)
    # Boroughs are published as the public API and page publish them, by calendar year and by the same
    # rule on the same rows, so no two publications hide different cells. Their months are not: a
    # borough's year is the sum of its months, and hiding across both would differ from the API's table.
    places = data["places"].copy()
    if places.empty:  # no offences loaded: the section says so
        places["value"] = places["value"].astype("object")
    shown_places = (
        public_measures(places, FORCE_CODE)["value"] if not places.empty else places["value"].astype("object")
    )
    shown_places.index = places.index
    ratio = _numeric(shown_places) / places["value"].where(places["value"] > 0)
    places["rate_per_100k"] = (places["rate_per_100k"] * ratio).round(1).where(shown_places != SUPPRESSED)
    places["value"] = shown_places
    out["places"] = places
    monthly = data["monthly"]
    out["monthly"] = monthly[monthly["area_code"] == FORCE_CODE].copy()

    # A hidden cell stays in its table and chart, marked '*' (`suppressed`), never dropped.
    people = data["people"].copy()
    shown = _protected(people, "value", ["who", "dimension"])
    people["suppressed"] = shown == SUPPRESSED
    people["value"] = _numeric(shown)
    out["people"] = people

    times = data["times"].copy()
    shown = _protected(times, "n", [])
    times["suppressed"] = shown == SUPPRESSED
    times["n"] = _numeric(shown)
    out["times"] = times

    weapons = data["weapons"].copy()
    shown = _protected(weapons, "value", ["period"])
    weapons["suppressed"] = shown == SUPPRESSED
    weapons["value"] = _numeric(shown)
    out["weapons"] = weapons

    if data["hotspots"] is not None:
        hot = copy.copy(data["hotspots"])
        table = hot.table.copy()
        table["count"] = _protected(table, "count", [])
        hot.table = table
        out["hotspots"] = hot
    # Checks of borough and breakdown figures would publish exact small counts' changes: force-wide only.
    out["checks"] = [c for c in data["checks"] if c.what == "count" or c.what.startswith("change vs")]
    out["values"] = {k: v for k, v in data["values"].items() if k[2] == FORCE_CODE and not k[3]}
    return _small_counts(out, data["catalogue"])


def _small(value: Any) -> bool:
    return value is not None and value == value and 0 < value < SMALL_COUNT


def _small_counts(out: dict[str, Any], catalogue: Any) -> dict[str, Any]:
    """The report's own rule, at every level (the force too): a count under SMALL_COUNT is not shown exactly
    and no change is read off it. Percentages are not counts and pass unchanged."""
    values = out["values"]

    def is_count(measure_id: str) -> bool:
        # Reported indicators (schools, percentages) are the partner's own published figures, not counts of
        # people made here: they pass unchanged, as in `public_measures`.
        if measure_id not in catalogue.measures:
            return False
        measure = catalogue.get(measure_id)
        return measure.unit != "percent" and measure.source != "indicators"

    def small_at(measure_id: str, period: str | None) -> bool:
        return (
            bool(period) and is_count(measure_id) and _small(values.get((measure_id, period, FORCE_CODE, "")))
        )

    tables = []
    for t in out["tables"]:
        rows = []
        for row in t["rows"]:
            cells = {}
            for column, cell in row.cells.items():
                before = periods.previous(cell.period) if periods.kind_of(cell.period) else None
                small = small_at(row.measure_id, cell.period)
                hide_change = small or small_at(row.measure_id, before)
                cells[column] = dataclasses.replace(
                    cell, small=small, change=None if hide_change else cell.change
                )
            rows.append(dataclasses.replace(row, cells=cells))
        tables.append({**t, "rows": rows})
    out["tables"] = tables
    out["summary"] = [s for s in out["summary"] if not s.small]
    stats = out["stats"]
    if not stats.empty and "small_count" in stats:
        out["stats"] = stats[~stats["small_count"].fillna(False).astype(bool)]
    checks = []
    for c in out["checks"]:
        against = re.match(r"change vs (\S+)", c.what)
        years = [c.period, *([against.group(1)] if against else [])]
        if any(small_at(c.measure_id, y) for y in years):
            c = dataclasses.replace(c, computed=f"not shown (a count under {SMALL_COUNT})")
        checks.append(c)
    out["checks"] = checks
    out["values"] = {k: v for k, v in values.items() if not (is_count(k[0]) and _small(v))}
    return out
