"""The public edition: the report's data with disclosure control applied to every figure below the
force-wide total (boroughs, LSOAs, age bands, sexes, hours, weapons)."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pandas as pd

from vrhub.config import FORCE_CODE
from vrhub.reports.disclosure import SUPPRESSED, measure_relations, protect, protect_cells


def _numeric(shown: pd.Series) -> pd.Series:
    """Published values as numbers for charts: '*' becomes a gap."""
    return pd.to_numeric(shown.replace(SUPPRESSED, np.nan), errors="coerce")


def _protected(df: pd.DataFrame, value: str, group: list[str], exempt: pd.Series | None = None) -> pd.Series:
    labels = df[group].astype(str).agg("|".join, axis=1) if group else pd.Series("all", index=df.index)
    return protect(df[value], groups=[labels], exempt=exempt)


def public_copy(data: dict[str, Any]) -> dict[str, Any]:
    out = copy.copy(data)
    # The borough figures of the year and of its months are published side by side: a borough's year is
    # the sum of its months, so both are protected as one table (boroughs to force, months to year).
    places, monthly = data["places"].copy(), data["monthly"].copy()
    both = pd.concat([places, monthly], keys=["places", "monthly"]).reset_index(level=0, names="part")
    both = both.reset_index(drop=True)
    exempt = both["area_code"] == FORCE_CODE
    shown = protect_cells(both["value"], measure_relations(both, FORCE_CODE), exempt)
    in_places = (both["part"] == "places").to_numpy()
    shown_places = pd.Series(shown[in_places].to_numpy(), index=places.index)
    ratio = _numeric(shown_places) / places["value"].where(places["value"] > 0)
    places["rate_per_100k"] = (places["rate_per_100k"] * ratio).round(1).where(shown_places != SUPPRESSED)
    places["value"] = shown_places
    out["places"] = places
    boroughs = monthly["area_code"] != FORCE_CODE
    shown_monthly = pd.Series(shown[~in_places].to_numpy(), index=monthly.index)
    monthly.loc[boroughs, "value"] = _numeric(shown_monthly[boroughs])
    out["monthly"] = monthly

    people = data["people"].copy()
    people["value"] = _numeric(_protected(people, "value", ["who", "dimension"]))
    out["people"] = people

    times = data["times"].copy()
    times["n"] = _numeric(_protected(times, "n", []))
    out["times"] = times

    weapons = data["weapons"].copy()
    weapons["value"] = _numeric(_protected(weapons, "value", ["period"]))
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
    return out
