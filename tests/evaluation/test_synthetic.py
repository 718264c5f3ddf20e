"""The synthetic control's pieces on hand-computed cases: simplex weights, indexing, placebo inference."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import Bounds, LinearConstraint, minimize

from tests.evaluation.panels import wide_panel
from vrhub.evaluation import evaluate_panel, synthetic


def test_weights_recover_an_exact_convex_combination() -> None:
    donors = np.array(
        [
            [1.0, 4.0, 2.0, 0.0],
            [3.0, 1.0, 5.0, 2.0],
            [2.0, 2.0, 1.0, 7.0],
            [5.0, 0.0, 3.0, 1.0],
            [0.0, 3.0, 4.0, 2.0],
        ]
    )
    target = 0.25 * donors[:, 0] + 0.75 * donors[:, 2]  # [1.75, 4.5, 1.25, 3.5, 3.0]
    w = synthetic.simplex_weights(donors, target)
    np.testing.assert_allclose(w, [0.25, 0.0, 0.75, 0.0], atol=1e-8)
    assert w.sum() == pytest.approx(1.0, abs=1e-12)


def test_weights_outside_the_hull_are_the_nearest_convex_combination() -> None:
    # The target is above every donor in every month: the best convex combination is all on the highest.
    donors = np.array([[1.0, 2.0], [1.0, 3.0], [1.0, 4.0]])
    w = synthetic.simplex_weights(donors, np.array([5.0, 6.0, 7.0]))
    np.testing.assert_allclose(w, [0.0, 1.0], atol=1e-8)


def test_weights_match_a_general_constrained_solver() -> None:
    rng = np.random.default_rng(3)
    donors = rng.poisson(rng.uniform(2, 20, 40), size=(24, 40)).astype(float)
    target = donors[:, :4].mean(axis=1) + rng.normal(0, 1, 24)
    w = synthetic.simplex_weights(donors, target)
    p, q = donors.T @ donors, donors.T @ target
    slsqp = minimize(
        lambda x: 0.5 * x @ p @ x - q @ x,
        np.full(40, 1 / 40),
        jac=lambda x: p @ x - q,
        bounds=Bounds(0, 1),
        constraints=LinearConstraint(np.ones(40), 1, 1),
        method="SLSQP",
        options={"maxiter": 1000, "ftol": 1e-12},
    )
    ours, theirs = (float(np.sum((donors @ x - target) ** 2)) for x in (w, slsqp.x))
    assert (w >= 0).all() and w.sum() == pytest.approx(1.0)
    assert ours <= theirs + 1e-6


def test_a_treated_area_of_twice_one_donor_puts_all_the_weight_on_it() -> None:
    # Indexed series: the same shape at double the level is matched exactly by that one donor.
    rng = np.random.default_rng(11)
    series = {f"D{i}": list(rng.poisson(rng.uniform(5, 15), 24)) for i in range(6)}
    series["T"] = [2 * c for c in series["D2"]]
    result = evaluate_panel(wide_panel(series), ["T"], "2021-01", donors="force")
    assert result.weights[["lsoa_code", "weight"]].to_dict("records") == [
        {"lsoa_code": "D2", "weight": pytest.approx(1.0, abs=1e-8)}
    ]
    assert result.metadata["pre_rmspe"] == pytest.approx(0.0, abs=1e-6)
    np.testing.assert_allclose(result.monthly["synthetic"], result.monthly["treated"], atol=1e-6)
    assert result.synthetic_control.per_month == pytest.approx(0.0, abs=1e-6)


def test_placebo_inference_ranks_the_ratio_and_inverts_the_test() -> None:
    pre = np.array([True, True, False, False])
    treated = synthetic.Fit(
        weights=np.array([1.0]), synthetic=np.zeros(4), gap=np.array([0.5, -0.5, -0.5, -0.5]), pre=pre
    )
    assert (treated.pre_rmspe, treated.post_rmspe) == (0.5, 0.5)
    assert (treated.ratio, treated.mean_post_gap) == (1.0, -0.5)
    placebo = pd.DataFrame(
        {
            "lsoa_codes": ["A", "B", "C", "D"],
            "pre_rmspe": [1.0, 1.0, 2.0, 1.0],
            "ratio": [0.5, 2.0, 3.0, 0.8],
            "mean_gap": [-2.0, -1.0, 1.0, 3.0],
        }
    )
    inf = synthetic.inference(treated, placebo, alpha=0.5)
    # Two placebos' ratios are at least the treated one's: rank 3 of 5.
    assert (inf.rank, inf.ratio_p_value) == (3, 3 / 5)
    # The p-value is the mean-gap test's: 2 placebo gaps at most -0.5 and 2 at least, 2 x (1 + 2) / 5 > 1.
    assert inf.p_value == 1.0
    # k = floor(0.25 * 5) = 1: the CI runs between the most extreme placebo gaps, level 1 - 2/5.
    assert inf.level == pytest.approx(0.6)
    assert (inf.low, inf.high) == (pytest.approx(-0.5 - 3.0), pytest.approx(-0.5 - (-2.0)))
    # With 39 placebos, k = 1 and the level 95%; with 500, k = floor(0.025 x 501) = 12.
    many = pd.DataFrame({"ratio": np.zeros(500), "mean_gap": np.arange(500.0), "pre_rmspe": 1.0})
    inf = synthetic.inference(treated, many, alpha=0.05)
    assert inf.level == pytest.approx(1 - 24 / 501) and (inf.low, inf.high) == (-0.5 - 488, -0.5 - 11)


def test_each_fit_draws_on_the_donors_nearest_its_target() -> None:
    pre = np.array([True] * 4 + [False] * 2)
    target = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    donors = np.column_stack([target + 3, target + 0.1, target - 0.2, target + 2, target - 0.3])
    assert list(synthetic.nearest_donors(target, donors, pre, 3)) == [1, 2, 4]
    f = synthetic.fit(target, donors, pre, nearest=2)
    # From donors 1 and 2 only: 2/3 of (t + 0.1) and 1/3 of (t - 0.2) is t exactly.
    np.testing.assert_allclose(f.weights, [0, 2 / 3, 1 / 3, 0, 0], atol=1e-8)
    assert f.pre_rmspe == pytest.approx(0.0, abs=1e-8)


def test_placebos_fit_each_placebo_area_from_every_other_lsoa() -> None:
    pre = np.array([True] * 6 + [False] * 2)
    rng = np.random.default_rng(5)
    counts = rng.poisson(10, size=(8, 5)).astype(float)
    treated = rng.poisson(10, size=(8, 1)).astype(float)
    table = synthetic.placebos(counts, pre, 1, list("ABCDE"), also=treated)
    indexed = counts / counts[pre].mean(axis=0)
    others = np.hstack([np.delete(indexed, 2, axis=1), treated / treated[pre].mean()])
    own = synthetic.fit(indexed[:, 2], others, pre)
    row = table.set_index("lsoa_codes").loc["C"]
    assert row["pre_rmspe"] == pytest.approx(own.pre_rmspe)
    assert row["mean_gap"] == pytest.approx(own.mean_post_gap)
    assert list(table.columns) == ["lsoa_codes", "pre_rmspe", "post_rmspe", "ratio", "mean_gap"]
    pairs = synthetic.placebos(counts, pre, 2, list("ABCDE"))
    # Areas the size of the treated one: every pair of donors, added up before indexing.
    assert len(pairs) == 10 and pairs["lsoa_codes"].iloc[0] == "A+B"
    ab = counts[:, 0] + counts[:, 1]
    first = synthetic.fit(ab / ab[pre].mean(), indexed[:, 2:], pre)
    assert pairs["pre_rmspe"].iloc[0] == pytest.approx(first.pre_rmspe)


def test_placebo_areas_are_all_sets_or_a_fixed_sample_of_them() -> None:
    assert synthetic.placebo_groups(4, 2) == [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]
    drawn = synthetic.placebo_groups(30, 3, limit=500)
    assert len(drawn) == len(set(drawn)) == 500 and all(len(set(g)) == 3 for g in drawn)
    assert drawn == synthetic.placebo_groups(30, 3, limit=500)  # the same every run


def test_the_p_value_is_the_test_the_interval_inverts() -> None:
    pre = np.array([True, True, False, False])
    gap = np.array([0.5, -0.5, -3.0, -3.0])  # mean post-period gap -3, beyond every placebo's
    treated = synthetic.Fit(weights=np.array([1.0]), synthetic=np.zeros(4), gap=gap, pre=pre)
    placebo = pd.DataFrame({"ratio": [0.5, 2.0, 30.0, 0.8], "mean_gap": [-2.0, -1.0, 1.0, 3.0]})
    inf = synthetic.inference(treated, placebo, alpha=0.5)
    # No placebo gap is at most -3: 2 x (1 + 0) / 5. The interval (level 0.6) runs from -3 - 3 to -3 + 2.
    assert inf.p_value == pytest.approx(0.4) and inf.high == pytest.approx(-1.0)
    # The ratio test disagrees: the treated ratio, 3.0 / 0.5 = 6, is beaten by one placebo's (rank 2).
    assert (inf.rank, inf.ratio_p_value) == (2, 2 / 5)
    # Over many draws, with ties: the interval leaves 0 out exactly when p <= 1 - level.
    rng = np.random.default_rng(7)
    for _ in range(300):
        j = int(rng.integers(5, 80))
        gaps = rng.integers(-4, 5, j) / 2.0
        g = rng.integers(-6, 7) / 2.0
        t = synthetic.Fit(np.ones(1), np.zeros(4), np.array([1.0, -1.0, g, g]), pre)
        inf = synthetic.inference(t, pd.DataFrame({"ratio": np.ones(j), "mean_gap": gaps}), alpha=0.1)
        excludes = inf.low > 0 or inf.high < 0
        assert excludes == (inf.p_value <= 1 - inf.level + 1e-12), (j, g, inf)
