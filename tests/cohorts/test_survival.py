"""Kaplan-Meier, its CI and the risk difference, on a fixture small enough to work by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from vrhub.cohorts.survival import Z, clustered_se, hazard_ratio, kaplan_meier, risk_difference

# Six people (days): A has the outcome at 2; B is censored at 3; C and D have it at 4; E is censored at 6;
# F has it at 8.
TIME = np.array([2, 3, 4, 4, 6, 8])
EVENT = np.array([1, 0, 1, 1, 0, 1])


def test_the_product_limit_estimate_by_hand() -> None:
    """S(t) multiplies (1 - d/n) over the event times up to t, n the people still at risk then:
    t=2: 6 at risk, 1 event, S = 5/6. B leaves at 3 (censored).
    t=4: 4 at risk (C, D, E, F), 2 events, S = 5/6 x 2/4 = 5/12. E leaves at 6.
    t=8: 1 at risk, 1 event, S = 0.
    The proportion with the outcome is 1 - S: 0 before 2, 1/6 from 2, 7/12 from 4, 1 from 8, and still 1
    after 8, where no one is followed but no one is left without the outcome either.
    Greenwood: var S(t) = S(t)^2 x sum d / (n (n - d)): at 2, (5/6)^2 / 30; at 4, (5/12)^2 (1/30 + 2/8).
    Followed to 5 days: the three with the outcome by then (A, C, D) and the two still followed (E, F)."""
    km = kaplan_meier(TIME, EVENT, [1, 2, 3.5, 5, 7, 9])
    assert km["proportion"].tolist() == pytest.approx([0, 1 / 6, 1 / 6, 7 / 12, 7 / 12, 1])
    se_2 = math.sqrt((5 / 6) ** 2 / 30)
    se_4 = math.sqrt((5 / 12) ** 2 * (1 / 30 + 2 / 8))
    assert km["se"].tolist()[:5] == pytest.approx([0, se_2, se_2, se_4, se_4])
    assert km["followed"].tolist() == [6, 6, 5, 5, 4, 4]


def test_the_interval_is_log_log_on_survival() -> None:
    """At 4 days, S = 5/12 with Greenwood se s: theta = log(-log S), half-width w = 1.96 s / (S |log S|),
    S between exp(-exp(theta + w)) and exp(-exp(theta - w)); the proportion's interval is 1 minus those,
    about 0.23 to 0.94 (inside 0 and 1, as the plain S +- 1.96 s, 0.42 +- 0.43, would not be)."""
    km = kaplan_meier(TIME, EVENT, [5]).iloc[0]
    s, se = 5 / 12, math.sqrt((5 / 12) ** 2 * (1 / 30 + 2 / 8))
    theta, w = math.log(-math.log(s)), Z * se / (s * abs(math.log(s)))
    assert km["ci_low"] == pytest.approx(1 - math.exp(-math.exp(theta - w)))
    assert km["ci_high"] == pytest.approx(1 - math.exp(-math.exp(theta + w)))
    assert 0.23 < km["ci_low"] < 0.24 and 0.94 < km["ci_high"] < 0.95


def test_beyond_everyone_s_follow_up_the_proportion_is_unknown() -> None:
    """Two people, one with the outcome at 10 days, one censored at 20: at 30 days S is 1/2 as far as the
    data reach, but no one was followed to 30 days, so the proportion then is not known (not carried flat).
    With no outcome at all, the proportion is 0 with no interval."""
    km = kaplan_meier(np.array([10, 20]), np.array([1, 0]), [15, 30])
    assert km["proportion"].iloc[0] == pytest.approx(0.5) and math.isnan(km["proportion"].iloc[1])
    none = kaplan_meier(np.array([10, 20]), np.array([0, 0]), [15]).iloc[0]
    assert none["proportion"] == 0 and math.isnan(none["ci_low"]) and math.isnan(none["ci_high"])


def test_the_risk_difference_adds_the_variances() -> None:
    rd = risk_difference(0.30, 0.03, 0.20, 0.04)
    assert rd.estimate == pytest.approx(0.10)
    assert (rd.low, rd.high) == pytest.approx((0.10 - Z * 0.05, 0.10 + Z * 0.05))


def test_the_clustered_standard_error_is_statsmodels_own() -> None:
    """The robust variance clustered on pairs, computed over sorted times, agrees with statsmodels' (which
    loops over event times) on 600 matched pairs with shared frailty and censoring."""
    from statsmodels.duration.hazard_regression import PHReg

    rng = np.random.default_rng(1)
    pairs = 600
    treated = np.repeat([1.0, 0.0], pairs)
    pair = np.tile(np.arange(pairs), 2)
    rate = 0.002 * np.exp(-0.6 * treated) * rng.gamma(2, 0.5, pairs)[pair]
    time = np.ceil(rng.exponential(1 / rate))
    censor = rng.integers(100, 800, 2 * pairs)
    event = (time <= censor).astype(float)
    time = np.minimum(time, censor)
    theirs = PHReg(time, treated[:, None], status=event, ties="efron").fit(groups=pair)
    naive = PHReg(time, treated[:, None], status=event, ties="efron").fit()
    mine = clustered_se(time, event, treated, pair, float(naive.params[0]), float(naive.cov_params()[0, 0]))
    assert mine == pytest.approx(float(theirs.bse[0]), rel=1e-9)
    hr = hazard_ratio(time, event, treated, pair)
    assert hr.estimate == pytest.approx(math.exp(theirs.params[0]))
    assert hr.low == pytest.approx(math.exp(theirs.params[0] - Z * theirs.bse[0]))
