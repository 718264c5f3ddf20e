"""Statistical disclosure control for public outputs, following the NHS HES rule.

Below the force-wide total, a count of 1 to 7 is shown as '*' and every other count is rounded to the
nearest 5. Rounding alone still lets a reader take a suppressed cell back out of an exact total (force
total minus the other boroughs), so wherever a group of cells that add up to a published total has exactly
one suppressed cell, the next smallest cell in the group is suppressed too. A '*' therefore reads
"suppressed to protect a small number": a count of 1 to 7, or the cell hidden beside one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SUPPRESSED = "*"
LOW, HIGH = 1, 7  # the NHS HES suppression range
BASE = 5  # rounding base


def round_to_base(values: pd.Series) -> pd.Series:
    # Half away from zero, as HES does (Python's round would send 2.5 to 2).
    return (np.floor(values.astype("float64") / BASE + 0.5) * BASE).astype("int64")


def protect(values: pd.Series, groups: list[pd.Series], exempt: pd.Series | None = None) -> pd.Series:
    """The published form of each count: its rounded value, or '*'.

    `groups`: for each way the cells add up to a published total (boroughs within a period, age bands
    within an area...), a Series giving each cell's group label (NaN: in no such group).
    `exempt`: cells published exactly (the force-wide whole-population totals).
    """
    values = values.astype("float64")
    exempt = exempt if exempt is not None else pd.Series(False, index=values.index)
    suppressed = values.between(LOW, HIGH) & ~exempt
    for _ in range(3):  # a secondary suppression in one grouping can leave a lone one in another
        changed = False
        for group in groups:
            frame = pd.DataFrame({"v": values, "s": suppressed, "g": group, "x": exempt}).dropna(subset=["g"])
            lonely = frame.groupby("g")["s"].transform("sum") == 1
            # Any cell can be the partner, a zero included: which cell held the small count stays hidden.
            candidates = frame[lonely & ~frame["s"] & ~frame["x"]]
            if candidates.empty:
                continue
            partner = candidates.sort_values("v").groupby("g").head(1).index
            suppressed.loc[partner] = True
            changed = True
        if not changed:
            break
    shown = round_to_base(values.fillna(0)).astype("object")
    shown[exempt] = values[exempt].astype("int64")
    shown[suppressed] = SUPPRESSED
    shown[values.isna()] = None
    return shown


PUBLIC_COLUMNS = [
    "measure_id",
    "period",
    "area_code",
    "area_name",
    "breakdown",
    "value",
    "unit",
    "rate_per_100k",
    "change_vs_previous_pct",
    "change_vs_baseline_pct",
    "definition_version",
    "suppressed",
]


def public_measures(frame: pd.DataFrame, force_code: str) -> pd.DataFrame:
    """Measure rows (the engine's columns) as they may be published.

    Counts below the force-wide whole-population total follow the HES rule with secondary suppression,
    grouped both ways the cells add up (boroughs within a period and breakdown; breakdown values within an
    area and period). Rates are recomputed from the rounded count, and changes are given only where they
    came from force-wide exact totals: a borough's exact percentage change would undo the rounding.
    Percentages and reported indicator values are not counts of people and pass unchanged.
    """
    out = frame.copy()
    out["suppressed"] = False
    counts = out["unit"] != "percent"
    whole = out["breakdown"].fillna("") == ""
    exempt = (out["area_code"] == force_code) & whole
    if counts.any():
        c = out[counts]
        dimension = c["breakdown"].fillna("").str.split("=").str[0]
        by_area = c["measure_id"] + "|" + c["period"].astype(str) + "|" + c["breakdown"].fillna("")
        by_breakdown = (
            c["measure_id"] + "|" + c["period"].astype(str) + "|" + c["area_code"] + "|" + dimension
        )
        shown = protect(
            c["value"], groups=[by_area, by_breakdown.where(dimension != "")], exempt=exempt[counts]
        )
        out["value"] = out["value"].astype("object")
        out.loc[counts, "value"] = shown
        out.loc[counts, "suppressed"] = shown == SUPPRESSED
        numeric = pd.to_numeric(shown.replace(SUPPRESSED, np.nan), errors="coerce")
        exact = c["value"].astype("float64").where(c["value"] > 0)
        out.loc[counts, "rate_per_100k"] = (c["rate_per_100k"] * numeric / exact).round(1)
        for column in ("change_vs_previous_pct", "change_vs_baseline_pct"):
            out.loc[counts & ~exempt, column] = np.nan
    return out[[col for col in PUBLIC_COLUMNS if col in out.columns]]
