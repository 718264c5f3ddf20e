"""Trends in a monthly series: rolling twelve months, same month last year, the seasonal profile, level
shifts (steps) and shifts in a category's share that chance does not explain.

A series is a pandas Series of counts indexed by first-of-month Timestamps, one per area and measure; the
caller splits them. A month absent from the index is missing, not zero (the measures engine writes zeros
for months a source covers).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import test_proportions_2indep


@dataclass(frozen=True)
class Step:
    """A level shift: the series moved from one steady level to another from ``month`` on."""

    month: pd.Timestamp  # the first month at the new level
    level_before: float  # mean monthly count over the segment before
    level_after: float  # mean monthly count over the segment after
    statistic: float  # likelihood-ratio statistic, divided by the dispersion, that the penalty was beaten by


def _monthly(series: pd.Series) -> pd.Series:
    """The series on a complete first-of-month grid, gaps as NaN."""
    if not isinstance(series.index, pd.DatetimeIndex):
        raise ValueError("the series must be indexed by first-of-month Timestamps")
    if series.index.has_duplicates:
        raise ValueError("the series has more than one value for a month")
    if not series.index.is_month_start.all():
        raise ValueError("every index value must be the first day of a month")
    series = series.astype("float64").sort_index()
    return series.asfreq("MS") if len(series) else series


def rolling_twelve_months(series: pd.Series) -> pd.Series:
    """Total of each month and the eleven before it.

    Args:
        series: Monthly counts indexed by first-of-month Timestamps.

    Returns:
        A Series on the input's index: NaN until twelve consecutive months are available, and for any
        window that spans a missing month.
    """
    full = _monthly(series)
    return full.rolling(12, min_periods=12).sum().reindex(series.sort_index().index)


def same_month_last_year(series: pd.Series) -> pd.DataFrame:
    """Each month against the same calendar month a year before (comparing like with like across seasons).

    Args:
        series: Monthly counts indexed by first-of-month Timestamps.

    Returns:
        A DataFrame on the input's index with columns ``value``, ``last_year`` (NaN where that month is
        absent), ``change`` and ``pct_change`` (NaN when last year's value is 0).
    """
    full = _monthly(series)
    last = full.shift(12)
    frame = pd.DataFrame({"value": full, "last_year": last, "change": full - last})
    frame["pct_change"] = (full / last.where(last != 0) - 1) * 100
    return frame.reindex(series.sort_index().index)


def seasonal_profile(series: pd.Series) -> pd.DataFrame:
    """How a typical year's total splits across the calendar months.

    For each complete calendar year (twelve months present, total above 0) every month's share of that year's
    total is taken, then the shares are averaged over years, so a busy year does not outweigh a quiet one.

    Args:
        series: Monthly counts indexed by first-of-month Timestamps.

    Returns:
        A DataFrame indexed by calendar month 1-12 with ``share`` (the mean share of the annual total; the
        twelve sum to 1), ``seasonal_index`` (share x 12: 1.0 is an average month, 1.2 a month 20% busier)
        and ``years`` (how many complete years went into it). All NaN when no year is complete.
    """
    full = _monthly(series)
    frame = pd.DataFrame({"year": full.index.year, "month": full.index.month, "value": full.to_numpy()})
    wide = frame.pivot_table(index="year", columns="month", values="value", aggfunc="sum", dropna=False)
    wide = wide.reindex(columns=range(1, 13))
    totals = wide.sum(axis=1, min_count=12)
    complete = wide[wide.notna().all(axis=1) & (totals > 0)]
    share = complete.div(complete.sum(axis=1), axis=0).mean(axis=0)
    share = share.reindex(range(1, 13))
    out = pd.DataFrame({"share": share, "seasonal_index": share * 12, "years": len(complete)})
    out.index.name = "month"
    return out


def detect_steps(
    series: pd.Series, min_size: int = 6, penalty: float | None = None, seasonal: bool = True
) -> list[Step]:
    """Find level shifts, such as a recording change, by binary segmentation.

    Method: binary segmentation with a Poisson likelihood ratio. The best single split of a segment is the
    one that most raises the Poisson log-likelihood of two constant levels over one; it is kept if that
    ratio, divided by the dispersion, beats the penalty, and each side is then searched again. Violence
    counts vary more than Poisson, so the dispersion (variance over mean) is estimated robustly from
    month-to-month differences (median absolute deviation, which one step barely moves) and never taken
    below 1: a quasi-Poisson ratio. With two or more complete calendar years the series is first divided by
    its `seasonal_profile` index, because a summer peak otherwise reads as a step up and one down. The
    default penalty 3 * log(n) is the "modified BIC" of changepoint packages: in simulated 7-year series
    (flat Poisson, overdispersed and seasonal, means 3 to 3,000 a month) it flagged a step in at most 2-3%
    of flat series, where 2 * log(n) flagged up to 11%, and it still found a 20% step in 200 a month
    within a month of where it was planted in 94% of series.

    A steady trend is not a step, but this method can only describe it as a staircase of steps (a 20%
    decline over seven years at 200 a month always gives some): read steps next to the rolling twelve
    months before calling them recording changes.

    Args:
        series: Monthly counts indexed by first-of-month Timestamps. Missing months are skipped.
        min_size: The fewest months either side of a step; shorter runs are spikes, not levels.
        penalty: The threshold for the dispersion-scaled likelihood ratio; default 3 * log(months).
        seasonal: Divide by the seasonal index first (when two complete years allow it).

    Returns:
        The steps in date order, each with its first month at the new level and the mean monthly level
        before and after (plain means of the counts, not seasonally adjusted). Empty when the series is
        flat or too short (under 2 * min_size months).
    """
    full = _monthly(series)
    x_all = full.to_numpy(dtype="float64")
    if seasonal:
        profile = seasonal_profile(full)
        # One year's shape is mostly noise; two or more complete years make a usable profile.
        if profile["years"].iloc[0] >= 2 and (profile["seasonal_index"] > 0).all():
            x_all = x_all / profile["seasonal_index"].reindex(full.index.month).to_numpy()
    keep = ~np.isnan(x_all)
    full, x = full[keep], x_all[keep]
    raw = full.to_numpy(dtype="float64")
    if (x < 0).any():
        raise ValueError("counts cannot be negative")
    n = len(x)
    if n < 2 * min_size or x.sum() <= 0:
        return []
    threshold = 3 * np.log(n) if penalty is None else penalty
    dispersion = _dispersion(x)
    cuts: list[tuple[int, float]] = []
    pending = [(0, n)]
    while pending:
        start, stop = pending.pop()
        best = _best_split(x[start:stop], min_size)
        if best is None or best[1] / dispersion <= threshold:
            continue
        cut = start + best[0]
        cuts.append((cut, best[1] / dispersion))
        pending += [(start, cut), (cut, stop)]
    cuts.sort()
    bounds = [0, *(c for c, _ in cuts), n]
    # Levels are reported as plain monthly means, which a reader can check against the counts.
    levels = [raw[a:b].mean() for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    return [
        Step(
            month=full.index[cut],
            level_before=float(levels[i]),
            level_after=float(levels[i + 1]),
            statistic=float(stat),
        )
        for i, (cut, stat) in enumerate(cuts)
    ]


def _xlogx_over(s: np.ndarray, m: np.ndarray | int) -> np.ndarray:
    """s * log(s / m), the data part of a segment's maximised Poisson log-likelihood; 0 when s is 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(s > 0, s * np.log(s / m), 0.0)


def _best_split(x: np.ndarray, min_size: int) -> tuple[int, float] | None:
    """Where splitting x in two most raises the Poisson log-likelihood, and 2 x that gain.

    With each side at its own mean the log-likelihood is S log(S / m) - S + constants, and the -S terms
    cancel between one segment and two, so every split is scored at once from cumulative sums.
    """
    n = len(x)
    if n < 2 * min_size:
        return None
    k = np.arange(min_size, n - min_size + 1)
    csum = np.cumsum(x)
    left, total = csum[k - 1], csum[-1]
    right = total - left
    gain = 2 * (_xlogx_over(left, k) + _xlogx_over(right, n - k) - _xlogx_over(np.array(total), n))
    i = int(np.argmax(gain))
    return int(k[i]), float(gain[i])


def _dispersion(x: np.ndarray) -> float:
    """Variance over mean, from month-to-month differences: Var(x_t - x_t-1) = 2 * variance if steady."""
    if len(x) < 3:
        return 1.0
    diffs = np.diff(x)
    # 1.4826 * MAD estimates the standard deviation of normal data; a step is one outlying difference.
    spread = 1.4826 * np.median(np.abs(diffs - np.median(diffs)))
    return max(1.0, spread**2 / 2 / x.mean())


def share_shift(
    counts: pd.DataFrame,
    at: pd.Timestamp | str | None = None,
    window: int = 12,
    alpha: float = 0.01,
    min_points: float = 5.0,
) -> pd.DataFrame:
    """Categories whose share of the total moved further than chance between two periods.

    A share that jumps (e.g. ED attendances with the weapon 'not specified' going from 12% to about 32% in
    2021) while the total holds is the mark of a recording change, not a change in violence. Each category's
    share is compared between consecutive calendar years, or between the ``window`` months before and from
    ``at`` (e.g. a detected step), with the two-proportion score test of statsmodels
    (``test_proportions_2indep``, vectorised over categories and periods). With thousands of attendances a
    shift of a fraction of a point is "significant", so a flag also needs ``min_points`` percentage points.
    Shares sum to 100%, so when one category jumps the others fall and may be flagged too: the category
    with the largest rise is usually the one whose recording changed.

    Args:
        counts: Counts with a first-of-month Timestamp index and one column per category; each row's total
            is the whole (every category, including 'not specified').
        at: Compare before and from this month instead of consecutive years.
        window: Months either side of ``at``.
        alpha: The p-value below which a shift is beyond chance. 0.01 rather than 0.05 because many
            categories and years are tested at once.
        min_points: The smallest change, in percentage points, worth flagging.

    Returns:
        One row per category and pair of periods, with ``category``, ``before`` and ``after`` (period labels:
        years, or "from"/"to" months), ``count_before``, ``total_before``, ``count_after``, ``total_after``,
        ``share_before`` and ``share_after`` (percent), ``change_points``, ``p_value`` and ``flag``. Years
        are compared as they are, so a partial latest year is compared on the months it has.
    """
    if not isinstance(counts.index, pd.DatetimeIndex):
        raise ValueError("counts must be indexed by first-of-month Timestamps")
    counts = counts.astype("float64").sort_index()
    if at is None:
        periods = counts.groupby(counts.index.year).sum(min_count=1)
        periods = periods[periods.sum(axis=1) > 0]
        labels = periods.index.astype(str)
        before, after = periods.iloc[:-1], periods.iloc[1:]
        label_before, label_after = list(labels[:-1]), list(labels[1:])
    else:
        at = pd.Timestamp(at)
        prior = counts[(counts.index < at) & (counts.index >= at - pd.DateOffset(months=window))]
        later = counts[(counts.index >= at) & (counts.index < at + pd.DateOffset(months=window))]
        before, after = prior.sum().to_frame().T, later.sum().to_frame().T
        label_before = [f"{window} months to {(at - pd.DateOffset(months=1)):%Y-%m}"]
        label_after = [f"{window} months from {at:%Y-%m}"]
    columns = [
        "category",
        "before",
        "after",
        "count_before",
        "total_before",
        "count_after",
        "total_after",
        "share_before",
        "share_after",
        "change_points",
        "p_value",
        "flag",
    ]
    if before.empty:
        return pd.DataFrame(columns=columns)
    categories = list(counts.columns)
    # Long form: one row per (pair of periods, category), built from the arrays without a loop.
    pairs, cats = len(before), len(categories)
    c1 = before.to_numpy().ravel()
    c2 = after.to_numpy().ravel()
    n1 = np.repeat(before.sum(axis=1).to_numpy(), cats)
    n2 = np.repeat(after.sum(axis=1).to_numpy(), cats)
    frame = pd.DataFrame(
        {
            "category": np.tile(categories, pairs),
            "before": np.repeat(label_before, cats),
            "after": np.repeat(label_after, cats),
            "count_before": c1,
            "total_before": n1,
            "count_after": c2,
            "total_after": n2,
        }
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["share_before"] = np.where(n1 > 0, 100 * c1 / n1, np.nan)
        frame["share_after"] = np.where(n2 > 0, 100 * c2 / n2, np.nan)
    frame["change_points"] = frame["share_after"] - frame["share_before"]
    frame["p_value"] = _two_proportion_p(c2, n2, c1, n1)
    frame["flag"] = (frame["p_value"] < alpha) & (frame["change_points"].abs() >= min_points)
    return frame[columns]


def _two_proportion_p(c1: np.ndarray, n1: np.ndarray, c2: np.ndarray, n2: np.ndarray) -> np.ndarray:
    """Score-test p-values for equal proportions, NaN where a total is 0 or both shares are 0 or 1."""
    out = np.full(c1.shape, np.nan)
    pooled = np.divide(c1 + c2, n1 + n2, out=np.full(c1.shape, np.nan), where=(n1 + n2) > 0)
    # With the pooled share at 0 or 1 the test has no variance: nothing to test.
    ok = (n1 > 0) & (n2 > 0) & (pooled > 0) & (pooled < 1)
    if ok.any():
        with np.errstate(divide="ignore", invalid="ignore"):
            result = test_proportions_2indep(c1[ok], n1[ok], c2[ok], n2[ok], method="score", compare="diff")
        out[ok] = np.asarray(result.pvalue, dtype="float64")
    return out
