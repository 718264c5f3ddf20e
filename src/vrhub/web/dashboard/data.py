"""The warehouse results the dashboard reads, each computed once per warehouse generation (figures.cached),
so a page view never rescans the warehouse."""

from __future__ import annotations

from typing import Any

import pandas as pd

from vrhub.measures.expressions import BREAKDOWNS
from vrhub.web import figures
from vrhub.web.warehouse import hub


def annual() -> pd.DataFrame:
    """Every measure by calendar year (event counts) or its own period (reported indicators)."""
    return figures.measures_frame()


def monthly() -> pd.DataFrame:
    return figures.measures_frame(period="month")


def partial() -> dict[str, dict[str, int]]:
    """Periods with fewer months of data than they span, per source."""
    return figures.measures().partial


def catalogue() -> Any:
    return figures.catalogue()


def breakdown(measure: Any, by: str) -> pd.DataFrame:
    """One measure by year and age band or sex."""
    if by not in measure.breakdowns:
        return annual().iloc[0:0]
    # One pass over every measure that records people, shared by all measure pages.
    frame = figures.measures_frame(by=by)
    return frame[(frame["measure_id"] == measure.id) & frame["breakdown"].fillna("").str.startswith(by + "=")]


def measure_rows(measure: Any) -> pd.DataFrame:
    """Every row the dashboard holds for a measure: yearly (whole population, its own split, age bands and
    sexes) then monthly, in the engine's columns. What the measure page's downloads contain."""
    yearly = annual()
    parts = [yearly[yearly["measure_id"] == measure.id]]
    parts += [breakdown(measure, by) for by in BREAKDOWNS]
    months = monthly()
    parts.append(months[months["measure_id"] == measure.id])
    parts = [p for p in parts if not p.empty]
    if not parts:
        return yearly.iloc[0:0].drop(columns=["snapshot"], errors="ignore")
    return pd.concat(parts, ignore_index=True)


def quality() -> Any:
    return figures.quality()


def hotspots(measure: str | None, crime_type: str | None) -> Any:
    return figures.hotspots(measure, crime_type)


def definition_effect(name: str) -> list[dict[str, Any]]:
    """Per year, the crimes a definition's exclusions remove (for a definition that has any)."""
    return figures.cached(
        ("dashboard", "definition_effect", name), lambda: hub().definition_effect(name).to_pylist()
    )


def hotspots_geojson(measure: str | None, crime_type: str | None) -> str:
    return figures.hotspots_geojson(measure, crime_type)
