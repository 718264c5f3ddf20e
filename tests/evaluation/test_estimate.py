"""An estimate's percentages and p-values as they are shown, on hand-worked numbers."""

from __future__ import annotations

import pytest

from vrhub.evaluation.estimate import SYNTHETIC_CONTROL, Estimate, p_text


def test_a_fall_in_percent_never_exceeds_100() -> None:
    # Observed 50 over 10 months. The point, -5 a month (-50), says 100 would have been counted: -50%.
    # The low end, -15 a month (-150), is 150% of those 100: no fall is more than all there would have been.
    # The high end, +6 a month (+60), is +60%.
    est = Estimate(SYNTHETIC_CONTROL, -5.0, -15.0, 6.0, 10, 50.0, 0.2, 0.95, "test")
    row = est.row()
    assert (row["effect_pct"], row["pct_low"], row["pct_high"]) == (-50.0, -100.0, 60.0)
    assert (row["effect_low"], row["effect_high"], row["counterfactual"]) == (-150.0, 60.0, 100.0)
    assert est.bounded
    # A low end of -9 a month (-90) is -90%: nothing to bound.
    fine = Estimate(SYNTHETIC_CONTROL, -5.0, -9.0, 6.0, 10, 50.0, 0.2, 0.95, "test")
    assert fine.row()["pct_low"] == pytest.approx(-90.0) and not fine.bounded
    # No counterfactual left (the effect is all there was and more): no percentage, nothing bounded.
    none = Estimate(SYNTHETIC_CONTROL, 6.0, -1.0, 9.0, 10, 50.0, 0.2, 0.95, "test")
    assert none.row()["pct_low"] is None and not none.bounded


def test_a_small_p_value_reads_as_below_0_001_not_0() -> None:
    assert p_text(8.8e-08) == "<0.001"
    assert p_text(0.00049) == "<0.001"
    assert p_text(0.0005) == "0.001"  # rounds up to a p-value that is not zero
    assert p_text(0.166) == "0.166"
    assert p_text(1.0) == "1.000"
    assert p_text(None) == "" and p_text(float("nan")) == ""
