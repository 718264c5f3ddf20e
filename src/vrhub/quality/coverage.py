"""What each source covers: whether anything is loaded, its first and last months, the months missing in
between, and how far its latest month is behind today (timeliness).

Timeliness rule: a monthly source whose latest loaded month is more than `Thresholds.late_months` calendar
months before the month of `today` is late (police.uk publishes a month about six weeks after it ends, so
three months leaves a month's grace for a local extract). Reported indicators come once a year as published
and are not held to it.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from vrhub.quality.model import Finding, Profile, Thresholds
from vrhub.stats.months import gap_text, month_gaps
from vrhub.warehouse import Warehouse

COVERAGE_COLUMNS = [
    "source",
    "status",
    "rows",
    "first",
    "last",
    "months",
    "missing_months",
    "gaps",
    "months_behind",
]
NOT_LOADED = "not loaded"


def not_loaded(profile: Profile) -> dict:
    return {
        "source": profile.source,
        "status": NOT_LOADED,
        "rows": 0,
        "first": None,
        "last": None,
        "months": 0,
        "missing_months": 0,
        "gaps": "",
        "months_behind": None,
    }


def indicator_coverage(wh: Warehouse, profile: Profile, rows: int) -> dict:
    """Indicators carry the period they were published for (e.g. 2019/20), not an event month."""
    t = wh.table(profile.table)
    span = wh.to_arrow(t.aggregate(first=t.period.min(), last=t.period.max())).to_pylist()[0]
    return {
        **not_loaded(profile),
        "status": "loaded",
        "rows": rows,
        "first": span["first"],
        "last": span["last"],
    }


def monthly_coverage(
    profile: Profile, rows: int, counts: pd.Series, th: Thresholds, today: dt.date
) -> tuple[dict, list[Finding]]:
    """The coverage of a monthly source from its counts on the complete calendar (`volume.monthly_counts`:
    NaN where a month has no rows), and a `late` finding when its latest month is too old."""
    present = counts.dropna().index
    first, last = present.min(), present.max()
    gaps = month_gaps(present)
    behind = (pd.Period(today, "M") - last).n
    late = behind > th.late_months
    row = {
        "source": profile.source,
        "status": "late" if late else "loaded",
        "rows": rows,
        "first": str(first),
        "last": str(last),
        "months": len(present),
        "missing_months": sum(n for _, _, n in gaps),
        "gaps": "; ".join(gap_text(g) for g in gaps),
        "months_behind": behind,
    }
    if not late:
        return row, []
    finding = Finding(
        profile.source,
        None,
        None,
        "late",
        "warning",
        float(behind),
        float(th.late_months),
        f"The latest {profile.label} month loaded is {last}, {behind} months before {today:%Y-%m} (more than "
        f"the {th.late_months} a monthly feed may lag): figures after {last} are missing, not zero. Load the "
        "newer files before reading recent trends.",
    )
    return row, [finding]


def coverage_frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=COVERAGE_COLUMNS)
    return frame.astype(
        {"rows": "int64", "months": "int64", "missing_months": "int64", "months_behind": "Int64"}
    )
