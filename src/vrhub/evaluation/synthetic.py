"""Synthetic control (Abadie, Diamond and Hainmueller 2010) on monthly counts, with in-space placebos.

Series are indexed: each area's monthly count divided by its own pre-period monthly mean (1 = its usual
month). A convex combination of single LSOAs cannot reach the level of several treated LSOAs added up, nor
of a hot spot chosen for being the busiest, so the weights match the treated area's shape over time
(seasonality, trend, shocks) and the level is carried by the treated area's own pre-period mean.

The weights minimise the pre-period squared gap over the simplex (non-negative, summing to one), fitted on
the pre-period months themselves (no covariates, V the identity), from the donors nearest the target: the
n whose indexed pre-period series are closest to its (RMSE), n = half the pre-period months (at least 5).
With every donor of a borough (hundreds) and a few dozen months the weights fit the noise: on simulated
panels of 277 donors and 30 pre-period months the pre-period RMSPE fell to 0.4 of the Poisson noise, and
the placebo test found a planted -30% in 30% of runs; from the 15 nearest, in 70 to 75%, with intervals as
wide and as often right. The simplex least squares is solved as non-negative least squares with the sum-to-one
row appended at a large weight (Lawson-Hanson, scipy's `nnls`): exact to about 1e-9 and milliseconds for
hundreds of donors, where a general-purpose SLSQP took a minute for 300.

Inference is by placebos in space (Abadie et al. 2010), as a permutation test: placebo areas of as many
donor LSOAs as were treated, added up and indexed as the treated area is, each fitted as it was (from the
nearest of every other LSOA: the rest of the donors and the treated LSOAs, so every fit chooses among as
many). Every such set of donors when there are at most 500, else 500 drawn with a fixed seed. Single-LSOA
placebos against a treated area of several LSOAs, or placebos with fewer donors to choose from than the
treated area had, made the test reject a true null about twice as often as it should on simulated panels.

The CI and the p-value come from one permutation test, on the mean post-period gap (index) for a constant
effect. The CI holds the effects delta for which the treated area's mean gap minus delta is not among the k
most extreme of the placebos' on either side, k = floor(alpha/2 (J+1)) and at least 1, with J placebos. Its
exact level, 1 - 2k/(J+1), is reported with it: below 95% with fewer than 39 placebo areas (a single treated
LSOA with few donors). The p-value is that test's at delta = 0, two-sided: 2 min(r_low, r_high)/(J+1), at
most 1, r_low (r_high) being 1 + the placebos whose mean gap is at most (at least) the treated area's. So
the interval excludes 0 exactly when p <= 1 - level, and the smallest p-value is 2/(J+1) (0.004 with 500
placebos). Placebo areas of a treated area's size make their gaps as noisy as its own; a treated area busier
than most (a hot spot) has the less noisy index, and its interval is then wider than it need be, not
narrower.

Abadie et al.'s own test ranks the ratio of post- to pre-period RMSPE instead; it is kept as a second
opinion (`ratio_p_value`), not as the p-value, because it tests something else: any departure after the
start, large for the area's pre-period fit, in either direction and month by month. Shown beside an
interval from the mean-gap test, its p-value contradicted it (on the demo's planted patrols: a 95% interval
of -57% to -15% with a ratio p-value of 0.17).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import nnls

# The sum-to-one row's weight, relative to the data's scale: large enough that the sum is exact to ~1e-9
# after the final renormalisation, small enough to keep nnls well conditioned.
_SIMPLEX_PENALTY = 1e4
MAX_PLACEBOS = 500  # enough for a 95% interval from the 12 most extreme on each side; ~1 s for 300 donors
SEED = 2019  # the placebo draw: the same data give the same answer every run


def simplex_weights(donors: np.ndarray, target: np.ndarray) -> np.ndarray:
    """w >= 0, sum(w) = 1, minimising ||target - donors @ w||^2. `donors`: months x donors."""
    donors = np.asarray(donors, dtype=float)
    target = np.asarray(target, dtype=float)
    n = donors.shape[1]
    if n == 0:
        raise ValueError("no donors")
    lam = _SIMPLEX_PENALTY * max(1.0, float(np.abs(donors).max()), float(np.abs(target).max()))
    a = np.vstack([donors, np.full((1, n), lam)])
    b = np.append(target, lam)
    w, _ = nnls(a, b, maxiter=max(50 * n, 1000))
    total = w.sum()
    return w / total if total > 0 else np.full(n, 1 / n)


def rmspe(gap: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(gap)))) if len(gap) else math.nan


@dataclass(frozen=True)
class Fit:
    """One synthetic control on indexed series: weights per donor, synthetic and gap per month, and which
    months are the pre-period."""

    weights: np.ndarray
    synthetic: np.ndarray
    gap: np.ndarray
    pre: np.ndarray

    @property
    def pre_rmspe(self) -> float:
        return rmspe(self.gap[self.pre])

    @property
    def post_rmspe(self) -> float:
        return rmspe(self.gap[~self.pre])

    @property
    def mean_post_gap(self) -> float:
        return float(self.gap[~self.pre].mean())

    @property
    def ratio(self) -> float:
        # An exact pre-period fit (possible only on constructed data) must not divide by zero.
        return self.post_rmspe / max(self.pre_rmspe, 1e-12)


def nearest_donors(target: np.ndarray, donors: np.ndarray, pre: np.ndarray, n: int) -> np.ndarray:
    """Positions of the `n` donors whose pre-period series are closest to `target`'s (RMSE), in order."""
    distance = np.sqrt(np.mean(np.square(donors[pre] - target[pre, None]), axis=0))
    return np.argsort(distance, kind="stable")[:n]


def fit(target: np.ndarray, donors: np.ndarray, pre: np.ndarray, nearest: int | None = None) -> Fit:
    """The synthetic control of `target` (months) from `donors` (months x donors), weights fitted on the
    months where `pre` is True and applied to every month; with `nearest`, from only that many donors,
    those closest to the target before the start (the others get weight 0)."""
    pre = np.asarray(pre, dtype=bool)
    w = np.zeros(donors.shape[1])
    keep = (
        nearest_donors(target, donors, pre, nearest)
        if nearest is not None and nearest < donors.shape[1]
        else np.arange(donors.shape[1])
    )
    w[keep] = simplex_weights(donors[pre][:, keep], target[pre])
    synthetic = donors @ w
    return Fit(w, synthetic, target - synthetic, pre)


def index(counts: np.ndarray, pre: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each column of `counts` (months x areas) over its own pre-period monthly mean, and those means."""
    means = counts[pre].mean(axis=0)
    return counts / np.where(means > 0, means, np.nan), means


def placebo_groups(
    donors: int, size: int, limit: int = MAX_PLACEBOS, seed: int = SEED
) -> list[tuple[int, ...]]:
    """The placebo areas: every set of `size` donors (by position) when there are at most `limit`, else
    `limit` distinct sets drawn with a fixed seed (the same data give the same answer every run)."""
    if math.comb(donors, size) <= limit:
        return list(itertools.combinations(range(donors), size))
    rng = np.random.default_rng(seed)
    seen: set[tuple[int, ...]] = set()
    while len(seen) < limit:
        seen.add(tuple(sorted(int(i) for i in rng.choice(donors, size, replace=False))))
    return sorted(seen)


def placebos(
    counts: np.ndarray,
    pre: np.ndarray,
    size: int = 1,
    names: list[str] | None = None,
    also: np.ndarray | None = None,
    nearest: int | None = None,
) -> pd.DataFrame:
    """Placebo areas of `size` donors each (columns of `counts`, months x donors), each added up, indexed
    and fitted from the other donors: lsoa_codes ('+'-joined), pre_rmspe, post_rmspe, ratio and mean_gap
    (post-period, on the index) per placebo area."""
    pre = np.asarray(pre, dtype=bool)
    n = counts.shape[1]
    names = names if names is not None else [str(j) for j in range(n)]
    donor_index, _ = index(counts, pre)
    extra = index(also, pre)[0] if also is not None and also.size else np.empty((len(pre), 0))
    rows = []
    for group in placebo_groups(n, size):
        target = counts[:, list(group)].sum(axis=1)
        others = np.hstack([np.delete(donor_index, list(group), axis=1), extra])
        f = fit(target / target[pre].mean(), others, pre, nearest)
        rows.append(("+".join(names[j] for j in group), f.pre_rmspe, f.post_rmspe, f.ratio, f.mean_post_gap))
    return pd.DataFrame(rows, columns=["lsoa_codes", "pre_rmspe", "post_rmspe", "ratio", "mean_gap"])


@dataclass(frozen=True)
class PlaceboInference:
    p_value: float  # the mean-gap test's, two-sided: the one the CI inverts
    low: float  # CI of the mean post-period gap on the index
    high: float
    level: float  # the CI's exact coverage under exchangeability
    rank: int  # the treated area's rank by RMSPE ratio, 1 = the most extreme
    ratio_p_value: float  # Abadie et al.'s RMSPE-ratio test: rank / (J + 1)


def inference(treated: Fit, placebo: pd.DataFrame, alpha: float = 0.05) -> PlaceboInference:
    """The placebo CI and the p-value of the same permutation test on the mean post-period gap, and the
    RMSPE-ratio test's rank and p-value (see the module's docstring)."""
    j = len(placebo)
    if j == 0:
        raise ValueError("no placebos")
    ratios = placebo["ratio"].to_numpy()
    rank = 1 + int(np.sum(ratios >= treated.ratio))
    gaps = np.sort(placebo["mean_gap"].to_numpy())
    gap = treated.mean_post_gap
    # Ties count against the treated area, as the interval's strict bounds do: p <= 1 - level exactly when
    # the interval leaves 0 out.
    tail = 1 + min(int(np.sum(gaps <= gap)), int(np.sum(gaps >= gap)))
    k = min(max(1, math.floor(alpha / 2 * (j + 1))), j)
    return PlaceboInference(
        p_value=min(1.0, 2 * tail / (j + 1)),
        low=gap - gaps[j - k],
        high=gap - gaps[k - 1],
        level=1 - 2 * k / (j + 1),
        rank=rank,
        ratio_p_value=rank / (j + 1),
    )
