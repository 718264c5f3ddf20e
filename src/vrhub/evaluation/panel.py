"""The panel a place-based evaluation works on: every LSOA of the area by every whole month loaded.

The counts are `vrhub.analysis.hotspots.lsoa_counts`' (the measure's or crime type's rows by LSOA and month,
computed in the warehouse, a period spanning the 2011 to 2021 LSOA change put on 2021 LSOAs by best fit),
made rectangular here: an LSOA with nothing counted in a loaded month has a zero, not a gap.

A month the source covers only in part (records starting after the 1st, or ending before the month's last
day, as a mid-month extract does) is left out, never compared as a whole month: its count would read as a
fall. police.uk is published by whole month, so its months are always whole.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from vrhub.analysis.hotspots import lsoa_counts
from vrhub.geography import load_lsoa_boundaries
from vrhub.measures.catalogue import EVENT_DATE
from vrhub.warehouse import Warehouse

# Sources whose records carry only a month: every loaded month is whole.
MONTHLY_SOURCES = frozenset({"police_uk_crimes"})


@dataclass
class Panel:
    """`counts`: LSOAs (index lsoa_code, in `areas`' order) x months ('YYYY-MM' columns, oldest first).
    `areas`: lsoa_code, lsoa_name, lad_code and, where known, geometry, for every LSOA of the area.
    `meta`: what was counted (as `lsoa_counts` says), the vintage, and the months left out and why."""

    counts: pd.DataFrame
    areas: pd.DataFrame
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def months(self) -> list[str]:
        return list(self.counts.columns)


def panel_from_counts(
    counts: pd.DataFrame, areas: pd.DataFrame, months: list[str] | None = None, meta: dict | None = None
) -> Panel:
    """A panel from long counts (month, lsoa_code, count): every LSOA of `areas` by every month of `months`
    (default: the months in `counts`), zero where nothing was counted; codes not in `areas` are ignored."""
    months = sorted(months if months is not None else counts["month"].unique())
    codes = areas["lsoa_code"].to_numpy()
    wide = (
        counts.pivot_table(index="lsoa_code", columns="month", values="count", aggfunc="sum")
        .reindex(index=codes, columns=months)
        .fillna(0)
        .astype("int64")
    )
    wide.index.name, wide.columns.name = "lsoa_code", None
    return Panel(wide, areas.reset_index(drop=True), dict(meta or {}))


def partial_months(first: dt.date | None, last: dt.date | None, months: list[str]) -> dict[str, str]:
    """The months of `months` that records from `first` to `last` cover only in part, with why."""
    out: dict[str, str] = {}
    if first is not None and first.day > 1 and f"{first:%Y-%m}" in months:
        out[f"{first:%Y-%m}"] = f"records start on {first:%d %B %Y}"
    if last is not None:
        month_end = calendar.monthrange(last.year, last.month)[1]
        if last.day < month_end and f"{last:%Y-%m}" in months:
            out[f"{last:%Y-%m}"] = f"records end on {last:%d %B %Y}"
    return out


def _date_span(wh: Warehouse, source: str) -> tuple[dt.date | None, dt.date | None]:
    t = wh.table(source)
    day = t[EVENT_DATE[source]].cast("date")
    first, last = wh.to_arrow(t.aggregate(first=day.min(), last=day.max())).to_pylist()[0].values()
    return first, last


def place_panel(
    wh: Warehouse,
    *,
    measure: str | None = None,
    crime_type: str | None = None,
    end: str | None = None,
    best_fit: str | Path | None = None,
) -> Panel:
    """Monthly counts of a measure (or police.uk crime type, or every police.uk crime) by LSOA, for every
    whole month loaded up to `end` (YYYY-MM, inclusive; default the last)."""
    counts = lsoa_counts(wh, measure=measure, crime_type=crime_type, end=end, best_fit=best_fit)
    meta = dict(counts.attrs)
    months = list(meta["months"])
    source = meta["source"]
    partial = {} if source in MONTHLY_SOURCES else partial_months(*_date_span(wh, source), months)
    whole = [m for m in months if m not in partial]
    # A month inside the span with no record of the source at all was not loaded: left out, and said.
    span = pd.period_range(months[0], months[-1], freq="M").strftime("%Y-%m")
    meta["months_left_out"] = {
        **{m: why for m, why in partial.items()},
        **{m: "no records of the source loaded" for m in span if m not in months},
    }
    boundaries = load_lsoa_boundaries(meta["vintage"])
    return panel_from_counts(counts, boundaries, whole, meta)
