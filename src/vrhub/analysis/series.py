"""A measure's monthly series for one area, with its 12-month rolling total, same-month-last-year change,
seasonal pattern and level shifts: what `vrhub trends` prints and the report charts.

A series says why it is empty (`Trend.notice`: nothing loaded for the measure's source, or nothing counted),
names the runs of months its source has no data for (`Trend.gaps`), and a reported indicator, which has no
monthly series, comes as reported (`Trend.reported`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from vrhub.config import FORCE_CODE
from vrhub.measures import Catalogue, MeasureRequest, compute
from vrhub.measures.catalogue import EVENT_DATE
from vrhub.stats.months import month_gaps
from vrhub.stats.trends import (
    Step,
    detect_steps,
    rolling_twelve_months,
    same_month_last_year,
    seasonal_profile,
)
from vrhub.warehouse import Warehouse


@dataclass(frozen=True)
class Trend:
    measure_id: str
    area_code: str
    table: pd.DataFrame  # month, value, rolling_12_months, last_year, pct_change_vs_last_year
    seasonal: pd.DataFrame  # month of year, share of the year, seasonal index
    steps: list[Step]
    # Months inside the series with no rows of the measure's source: (first, last, how many).
    gaps: list[tuple[str, str, int]] = field(default_factory=list)
    notice: str = ""  # why there is no monthly series, when there is none
    reported: bool = False  # a reported indicator: `table` holds its periods and values as reported


def _source_name(table: str) -> str:
    from vrhub.sources import SOURCES

    return next((name for name, spec in SOURCES.items() if spec.table == table), table)


def _source_months(wh: Warehouse, table: str) -> list[str]:
    t = wh.table(table)
    month = t[EVENT_DATE[table]].strftime("%Y-%m")
    return sorted(m for m in wh.to_arrow(t.select(month=month).distinct()).column(0).to_pylist() if m)


def _indicator(wh: Warehouse, catalogue: Catalogue, measure_id: str, area: str) -> Trend:
    """A reported indicator has one value per period as published (a school or financial year): no months
    to roll or compare, so its values come as they are, with a sentence saying so."""
    m = catalogue.get(measure_id)
    df = compute(wh, catalogue, MeasureRequest(measures=[measure_id], area=area)).table.to_pandas()
    df = df[df["breakdown"] == ""][["period", "value"]].reset_index(drop=True)
    said = f"{measure_id} ({m.title}) is a reported indicator, loaded as published, one value a year: it has "
    said += "no monthly series to trend."
    if df.empty:
        said += " None of its values is loaded for this area (load them with `vrhub ingest indicators FILE`)."
    else:
        said += f" Its values are below; `vrhub measures -m {measure_id}` shows them beside every borough."
    return Trend(measure_id, area, df, pd.DataFrame(), [], notice=said, reported=True)


def monthly_trend(wh: Warehouse, catalogue: Catalogue, measure_id: str, area: str = FORCE_CODE) -> Trend:
    m = catalogue.get(measure_id)
    if m.source not in EVENT_DATE:
        return _indicator(wh, catalogue, measure_id, area)
    result = compute(wh, catalogue, MeasureRequest(measures=[measure_id], period="month", area=area)).table
    df = result.to_pandas()
    df = df[df["breakdown"] == ""]
    series = pd.Series(
        df["value"].to_numpy(dtype="float64"), index=pd.to_datetime(df["period"] + "-01")
    ).sort_index()
    loaded = _source_months(wh, m.source)
    if series.empty:
        if not loaded:
            notice = (
                f"Nothing is loaded for {m.source} (source {_source_name(m.source)}), which {measure_id} "
                f"counts: load it with `vrhub ingest {_source_name(m.source)} FILE`."
            )
        else:
            notice = (
                f"No {m.unit} of {measure_id} counted for {area} in the months loaded for {m.source} "
                f"({loaded[0]} to {loaded[-1]})."
            )
        return Trend(measure_id, area, pd.DataFrame(), pd.DataFrame(), [], notice=notice)
    same = same_month_last_year(series)
    table = pd.DataFrame(
        {
            "month": series.index.strftime("%Y-%m"),
            "value": series.to_numpy(),
            "rolling_12_months": rolling_twelve_months(series).to_numpy(),
            "last_year": same["last_year"].to_numpy(),
            "pct_change_vs_last_year": same["pct_change"].round(1).to_numpy(),
        }
    )
    first, last = table["month"].iloc[0], table["month"].iloc[-1]
    gaps = month_gaps([mo for mo in loaded if first <= mo <= last])
    steps = detect_steps(series) if len(series) >= 12 else []
    return Trend(measure_id, area, table, seasonal_profile(series), steps, gaps=gaps)
