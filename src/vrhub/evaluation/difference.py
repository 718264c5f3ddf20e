"""Difference-in-differences: the treated area against its donors, as a check on the synthetic control.

Both sides are indexed to their own pre-period monthly mean (the treated LSOAs added up; the donors pooled,
so a busy donor counts for more than a quiet one, as its count is the more precise), so the parallel-trends
assumption is about proportional change, as for counts it should be: a -30% effect and a seasonal swing
scale with the area's size. With two units, two-way fixed effects (unit and month) reduce to one regression:
the monthly difference of the two indexes on a post-period indicator; its coefficient is the TWFE estimate
(tests check they agree). The standard errors are over months, Newey-West (HAC) floored at the
conventional ones (`regression.py`): with a handful of treated LSOAs, cluster-robust errors by LSOA are
known to be far too small (Conley and Taber 2011), while the monthly difference series gives as many
observations as months.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vrhub.evaluation.estimate import DIFF_IN_DIFF, Estimate
from vrhub.evaluation.regression import contrast


def diff_in_diff(treated: np.ndarray, control: np.ndarray, pre: np.ndarray, alpha: float = 0.05) -> Estimate:
    """`treated`, `control`: monthly counts (the treated area summed, the donors pooled); `pre`: which
    months are before the start. The effect is in counts of the treated area per post-period month."""
    pre = np.asarray(pre, dtype=bool)
    base = float(treated[pre].mean())
    diff = treated / base - control / control[pre].mean()
    x = pd.DataFrame({"const": 1.0, "post": (~pre).astype(float)})
    c = contrast(diff, x, np.array([0.0, 1.0]), alpha)
    return Estimate(
        method=DIFF_IN_DIFF,
        per_month=c.effect * base,
        low=c.low * base,
        high=c.high * base,
        months=int((~pre).sum()),
        observed=float(treated[~pre].sum()),
        p_value=c.p_value,
        ci_level=1 - alpha,
        ci_method=f"the monthly difference of the indexed series on a post-period indicator; {c.how}",
    )
