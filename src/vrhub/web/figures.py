"""Measure results for pages and the API, computed once per warehouse state and then served from memory.

A page view never rescans the warehouse: results are keyed by the warehouse's generation (bumped by every
write through the shared warehouse) and recomputed only after a load has changed it.
"""

from __future__ import annotations

import threading
from typing import Any

import pandas as pd

from vrhub.config import FORCE_CODE, FORCE_NAME
from vrhub.measures import MeasureRequest, MeasureResult, load_catalogue
from vrhub.web.warehouse import hub

_lock = threading.RLock()  # measures_frame computes through measures(): nested
_cache: dict[tuple[Any, ...], tuple[int | str, Any]] = {}


def generation() -> int | str:
    shared = hub().shared
    return shared.generation if shared is not None else 0


def cached(key: tuple[Any, ...], make: Any) -> Any:
    """`make()` once per warehouse generation for `key`; concurrent callers wait for one computation."""
    current = generation()
    hit = _cache.get(key)
    if hit is not None and hit[0] == current:
        return hit[1]
    with _lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] == current:
            return hit[1]
        value = make()
        _cache[key] = (current, value)
        return value


def measures(
    measure: str | None = None, period: str | None = None, area: str | None = None, by: str | None = None
) -> MeasureResult:
    request = MeasureRequest(measures=[measure] if measure else None, period=period, area=area, by=by)
    return cached(("measures", measure, period, area, by), lambda: hub().measures(request))


def measures_frame(**kwargs: Any) -> pd.DataFrame:
    return cached(("frame", tuple(sorted(kwargs.items()))), lambda: measures(**kwargs).table.to_pandas())


def catalogue() -> Any:
    return cached(("catalogue",), load_catalogue)


def quality() -> Any:
    return cached(("quality",), lambda: hub().quality())


def hotspots(
    measure: str | None = None,
    crime_type: str | None = None,
    start: str | None = None,
    end: str | None = None,
) -> Any:
    """The hot spots the pages and the API both show, computed once per warehouse generation."""
    return cached(
        ("hotspots", measure, crime_type, start, end),
        lambda: hub().hotspots(measure=measure, crime_type=crime_type, start=start, end=end),
    )


def hotspots_geojson(
    measure: str | None = None,
    crime_type: str | None = None,
    start: str | None = None,
    end: str | None = None,
) -> str:
    return cached(
        ("hotspots.geojson", measure, crime_type, start, end),
        lambda: hotspots(measure, crime_type, start, end).geojson(),
    )


def areas() -> list[dict[str, str]]:
    """The force area, then every borough of the loaded area lookup by code: the areas that exist,
    whether or not any records for them are loaded yet."""
    return cached(("areas",), _read_areas)


def _read_areas() -> list[dict[str, str]]:
    lookup = hub().boroughs()
    boroughs = [
        {"code": c, "name": n, "kind": "borough"}
        for c, n in zip(lookup["lad_code"].to_pylist(), lookup["lad_name"].to_pylist(), strict=True)
    ]
    return [{"code": FORCE_CODE, "name": FORCE_NAME, "kind": "force"}, *boroughs]


def clear() -> None:
    with _lock:
        _cache.clear()


def warm() -> None:
    """Compute what the overview and measure pages need, so the first visitor after a load waits for none."""
    measures_frame()
    measures_frame(by="age_band")
    measures_frame(by="sex")
    measures_frame(period="month")
    quality()
