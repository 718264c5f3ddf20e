"""The warehouse results the dashboard reads, each computed once per warehouse generation (figures.cached),
so a page view never rescans the warehouse.

The measure frames come in two forms: `exact` (the engine's counts, for the roles given the partner edition)
and not (the public edition's rows and values, vrhub.web.published, for everyone else)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from vrhub.measures.expressions import BREAKDOWNS
from vrhub.web import figures, published
from vrhub.web.warehouse import hub


def annual(exact: bool = True) -> pd.DataFrame:
    """Every measure by calendar year (event counts) or its own period (reported indicators)."""
    return figures.measures_frame() if exact else published.frame()


def monthly(exact: bool = True) -> pd.DataFrame:
    """By month: every area, or (not `exact`) the force area alone, as the public edition publishes it."""
    return figures.measures_frame(period="month") if exact else published.frame(period="month")


def partial() -> dict[str, dict[str, int]]:
    """Periods with fewer months of data than they span, per source."""
    return figures.measures().partial


def catalogue() -> Any:
    return figures.catalogue()


def breakdown(measure: Any, by: str, exact: bool = True) -> pd.DataFrame:
    """One measure by year and age band or sex."""
    if by not in measure.breakdowns:
        return annual(exact).iloc[0:0]
    # One pass over every measure that records people, shared by all measure pages.
    frame = figures.measures_frame(by=by) if exact else published.frame(by=by)
    return frame[(frame["measure_id"] == measure.id) & frame["breakdown"].fillna("").str.startswith(by + "=")]


def measure_rows(measure: Any, exact: bool = True) -> pd.DataFrame:
    """Every row the dashboard holds for a measure: yearly (whole population, its own split, age bands and
    sexes) then monthly, in the engine's columns. What the measure page's downloads contain."""
    yearly = annual(exact)
    parts = [yearly[yearly["measure_id"] == measure.id]]
    parts += [breakdown(measure, by, exact) for by in BREAKDOWNS]
    months = monthly(exact)
    parts.append(months[months["measure_id"] == measure.id])
    parts = [p for p in parts if not p.empty]
    if not parts:
        return yearly.iloc[0:0].drop(columns=["snapshot"], errors="ignore")
    return pd.concat(parts, ignore_index=True)


def quality() -> Any:
    return figures.quality()


def hotspots(measure: str | None, crime_type: str | None, exact: bool = True) -> Any:
    return figures.hotspots(measure, crime_type) if exact else published.hotspots(measure, crime_type)


def definition_effect(name: str) -> list[dict[str, Any]]:
    """Per year, the crimes a definition's exclusions remove (for a definition that has any)."""
    return figures.cached(
        ("dashboard", "definition_effect", name), lambda: hub().definition_effect(name).to_pylist()
    )


def hotspots_geojson(measure: str | None, crime_type: str | None, exact: bool = True) -> str:
    if not exact:
        return published.hotspots_geojson(measure, crime_type)
    return figures.hotspots_geojson(measure, crime_type)
