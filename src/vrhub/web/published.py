"""The figures as the public edition publishes them, for the pages and the API to show to every role that
is given the public edition (accounts.access.sees_exact_counts): one disclosure rule, the library's
`public_measures`, over the same rows the public API publishes, so a viewer sees on the dashboard exactly
what the public page and the public report would show them.

Below the force area, the public see each measure by calendar year (or a reported indicator's own period)
and for the whole population only. Every other table (by age or sex, by month, quarter or financial year) is
published force-wide: a borough's months add up to its year and its bands to its whole figure, so a figure
hidden in one table would come back by subtraction from another protected on its own.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pandas as pd

from vrhub.config import FORCE_CODE
from vrhub.reports.disclosure import protect, public_measures
from vrhub.web import figures

BOROUGH_PERIODS = (None, "year")
# The engine's statistics of a change: computed from exact counts, so below the force-wide whole figure they
# would undo the rounding (a rate ratio and its interval give the count back).
STATISTICS = (
    "rate_ratio",
    "ci_low",
    "ci_high",
    "p_value",
    "wheeler_z",
    "small_count",
    "rate_ratio_vs_baseline",
    "ci_low_vs_baseline",
    "ci_high_vs_baseline",
    "p_value_vs_baseline",
)


def _filters(measure: str | None, period: str | None, by: str | None) -> dict[str, str]:
    given = {"measure": measure, "period": period, "by": by}
    return {k: v for k, v in given.items() if v is not None}  # figures.warm()'s cache keys


def frame(measure: str | None = None, period: str | None = None, by: str | None = None) -> pd.DataFrame:
    """The engine's frame (every column) cut to the rows the public edition publishes, with each count as
    published ('*' or rounded to 5 below the force-wide whole figure), its rate from the published count,
    changes only where they came from force-wide exact totals, and the statistics of a change blanked
    below the force-wide whole figure. A `suppressed` column says which values are '*'."""

    def make() -> pd.DataFrame:
        engine = figures.measures_frame(**_filters(measure, period, by))
        if by is not None or period not in BOROUGH_PERIODS:
            engine = engine[engine["area_code"] == FORCE_CODE]
        engine = engine.reset_index(drop=True)
        shown = public_measures(engine, FORCE_CODE)
        out = engine.copy()
        for column in (
            "value",
            "rate_per_100k",
            "change_vs_previous_pct",
            "change_vs_baseline_pct",
            "suppressed",
        ):
            if column in shown.columns:
                out[column] = shown[column]
        exact = ((out["area_code"] == FORCE_CODE) & (out["breakdown"].fillna("") == "")).to_numpy()
        for column in STATISTICS:
            if column in out.columns:
                out[column] = out[column].astype("object").where(exact, np.nan)
        return out

    return figures.cached(("published", measure, period, by), make)


def hotspots(
    measure: str | None = None,
    crime_type: str | None = None,
    start: str | None = None,
    end: str | None = None,
) -> Any:
    """The hot spots as the public report publishes them (reports.public.public_copy): each LSOA's count
    under the HES rule, with the LSOAs' total as the relation that secondary suppression guards."""

    def make() -> Any:
        result = copy.copy(figures.hotspots(measure, crime_type, start, end))
        table = result.table.copy()
        table["count"] = protect(table["count"], groups=[pd.Series("all", index=table.index)])
        result.table = table
        return result

    return figures.cached(("published-hotspots", measure, crime_type, start, end), make)


def hotspots_geojson(
    measure: str | None = None,
    crime_type: str | None = None,
    start: str | None = None,
    end: str | None = None,
) -> str:
    return figures.cached(
        ("published-hotspots.geojson", measure, crime_type, start, end),
        lambda: hotspots(measure, crime_type, start, end).geojson(),
    )
