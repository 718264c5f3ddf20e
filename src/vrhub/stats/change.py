"""How far a count moved between two periods, and whether chance alone could have moved it that far.

Percent change alone misleads for small counts (field references §3.3, §5.5): 13 -> 19 homicides is +46%
yet well within what chance gives. Each comparison therefore carries:

- the absolute and percent change in the count;
- the rate ratio (per head when populations are given) with an exact 95% confidence interval;
- a two-sided p-value from the exact conditional test for two Poisson counts;
- Wheeler's Poisson z, 2 * (sqrt(current) - sqrt(previous)), which analysts read against |z| >= 3
  when many series are watched at once;
- a small-count flag for counts too small to read as a trend.

Method: given the total n = current + previous, the current count is binomial with p = exposure_c /
(exposure_c + exposure_p) when the two rates are equal. An exposure is whatever the counts accrue over: a
population, the months of data a period holds, or their product (the measures engine compares two periods over
the calendar months both hold, so its exposures are equal). The p-value is that binomial test (statsmodels
``test_poisson_2indep(method="exact-cond")``, which calls ``scipy.stats.binomtest``, two-sided by the
"minlike" rule). For the strategy's homicides 13 -> 19 it gives p = 0.377, reported as 0.38; the E-test gives
0.30 and the mid-p 0.34. The confidence interval inverts the same conditional binomial (Clopper-Pearson) and
maps it back to a rate ratio, so it stays finite and sensible when the current count is 0, where the log
method fails. The Clopper-Pearson interval is central while the p-value is minlike, so when p is within a
whisker of 0.05 the two can disagree about whether 1 is excluded (mostly an interval that just includes 1 with
p just under 0.05); elsewhere they agree. The E-test was rejected also because it builds grids the size of the
counts: it ran out of memory on the force area's ~40,000 offences.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

# scipy and statsmodels (3-4 s to import cold) load where a change is computed: the periods arithmetic beside
# the engine, which Django's start-up and `vrhub delivery` need, must not pay for them.

COLUMNS = [
    "absolute_change",
    "pct_change",
    "rate_ratio",
    "ci_low",
    "ci_high",
    "p_value",
    "wheeler_z",
    "small_count",
]
# Below this, either count is too small to read as a trend (a handful of events swings by chance).
SMALL_COUNT = 10
CONFIDENCE = 0.95


def change_statistics(
    current: Iterable[float] | pd.Series | np.ndarray,
    previous: Iterable[float] | pd.Series | np.ndarray,
    population_current: Any = None,
    population_previous: Any = None,
) -> pd.DataFrame:
    """Change statistics for aligned pairs of counts, one row per pair.

    Args:
        current: Counts in the later period; NaN where missing.
        previous: Counts in the earlier period, aligned with ``current``; NaN where missing.
        population_current: Exposure for the later period (a population, months of data, or their product):
            an array aligned with the counts or one number for all. Give both or neither.
        population_previous: Population for the earlier period, as ``population_current``.

    Returns:
        A DataFrame (index taken from ``current`` when it is a Series) with columns:

        - ``absolute_change``: current - previous, in counts.
        - ``pct_change``: percent change in the count, unrounded; NaN when previous is 0. It is not adjusted
          for population, like the engine's ``change_vs_previous_pct``; ``rate_ratio`` carries that.
        - ``rate_ratio``: (current / population_current) / (previous / population_previous), or
          current / previous without populations; NaN when previous is 0 (not inf).
        - ``ci_low``, ``ci_high``: exact conditional 95% interval for the rate ratio; NaN when previous is 0.
        - ``p_value``: two-sided exact conditional test of equal rates; 1.0 when both counts are 0.
        - ``wheeler_z``: 2 * (sqrt(current) - sqrt(previous)), not adjusted for population.
        - ``small_count``: True when either count is under 10; False where a count is missing.

        The interval, p-value and z need whole, non-negative counts: they are NaN for anything else (a
        rate or a percentage has no count behind it), as is every column where an input is missing.

    Raises:
        ValueError: If only one population is given, or the inputs cannot be aligned.
    """
    index = current.index if isinstance(current, pd.Series) else None
    c = np.asarray(current, dtype="float64")
    p = np.asarray(previous, dtype="float64")
    if (population_current is None) != (population_previous is None):
        raise ValueError("give both populations or neither")
    if population_current is None:
        e_c, e_p = np.ones_like(c), np.ones_like(p)
    else:
        e_c = np.asarray(population_current, dtype="float64")
        e_p = np.asarray(population_previous, dtype="float64")
    c, p, e_c, e_p = (np.atleast_1d(a) for a in np.broadcast_arrays(c, p, e_c, e_p))
    if c.ndim != 1:
        raise ValueError("counts and populations must be one-dimensional")

    # A zero or missing population gives no rate: treat it as missing rather than divide by it.
    e_c = np.where(e_c > 0, e_c, np.nan)
    e_p = np.where(e_p > 0, e_p, np.nan)
    present = np.isfinite(c) & np.isfinite(p)
    counts = present & (c >= 0) & (p >= 0) & (c == np.round(c)) & (p == np.round(p))
    exposed = counts & np.isfinite(e_c) & np.isfinite(e_p)
    with np.errstate(divide="ignore", invalid="ignore"):
        absolute = c - p
        pct = np.where(p != 0, (c / p - 1) * 100, np.nan)
        rate_ratio = np.where(p != 0, (c / e_c) / (p / e_p), np.nan)
        wheeler = np.where(counts, 2 * (np.sqrt(c) - np.sqrt(p)), np.nan)
    ci_low, ci_high = _interval(c, p, e_c, e_p, exposed & (p > 0))
    p_value = _p_values(c, p, e_c, e_p, exposed)
    small = present & ((c < SMALL_COUNT) | (p < SMALL_COUNT))
    frame = pd.DataFrame(
        {
            "absolute_change": absolute,
            "pct_change": pct,
            "rate_ratio": rate_ratio,
            "ci_low": ci_low,
            "ci_high": ci_high,
            "p_value": p_value,
            "wheeler_z": wheeler,
            "small_count": small,
        },
        columns=COLUMNS,
    )
    if index is not None and len(index) == len(frame):
        frame.index = index
    return frame


def _interval(
    c: np.ndarray, p: np.ndarray, e_c: np.ndarray, e_p: np.ndarray, ok: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Clopper-Pearson interval for current's share of the total, mapped to a rate ratio.

    The share s = c / (c + p) maps to the count ratio s / (1 - s); times e_p / e_c gives the rate ratio.
    ``proportion_confint`` works on whole arrays, so no loop.
    """
    low = np.full(c.shape, np.nan)
    high = np.full(c.shape, np.nan)
    if not ok.any():
        return low, high
    from statsmodels.stats.proportion import proportion_confint

    s_low, s_high = proportion_confint(c[ok], (c + p)[ok], alpha=1 - CONFIDENCE, method="beta")
    scale = e_p[ok] / e_c[ok]
    # s_high is below 1 whenever previous > 0, which `ok` guarantees, so the upper bound is finite.
    low[ok] = s_low / (1 - s_low) * scale
    high[ok] = s_high / (1 - s_high) * scale
    return low, high


def _p_values(c: np.ndarray, p: np.ndarray, e_c: np.ndarray, e_p: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """Two-sided exact conditional p-values for whole arrays: statsmodels' ``test_poisson_2indep(...,
    method="exact-cond")`` row by row, which is ``scipy.stats.binomtest`` on the current count out of the
    total, with the share the populations give under equal rates."""
    out = np.full(c.shape, np.nan)
    # With nothing counted in either period there is nothing to test and no evidence of change.
    both_zero = ok & (c == 0) & (p == 0)
    out[both_zero] = 1.0
    todo = ok & ~both_zero
    if todo.any():
        r_d = 1 / (e_p[todo] / e_c[todo])  # as statsmodels forms it, so the share is the same float
        out[todo] = binomial_two_sided(c[todo], c[todo] + p[todo], r_d / (1 + r_d))
    return out


def binomial_two_sided(k: np.ndarray, n: np.ndarray, prob: np.ndarray) -> np.ndarray:
    """``scipy.stats.binomtest(k, n, prob).pvalue`` (two-sided, by the "minlike" rule) for whole arrays.

    scipy tests one count at a time, and a measures table has a thousand or more distinct pairs (0.4 s in a
    loop). This follows scipy's algorithm step for step, vectorised: the probability of every outcome no
    more likely than the one observed, found by a binary search on the far side of the mode.
    """
    from scipy.stats import binom

    k, n, prob = (np.asarray(a, dtype="float64") for a in np.broadcast_arrays(k, n, prob))
    d = binom.pmf(k, n, prob)
    rerr = 1 + 1e-7
    expected = prob * n
    out = np.ones(k.shape)
    low = k < expected
    if low.any():
        kk, nn, pp, dd = k[low], n[low], prob[low], d[low]
        ix = _search(lambda x, i: -binom.pmf(x, nn[i], pp[i]), -dd * rerr, np.ceil(pp * nn), nn)
        y = nn - ix + (dd * rerr == binom.pmf(ix, nn, pp))
        out[low] = binom.cdf(kk, nn, pp) + binom.sf(nn - y, nn, pp)
    high = k > expected
    if high.any():
        kk, nn, pp, dd = k[high], n[high], prob[high], d[high]
        ix = _search(lambda x, i: binom.pmf(x, nn[i], pp[i]), dd * rerr, np.zeros_like(kk), np.floor(pp * nn))
        out[high] = binom.cdf(ix, nn, pp) + binom.sf(kk - 1, nn, pp)
    return np.minimum(out, 1.0)


def _search(a: Any, target: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """scipy's ``_binary_search_for_binom_tst`` on arrays: for each element, the index i in [lo, hi] with
    a(i) <= target < a(i + 1), `a` ascending there. `a(x, i)` evaluates element i's function at x."""
    lo, hi = lo.copy(), hi.copy()
    found = np.full(lo.shape, np.nan)
    while True:
        i = np.flatnonzero(np.isnan(found) & (lo < hi))
        if not i.size:
            break
        mid = lo[i] + (hi[i] - lo[i]) // 2
        value = a(mid, i)
        below, above, equal = value < target[i], value > target[i], value == target[i]
        lo[i[below]] = mid[below] + 1
        hi[i[above]] = mid[above] - 1
        found[i[equal]] = mid[equal]
    i = np.flatnonzero(np.isnan(found))
    if i.size:
        found[i] = np.where(a(lo[i], i) <= target[i], lo[i], lo[i] - 1)
    return found
