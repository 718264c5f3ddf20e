"""A measure's monthly series for one area, with its 12-month rolling total, same-month-last-year change,
seasonal pattern and level shifts: what `vrhub trends` prints and the report charts."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from vrhub.config import FORCE_CODE
from vrhub.measures import Catalogue, MeasureRequest, compute
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


def monthly_trend(wh: Warehouse, catalogue: Catalogue, measure_id: str, area: str = FORCE_CODE) -> Trend:
    result = compute(wh, catalogue, MeasureRequest(measures=[measure_id], period="month", area=area)).table
    df = result.to_pandas()
    df = df[df["breakdown"] == ""]
    series = pd.Series(
        df["value"].to_numpy(dtype="float64"), index=pd.to_datetime(df["period"] + "-01")
    ).sort_index()
    if series.empty:
        return Trend(measure_id, area, pd.DataFrame(), pd.DataFrame(), [])
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
    steps = detect_steps(series) if len(series) >= 12 else []
    return Trend(measure_id, area, table, seasonal_profile(series), steps)
