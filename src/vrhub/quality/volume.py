"""Late or missing data: months with no rows inside a series, and months far below what is usual.

A month that has not all arrived looks like a fall in violence, so it is flagged before anyone reads it as
one. Counts are what measures count (crimes, not police rows) by the event date measures use.
"""

from __future__ import annotations

import pandas as pd
from scipy import stats

from vrhub.quality.model import Finding, Profile, Thresholds, baseline, counted, month_of, p_text
from vrhub.warehouse import Warehouse


def monthly_counts(wh: Warehouse, profile: Profile) -> pd.Series:
    """Counts per month on the complete calendar from the first month to the last (NaN: no rows)."""
    t = wh.table(profile.table)
    by_month = t.group_by(month=month_of(t[profile.date])).aggregate(n=counted(t, profile))
    frame = wh.to_arrow(by_month).to_pandas()
    if frame.empty:
        return pd.Series(dtype="float64")
    counts = frame.set_index(pd.PeriodIndex(frame["month"], freq="M"))["n"].astype("float64").sort_index()
    return counts.reindex(pd.period_range(counts.index.min(), counts.index.max(), freq="M"))


def volume_findings(profile: Profile, counts: pd.Series, th: Thresholds) -> list[Finding]:
    if counts.empty:
        return []
    base = baseline(counts, th)
    frame = base.rename(columns={"value": "expected"}).assign(n=counts)
    # P(a count this low or lower) if the month were like its baseline: a small series dips by chance.
    frame["p"] = stats.poisson.cdf(frame["n"].fillna(0), frame["expected"].fillna(0))
    first, last = counts.index.min(), counts.index.max()
    found = []
    # A run of empty months is one gap (one finding), however long.
    empty = frame[frame["n"].isna()].assign(ordinal=lambda f: [m.ordinal for m in f.index])
    gaps = empty.groupby((empty["ordinal"].diff() != 1).cumsum())
    for _, gap in gaps:
        start, end, usual = gap.index[0], gap.index[-1], gap["expected"].iloc[0]
        span = f"in {start}" if start == end else f"from {start} to {end} ({len(gap)} months)"
        around = f" (about {usual:,.0f} in a usual month)" if pd.notna(usual) else ""
        found.append(
            Finding(
                profile.source,
                str(start),
                None,
                "missing_month",
                "error",
                0.0,
                _num(usual),
                f"No {profile.label} {profile.unit} {span}, between the first month ({first}) and the last "
                f"({last}){around}: late or missing data. Ask the supplier for the data before reading any "
                "trend across the gap.",
            )
        )
    low = frame[(frame["n"] < th.low_count_ratio * frame["expected"]) & (frame["p"] < th.alpha)]
    for month, row in low.iterrows():
        latest = " It is the latest month: it may not all have arrived yet." if month == last else ""
        found.append(
            Finding(
                profile.source,
                str(month),
                None,
                "low_count",
                "warning",
                row.n,
                row.expected,
                f"Only {row.n:,.0f} {profile.label} {profile.unit} in {month}: {row.n / row.expected:.0%} "
                f"of the median of the {row.when} {row.months:.0f} months ({row.expected:,.0f}), beyond "
                f"chance (Poisson {p_text(row.p)}); late or missing data, unless something really did cut "
                f"{profile.unit} that month.{latest}",
            )
        )
    return found


def _num(value: float) -> float | None:
    return None if pd.isna(value) else float(value)
