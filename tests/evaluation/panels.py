"""Synthetic LSOA x month panels with a planted effect, for the evaluation tests.

30 LSOAs, 48 months from January 2018: Poisson counts around LSOA-specific levels (6 to 20 a month), a
seasonal swing of 10 to 30% peaking in spring and a gentle trend of each LSOA's own; the first three are
treated, and from month 37 (January 2021) their expected counts are multiplied by `effect`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from vrhub.evaluation.panel import Panel, panel_from_counts

BOROUGH = "E08000011"


@dataclass
class Planted:
    panel: Panel
    treated: list[str]
    start: str
    expected: np.ndarray  # LSOAs x months: the Poisson means, effect included
    without: np.ndarray  # the same without the effect

    @property
    def planted_total(self) -> float:
        """The effect in expected counts over the post-period: what the intervention took away."""
        post = [m >= self.start for m in self.panel.months]
        n = len(self.treated)
        with_effect = self.expected[:n][:, post].sum()
        return float(with_effect - self.without[:n][:, post].sum())


def planted(
    seed: int, effect: float = 0.7, n: int = 30, months: int = 48, treated: int = 3, at: int = 36
) -> Planted:
    rng = np.random.default_rng(seed)
    codes = [f"E0100{i:04d}" for i in range(n)]
    periods = pd.period_range("2018-01", periods=months, freq="M")
    level = rng.uniform(6, 20, n)
    trend = rng.normal(0, 0.1, n)
    swing = rng.uniform(0.1, 0.3, n)
    season = np.sin(2 * np.pi * (periods.month.to_numpy() - 1) / 12)
    t = np.arange(months)
    without = level[:, None] * (1 + swing[:, None] * season) * np.exp(trend[:, None] * t / months)
    lam = without.copy()
    lam[:treated, at:] *= effect
    y = rng.poisson(lam)
    long = pd.DataFrame(
        {
            "month": np.tile(periods.strftime("%Y-%m"), n),
            "lsoa_code": np.repeat(codes, months),
            "count": y.ravel(),
        }
    )
    areas = pd.DataFrame({"lsoa_code": codes, "lsoa_name": [f"Area {c}" for c in codes], "lad_code": BOROUGH})
    panel = panel_from_counts(long, areas, meta={"subject": "Planted", "unit": "records"})
    return Planted(panel, codes[:treated], str(periods[at]), lam, without)


def wide_panel(
    counts: dict[str, list[int]], start: str = "2020-01", lad: dict[str, str] | None = None
) -> Panel:
    """A panel from given series (code: monthly counts from `start`)."""
    length = len(next(iter(counts.values())))
    months = pd.period_range(start, periods=length, freq="M").strftime("%Y-%m")
    long = pd.DataFrame(
        [(m, code, c) for code, series in counts.items() for m, c in zip(months, series, strict=True)],
        columns=["month", "lsoa_code", "count"],
    )
    codes = list(counts)
    areas = pd.DataFrame(
        {"lsoa_code": codes, "lsoa_name": codes, "lad_code": [(lad or {}).get(c, BOROUGH) for c in codes]}
    )
    return panel_from_counts(long, areas, meta={"subject": "Given", "unit": "records"})
