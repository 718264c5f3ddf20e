"""An estimate's percentages on hand-worked numbers: each end of the CI over the counterfactual it implies."""

from __future__ import annotations

import pytest

from vrhub.evaluation.estimate import SYNTHETIC_CONTROL, Estimate


def test_a_fall_in_percent_never_exceeds_100_and_an_end_with_no_counterfactual_has_none() -> None:
    # Observed 50 over 10 months. The point, -5 a month (-50), says 100 would have been counted: -50%.
    # The low end, -15 a month (-150), says 200 would have: -75% (over the point's 100 it read -150%).
    # The high end, +6 a month (+60), says -10 would have: no percentage.
    est = Estimate(SYNTHETIC_CONTROL, -5.0, -15.0, 6.0, 10, 50.0, 0.2, 0.95, "test")
    row = est.row()
    assert row["effect_pct"] == pytest.approx(-50.0)
    assert row["pct_low"] == pytest.approx(-75.0)
    assert row["pct_high"] is None
    assert (row["effect_low"], row["effect_high"], row["counterfactual"]) == (-150.0, 60.0, 100.0)
    # A rise: +2 a month (+20) over a counterfactual of 30 is +66.7%.
    assert est.percent(2.0) == pytest.approx(200 / 3)
    # Nothing observed: any fall is all there would have been.
    assert Estimate(SYNTHETIC_CONTROL, -3.0, -4.0, -1.0, 12, 0.0, 0.1, 0.95, "test").percent(-4.0) == -100.0
