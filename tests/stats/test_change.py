"""Change statistics against values computed independently: scipy and statsmodels called directly here,
Wheeler's z and rate ratios by hand, and the strategy's published pairs."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats import rates

from vrhub.stats.change import COLUMNS, binomial_two_sided, change_statistics

NAN = float("nan")


def _exact_p(current: int, previous: int, pop_c: float = 1.0, pop_p: float = 1.0) -> float:
    """The conditional binomial test straight from scipy: current out of the total, p = pop share."""
    return stats.binomtest(current, current + previous, pop_c / (pop_c + pop_p)).pvalue


def _exact_ci(current: int, previous: int, pop_c: float = 1.0, pop_p: float = 1.0) -> tuple[float, float]:
    """scipy's Clopper-Pearson interval for current's share of the total, turned into a rate ratio."""
    ci = stats.binomtest(current, current + previous).proportion_ci(0.95, method="exact")
    return tuple(s / (1 - s) * pop_p / pop_c for s in (ci.low, ci.high))


def test_columns_in_order() -> None:
    assert list(change_statistics([5], [4]).columns) == COLUMNS


def test_homicides_13_to_19_is_within_chance_at_p_038() -> None:
    row = change_statistics([19], [13]).iloc[0]
    assert round(row.p_value, 2) == 0.38
    # The same test through statsmodels' own entry point and through scipy's binomial test.
    assert row.p_value == pytest.approx(
        rates.test_poisson_2indep(19, 1, 13, 1, method="exact-cond").pvalue, rel=1e-12
    )
    assert row.p_value == pytest.approx(_exact_p(19, 13), rel=1e-12)
    assert row.absolute_change == 6
    assert row["pct_change"] == pytest.approx(600 / 13)  # 6 / 13 = 46.2%
    assert row.rate_ratio == pytest.approx(19 / 13)
    assert (row.ci_low, row.ci_high) == pytest.approx(_exact_ci(19, 13), rel=1e-9)
    assert row.ci_low < 1 < row.ci_high
    assert row.wheeler_z == pytest.approx(2 * (math.sqrt(19) - math.sqrt(13)))  # 1.5067
    assert not row.small_count


def test_wheeler_worked_example() -> None:
    # Wheeler: 16 -> 25 robberies is +56% but z = 2 * (5 - 4) = 2.
    row = change_statistics([25], [16]).iloc[0]
    assert row.wheeler_z == pytest.approx(2.0)
    assert row["pct_change"] == pytest.approx(56.25)


@pytest.mark.parametrize(
    ("current", "previous"),
    [(40_490, 39_386), (2_484, 2_260)],  # the strategy's serious violence and knife pairs
)
def test_large_published_pairs(current: int, previous: int) -> None:
    row = change_statistics([current], [previous]).iloc[0]
    assert row.absolute_change == current - previous
    assert row["pct_change"] == pytest.approx((current / previous - 1) * 100)
    assert row.rate_ratio == pytest.approx(current / previous)
    assert row.p_value == pytest.approx(_exact_p(current, previous), rel=1e-9)
    assert (row.ci_low, row.ci_high) == pytest.approx(_exact_ci(current, previous), rel=1e-9)
    assert row.p_value < 0.01 and row.ci_low > 1
    assert not row.small_count


def test_published_pairs_rounded() -> None:
    frame = change_statistics([40_490, 2_484, 19], [39_386, 2_260, 13])
    assert frame["pct_change"].round(1).tolist() == [2.8, 9.9, 46.2]
    assert frame["rate_ratio"].round(3).tolist() == [1.028, 1.099, 1.462]
    assert frame["wheeler_z"].round(2).tolist() == [5.52, 4.60, 1.51]


def test_zero_to_one_has_no_ratio_but_a_p_value() -> None:
    row = change_statistics([1], [0]).iloc[0]
    assert math.isnan(row.rate_ratio) and math.isnan(row["pct_change"])  # NaN, never inf
    assert math.isnan(row.ci_low) and math.isnan(row.ci_high)
    assert row.absolute_change == 1
    assert row.p_value == pytest.approx(_exact_p(1, 0)) == 1.0
    assert row.wheeler_z == pytest.approx(2.0)
    assert row.small_count


def test_one_to_two() -> None:
    row = change_statistics([2], [1]).iloc[0]
    assert row.rate_ratio == 2 and row["pct_change"] == 100
    assert row.p_value == pytest.approx(_exact_p(2, 1)) == 1.0
    assert (row.ci_low, row.ci_high) == pytest.approx(_exact_ci(2, 1), rel=1e-9)
    assert row.wheeler_z == pytest.approx(2 * (math.sqrt(2) - 1))
    assert row.small_count


def test_fall_to_zero_has_a_finite_interval() -> None:
    row = change_statistics([0], [14]).iloc[0]
    assert row.rate_ratio == 0 and row["pct_change"] == -100
    assert row.ci_low == 0 and row.ci_high == pytest.approx(_exact_ci(0, 14)[1])
    assert row.p_value == pytest.approx(_exact_p(0, 14))


def test_both_zero() -> None:
    row = change_statistics([0], [0]).iloc[0]
    assert row.absolute_change == 0 and row.p_value == 1.0 and row.wheeler_z == 0
    assert math.isnan(row.rate_ratio) and math.isnan(row.ci_low)


def test_populations_adjust_the_ratio_and_the_test() -> None:
    row = change_statistics([19], [13], population_current=160_000, population_previous=150_000).iloc[0]
    assert row.rate_ratio == pytest.approx((19 / 160_000) / (13 / 150_000))
    assert row.p_value == pytest.approx(_exact_p(19, 13, 160_000, 150_000), rel=1e-12)
    assert row.p_value == pytest.approx(
        rates.test_poisson_2indep(19, 160_000, 13, 150_000, method="exact-cond").pvalue, rel=1e-12
    )
    assert (row.ci_low, row.ci_high) == pytest.approx(_exact_ci(19, 13, 160_000, 150_000), rel=1e-9)
    # Percent change and Wheeler's z stay on the counts.
    assert row["pct_change"] == pytest.approx(600 / 13)
    assert row.wheeler_z == pytest.approx(2 * (math.sqrt(19) - math.sqrt(13)))


def test_months_of_data_as_exposure_compare_a_whole_year_with_a_part_year() -> None:
    # The strategy's "+45% vs 2018": 36,875 in the 12 months of 2019 against 25,431 in the 9 months of
    # 2018 the demo holds. Per month of data that is +8.8%, not +45%.
    row = change_statistics([36_875], [25_431], population_current=12, population_previous=9).iloc[0]
    assert row.rate_ratio == pytest.approx((36_875 / 12) / (25_431 / 9))
    assert round((row.rate_ratio - 1) * 100, 1) == 8.8
    assert row.p_value == pytest.approx(_exact_p(36_875, 25_431, 12, 9), rel=1e-9)
    assert (row.ci_low, row.ci_high) == pytest.approx(_exact_ci(36_875, 25_431, 12, 9), rel=1e-9)
    assert row.ci_low > 1


def test_one_population_is_an_error() -> None:
    with pytest.raises(ValueError, match="both populations"):
        change_statistics([19], [13], population_current=100)


def test_missing_values_give_nan_rows() -> None:
    frame = change_statistics([NAN, 5, 19], [3, NAN, 13], [100, 100, np.nan], [100, 100, 100])
    assert frame.iloc[:2].drop(columns="small_count").isna().all().all()
    assert frame["small_count"].tolist() == [False, False, False]
    # A missing population loses the ratio and test but not the count comparisons.
    last = frame.iloc[2]
    assert math.isnan(last.rate_ratio) and math.isnan(last.p_value)
    assert last.absolute_change == 6 and last.wheeler_z == pytest.approx(1.5067, abs=1e-4)


def test_values_that_are_not_counts_get_no_test() -> None:
    row = change_statistics([31.4], [12.0]).iloc[0]
    assert row["pct_change"] == pytest.approx((31.4 / 12 - 1) * 100)
    assert math.isnan(row.p_value) and math.isnan(row.wheeler_z) and math.isnan(row.ci_low)


def test_small_count_threshold() -> None:
    frame = change_statistics([9, 10, 10, 50], [50, 10, 9, 10])
    assert frame["small_count"].tolist() == [True, False, True, False]


def test_many_rows_match_row_by_row_references() -> None:
    rng = np.random.default_rng(7)
    n = 2_000
    previous = rng.poisson(rng.choice([3, 30, 300, 3000], n))
    current = rng.poisson(previous * rng.uniform(0.7, 1.3, n))
    pop_c = rng.integers(50_000, 500_000, n).astype(float)
    pop_p = pop_c * rng.uniform(0.95, 1.05, n)
    series = pd.Series(current, index=pd.RangeIndex(100, 100 + n))
    frame = change_statistics(series, previous, pop_c, pop_p)
    assert len(frame) == n and frame.index.equals(series.index)
    with np.errstate(divide="ignore", invalid="ignore"):
        assert np.allclose(
            frame["rate_ratio"],
            np.where(previous > 0, (current / pop_c) / (previous / pop_p), np.nan),
            equal_nan=True,
        )
    assert np.allclose(frame["wheeler_z"], 2 * (np.sqrt(current) - np.sqrt(previous)))
    for i in rng.choice(n, 40, replace=False):
        c, p = int(current[i]), int(previous[i])
        expected = 1.0 if c + p == 0 else _exact_p(c, p, pop_c[i], pop_p[i])
        assert frame["p_value"].iloc[i] == pytest.approx(expected, rel=1e-9)
        if p > 0:
            assert (frame["ci_low"].iloc[i], frame["ci_high"].iloc[i]) == pytest.approx(
                _exact_ci(c, p, pop_c[i], pop_p[i]), rel=1e-9
            )


def test_scalars_and_broadcast_population() -> None:
    frame = change_statistics(19, 13)
    assert len(frame) == 1 and frame["rate_ratio"].iloc[0] == pytest.approx(19 / 13)
    frame = change_statistics([19, 26], [13, 13], 1000, 1000)
    assert frame["rate_ratio"].tolist() == pytest.approx([19 / 13, 2.0])


@pytest.mark.slow
def test_every_row_of_a_large_table_matches_scipy_one_test_at_a_time() -> None:
    """The p-values are computed for whole arrays; scipy's binomtest, one count at a time, must agree on
    every row: counts from 0 to thousands, equal and unequal populations, rises, falls and no change."""
    rng = np.random.default_rng(11)
    n = 3_000
    previous = rng.poisson(rng.choice([0.5, 2, 8, 40, 400, 4000], n))
    current = rng.poisson(previous * rng.uniform(0.5, 1.6, n) + rng.uniform(0, 2, n))
    pop_c = rng.choice([1.0, 98_000.0, 480_000.0], n)
    pop_p = np.where(rng.random(n) < 0.5, pop_c, pop_c * rng.uniform(0.9, 1.1, n))
    frame = change_statistics(current, previous, pop_c, pop_p)
    with np.errstate(divide="ignore", invalid="ignore"):  # statsmodels forms a ratio even when p is 0
        expected = [
            1.0
            if c + p == 0
            else rates.test_poisson_2indep(int(c), e1, int(p), e2, method="exact-cond").pvalue
            for c, p, e1, e2 in zip(current, previous, pop_c, pop_p, strict=True)
        ]
    assert np.allclose(frame["p_value"], expected, rtol=1e-12, atol=0)


@pytest.mark.parametrize(
    ("k", "n", "prob"),
    [
        (0, 1, 0.5),
        (1, 1, 0.5),
        (0, 50, 0.02),
        (50, 50, 0.98),
        (3, 10, 0.3),
        (7, 10, 0.3),
        (500, 1000, 0.5),
        (0, 7, 0.999),
        (7, 7, 0.001),
        (12, 40, 1 / 3),
        (2, 3, 0.5),
    ],
)
def test_binomial_two_sided_edge_cases_match_scipy(k: int, n: int, prob: float) -> None:
    found = binomial_two_sided(np.array([k]), np.array([n]), np.array([prob]))[0]
    assert found == pytest.approx(stats.binomtest(k, n, prob).pvalue, rel=1e-12)
