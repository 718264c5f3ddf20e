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
