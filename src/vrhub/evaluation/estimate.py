"""One design's answer to "what did the intervention change?": an average monthly effect on the treated
area's count, its confidence interval and p-value, and the same as a total and a percentage.

Every design here estimates the same thing, the average over the post-period months of observed minus
counterfactual counts in the treated area, so the three rows of a result compare like with like.

An effect of E over the post-period says the treated area would have counted its observed total O minus E
without the intervention, so E in percent is 100 E / (O - E), and each end of the CI is read the same way,
over the counterfactual that end implies. That is a monotone map of the count CI, which it covers exactly,
and it cannot fall below -100%: a fall cannot exceed what there would have been. Dividing both ends by the
point estimate's counterfactual instead gave -118% to +6% for one LSOA of the demo (a lower end of -361
against a counterfactual of 306). An end with no counterfactual left (E >= O: the area would have had
nothing or less) has no percentage (None).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

SYNTHETIC_CONTROL = "synthetic control"
DIFF_IN_DIFF = "difference-in-differences"
INTERRUPTED = "interrupted time series"


@dataclass(frozen=True)
class Estimate:
    method: str
    per_month: float  # average monthly effect on the treated area's count (negative: fewer)
    low: float  # CI of per_month
    high: float
    months: int  # post-period months the average is over
    observed: float  # the treated area's post-period total
    p_value: float
    ci_level: float  # the confidence the interval achieves (may be below the one asked for; see `ci_method`)
    ci_method: str

    @property
    def total(self) -> float:
        return self.per_month * self.months

    @property
    def counterfactual(self) -> float:
        """The post-period total the treated area would have had by this design."""
        return self.observed - self.total

    def percent(self, per_month: float) -> float | None:
        """An average monthly effect as a percentage of the counterfactual it implies (see above)."""
        effect = per_month * self.months
        base = self.observed - effect
        return None if base <= 0 else 100 * effect / base

    def row(self) -> dict[str, Any]:
        """The flat row every output format shows (one per design)."""
        return {
            "method": self.method,
            "effect": self.total,
            "effect_low": self.low * self.months,
            "effect_high": self.high * self.months,
            "effect_pct": self.percent(self.per_month),
            "pct_low": self.percent(self.low),
            "pct_high": self.percent(self.high),
            "per_month": self.per_month,
            "observed": self.observed,
            "counterfactual": self.counterfactual,
            "p_value": self.p_value,
            "ci_level": self.ci_level,
            "ci_method": self.ci_method,
        }

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
