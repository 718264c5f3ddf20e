"""Category drift: a categorical column's share moving further than chance allows.

Two comparisons, each a two-proportion z-test per category: a year against the year before, and a month
against the previous 12 months pooled. Many categories and months are tested at once, so p-values are
Holm-corrected (per source and comparison); and a move must also be large (Cohen's h), because with thousands
of rows a trivial move is "significant". A month must also have moved as far from the same month a year
before, so that a season (secondary fires in spring) is not taken for a change. A shift that persists is
reported once, at the month it began, with how long the share stayed away from its earlier level; a move that
lasts one month only must be twice as large, since chance spikes do not last and recording changes do.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests

from vrhub.quality.model import Finding, Profile, Thresholds, counted, label, month_of, p_text, pct
from vrhub.warehouse import Warehouse

# Catch-all categories: a move in these is almost always a change in how records are coded.
_CATCH_ALL = {"not_specified", "other", "(blank)", "other_violence", "Other crime", "not_assault"}


def category_table(wh: Warehouse, profile: Profile, column: str) -> pd.DataFrame:
    """Counts per month (rows) by category (columns) on the complete calendar; NaN in a month with none."""
    t = wh.table(profile.table)
    query = t.group_by(month=month_of(t[profile.date]), category=t[column].fill_null("(blank)")).aggregate(
        n=counted(t, profile)
    )
    frame = wh.to_arrow(query).to_pandas()
    if frame.empty:
        return frame
    wide = frame.pivot_table(index="month", columns="category", values="n", aggfunc="sum", fill_value=0)
    wide.index = pd.PeriodIndex(wide.index, freq="M")
    return wide.reindex(pd.period_range(wide.index.min(), wide.index.max(), freq="M")).astype("float64")


def _tests(frame: pd.DataFrame) -> pd.DataFrame:
    """Vectorised two-proportion z-test and Cohen's h for columns x1/n1 (before) and x2/n2 (after)."""
    p1, p2 = frame["x1"] / frame["n1"], frame["x2"] / frame["n2"]
    pooled = (frame["x1"] + frame["x2"]) / (frame["n1"] + frame["n2"])
    se = np.sqrt(pooled * (1 - pooled) * (1 / frame["n1"] + 1 / frame["n2"]))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, (p2 - p1) / se, 0.0)
    h = 2 * np.arcsin(np.sqrt(p2)) - 2 * np.arcsin(np.sqrt(p1))
    return frame.assign(p1=p1, p2=p2, h=h, p=2 * stats.norm.sf(np.abs(z)))


def _denominators(wide: pd.DataFrame) -> pd.DataFrame:
    """What each category's share is out of: every row for a catch-all category, the rows with a specific
    value for the others; so one recording change into 'not specified' is not reported again as a fall in
    every other category."""
    totals = wide.sum(axis=1, min_count=1)
    specific = totals - wide[[c for c in wide.columns if c in _CATCH_ALL]].sum(axis=1)
    return pd.DataFrame({c: totals if c in _CATCH_ALL else specific for c in wide.columns})


def _long(column: str, **parts: pd.DataFrame) -> pd.DataFrame:
    """Stack equally shaped (period x category) frames into one row per period and category."""
    stacked = pd.DataFrame({name: frame.stack(future_stack=True) for name, frame in parts.items()})
    stacked.index.names = ["period", "category"]
    return stacked.reset_index().assign(column=column)


def _yearly(wide: pd.DataFrame, column: str) -> pd.DataFrame:
    x = wide.groupby(wide.index.year).sum(min_count=1).dropna(how="all")
    n = _denominators(wide).groupby(wide.index.year).sum(min_count=1).loc[x.index]
    # Only a year against the year before it: a gap year would make the change look sudden.
    gap = pd.Series(x.index.to_numpy(), index=x.index).diff() == 1
    tests = _long(column, x1=x.shift(1)[gap], n1=n.shift(1)[gap], x2=x[gap], n2=n[gap])
    tests = tests.assign(period=tests["period"].astype(str), previous=(tests["period"] - 1).astype(str))
    return _tests(tests)


def _monthly(wide: pd.DataFrame, column: str, th: Thresholds) -> pd.DataFrame:
    """Each month against the previous 12 pooled, and (so that a season is not taken for a change) against the
    same month a year before. Months without a full year before them are not tested this way."""
    n = _denominators(wide)
    rolling = {"window": th.baseline_months, "min_periods": 1}
    months = wide.sum(axis=1, min_count=1).shift(1).rolling(**rolling).count()
    enough = months >= th.min_baseline_months
    x1, n1 = (f.shift(1).rolling(**rolling).sum().where(enough, axis=0) for f in (wide, n))
    tests = _long(column, x1=x1, n1=n1, x2=wide, n2=n, x0=wide.shift(12), n0=n.shift(12))
    tests = tests.assign(month=tests["period"], months=tests["period"].map(months))
    tests = tests.dropna(subset=["x1", "n1", "x2", "n2", "x0", "n0"])
    year_before = _tests(tests.rename(columns={"x1": "_x", "n1": "_n", "x0": "x1", "n0": "n1"}))
    return _tests(tests).assign(h0=year_before["h"], p0=year_before["p1"])


def _flag(tests: pd.DataFrame, th: Thresholds) -> pd.DataFrame:
    tests = tests[(tests["n1"] >= th.min_drift_rows) & (tests["n2"] >= th.min_drift_rows)].copy()
    if tests.empty:
        return tests
    tests["p"] = multipletests(tests["p"].to_numpy(), method="holm")[1]
    flagged = (tests["p"] < th.alpha) & (tests["h"].abs() >= th.drift_effect)
    if "h0" in tests:  # as large a move against the same month a year before, the same way
        flagged &= (tests["h0"] * np.sign(tests["h"]) >= th.drift_effect) & (tests["n0"] >= th.min_drift_rows)
    return tests[flagged]


def _episodes(tests: pd.DataFrame, flagged: pd.DataFrame, th: Thresholds) -> pd.DataFrame:
    """One row per shift: its first flagged month, and for how many months from there the share stayed as far
    (Cohen's h) from the level before it. Flagged months inside a shift are that shift, not new ones; the
    loops run over a few flagged rows of aggregates, never over records."""
    shifts = []
    for (column, category), starts in flagged.sort_values("month").groupby(["column", "category"]):
        series = tests[(tests["column"] == column) & (tests["category"] == category)].set_index("month")
        series = series.sort_index()
        end = None
        for start in starts.itertuples(index=False):
            if end is not None and start.month <= end:
                continue
            after = series.loc[start.month :, "p2"]
            moved = np.sign(start.h) * (2 * np.arcsin(np.sqrt(after)) - 2 * np.arcsin(np.sqrt(start.p1)))
            run = int((moved >= th.drift_effect).cumprod().sum())
            end = after.index[max(run, 1) - 1]
            shifts.append({**start._asdict(), "run": run, "last": end})
    return pd.DataFrame(shifts)


def _meaning(category: str) -> str:
    if category in _CATCH_ALL:
        return "likely a recording change, not a real change"
    return "a recording change or a real shift: check with the supplier before reading a trend in it"


def _what(profile: Profile, column: str, category: str) -> tuple[str, str]:
    """The subject of a message and what its share is out of."""
    subject = f"{profile.label} {label(column)} '{label(category)}'"
    if category in _CATCH_ALL:
        return subject, profile.unit
    return subject, f"{profile.unit} with a specific {label(column)}"


def drift_findings(wh: Warehouse, profile: Profile, th: Thresholds) -> list[Finding]:
    if profile.date is None or not profile.categories:
        return []
    yearly, monthly = [], []
    for column in profile.categories:
        wide = category_table(wh, profile, column)
        if not wide.empty:
            yearly.append(_yearly(wide, column))
            monthly.append(_monthly(wide, column, th))
    if not yearly:
        return []
    found = []
    for r in _flag(pd.concat(yearly, ignore_index=True), th).itertuples(index=False):
        subject, out_of = _what(profile, r.column, r.category)
        found.append(
            Finding(
                profile.source,
                r.period,
                r.column,
                "category_drift",
                "warning",
                float(r.p2),
                float(r.p1),
                f"{subject} {'rose' if r.h > 0 else 'fell'} from {pct(r.p1)} of {out_of} in {r.previous} to "
                f"{pct(r.p2)} in {r.period}: beyond chance ({p_text(r.p)}); {_meaning(r.category)}.",
            )
        )
    months = _flag(pd.concat(monthly, ignore_index=True), th)
    if months.empty:
        return found
    runs = _episodes(pd.concat(monthly, ignore_index=True), months, th)
    runs = runs[(runs["run"] > 1) | (runs["h"].abs() >= th.one_off_effect)]
    for r in runs.itertuples(index=False):
        subject, out_of = _what(profile, r.column, r.category)
        side = "above" if r.h > 0 else "below"
        lasting = f"; it stayed well {side} {pct(r.p1)} through {r.last} ({r.run} months)" * (r.run > 1)
        found.append(
            Finding(
                profile.source,
                str(r.month),
                r.column,
                "category_drift",
                "warning",
                float(r.p2),
                float(r.p1),
                f"{subject} {'jumped' if r.h > 0 else 'dropped'} to {pct(r.p2)} of {out_of} in {r.month}, "
                f"against {pct(r.p1)} in the previous {r.months:.0f} months and {pct(r.p0)} in "
                f"{r.month - 12}: beyond chance ({p_text(r.p)}){lasting}; {_meaning(r.category)}.",
            )
        )
    return found
