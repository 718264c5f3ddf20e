"""Interrupted time series of the treated area alone, as a second check: segmented regression of the
monthly count on time, a level change and a slope change at the start, with seasonality as two Fourier
harmonics of the calendar month (four terms, not eleven month dummies, so a pre-period of twelve months
still leaves degrees of freedom), and Newey-West (HAC) standard errors floored at the conventional ones
(`regression.py`; the design as Bernal, Cummins and Gasparrini 2017 set it out).

The effect reported is the one the other designs report: the average, over the post-period months, of the
observed minus the pre-period's trend and seasonality carried on, i.e. level change + slope change x the mean
months since the start; its CI and p-value are those of that linear combination. No comparison area
guards it against anything else that changed at the start, which is why it is a check, not the answer.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vrhub.evaluation.estimate import INTERRUPTED, Estimate
from vrhub.evaluation.regression import contrast


def design(months: pd.PeriodIndex, start: pd.Period) -> pd.DataFrame:
    t = np.array([(m - months[0]).n for m in months], dtype=float)
    since = np.array([(m - start).n for m in months], dtype=float)
    post = (since >= 0).astype(float)
    angle = 2 * np.pi * (months.month.to_numpy() - 1) / 12
    return pd.DataFrame(
        {
            "const": 1.0,
            "time": t,
            "level": post,
            "slope": post * since,
            "sin1": np.sin(angle),
            "cos1": np.cos(angle),
            "sin2": np.sin(2 * angle),
            "cos2": np.cos(2 * angle),
        }
    )


def interrupted_time_series(
    treated: np.ndarray, months: pd.PeriodIndex, start: pd.Period, alpha: float = 0.05
) -> Estimate:
    """`treated`: the treated area's monthly counts over `months` (which may skip a month left out as
    partial); `start`: the first post-period month."""
    x = design(months, start)
    post = x["level"].to_numpy() == 1
    weights = np.zeros(len(x.columns))
    weights[list(x.columns).index("level")] = 1.0
    weights[list(x.columns).index("slope")] = x.loc[post, "slope"].mean()
    c = contrast(np.asarray(treated, dtype=float), x, weights, alpha)
    return Estimate(
        method=INTERRUPTED,
        per_month=c.effect,
        low=c.low,
        high=c.high,
        months=int(post.sum()),
        observed=float(np.asarray(treated)[post].sum()),
        p_value=c.p_value,
        ci_level=1 - alpha,
        ci_method=f"segmented regression (level and slope change, two seasonal harmonics); {c.how}",
    )
