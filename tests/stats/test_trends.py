"""Monthly trends: values checked by hand on small series, planted steps and share jumps found, noise not."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from vrhub.stats.trends import (
    detect_steps,
    rolling_twelve_months,
    same_month_last_year,
    seasonal_profile,
    share_shift,
)


def months(start: str, n: int) -> pd.DatetimeIndex:
    return pd.date_range(start, periods=n, freq="MS")


def test_rolling_twelve_months_by_hand() -> None:
    series = pd.Series(np.arange(1, 16, dtype=float), index=months("2020-01-01", 15))
    rolled = rolling_twelve_months(series)
    assert rolled.iloc[:11].isna().all()
    assert rolled.iloc[11] == 78  # 1 + ... + 12
    assert rolled.iloc[12] == 90  # 2 + ... + 13
    assert rolled.iloc[14] == 114  # 4 + ... + 15


def test_rolling_twelve_months_gap_is_missing_not_zero() -> None:
    series = pd.Series(1.0, index=months("2020-01-01", 15)).drop(pd.Timestamp("2020-06-01"))
    rolled = rolling_twelve_months(series)
    assert rolled.index.equals(series.index)
    # Every window ending 2020-12 to 2021-03 covers June 2020, which is absent.
    assert rolled.isna().all()


def test_same_month_last_year_by_hand() -> None:
    values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 15, 0, 30]
    series = pd.Series(values, index=months("2020-01-01", 15))
    frame = same_month_last_year(series)
    assert frame.loc["2021-01-01"].tolist() == [15, 10, 5, 50]  # +5 on 10 is +50%
    assert frame.loc["2021-02-01"].tolist() == [0, 20, -20, -100]
    assert frame.loc["2021-03-01", "pct_change"] == 0
    assert frame.loc["2020-12-01"].iloc[1:].isna().all()


def test_same_month_last_year_zero_base() -> None:
    series = pd.Series([0.0] * 12 + [4.0], index=months("2020-01-01", 13))
    row = same_month_last_year(series).iloc[-1]
    assert row.change == 4 and math.isnan(row["pct_change"])


def test_seasonal_profile_by_hand() -> None:
    # Two complete years: year 1 has 10 a month except 40 in July (total 150); year 2 all 20 (total 240).
    year1 = [10.0] * 12
    year1[6] = 40.0
    series = pd.Series(year1 + [20.0] * 12 + [999.0] * 3, index=months("2019-01-01", 27))
    profile = seasonal_profile(series)
    assert profile.index.tolist() == list(range(1, 13))
    assert profile.loc[7, "share"] == pytest.approx((40 / 150 + 1 / 12) / 2)
    assert profile.loc[1, "share"] == pytest.approx((10 / 150 + 1 / 12) / 2)
    assert profile["share"].sum() == pytest.approx(1.0)
    assert profile.loc[7, "seasonal_index"] == pytest.approx(12 * profile.loc[7, "share"])
    assert (profile["years"] == 2).all()  # the partial 2021 is left out


def test_seasonal_profile_without_a_complete_year() -> None:
    profile = seasonal_profile(pd.Series(5.0, index=months("2020-03-01", 12)))
    assert profile["share"].isna().all()


def test_index_must_be_first_of_month() -> None:
    with pytest.raises(ValueError, match="first day"):
        rolling_twelve_months(pd.Series([1.0, 2.0], index=pd.to_datetime(["2020-01-01", "2020-02-15"])))
    with pytest.raises(ValueError, match="Timestamps"):
        detect_steps(pd.Series([1.0, 2.0]))


def test_planted_step_is_found_within_a_month() -> None:
    rng = np.random.default_rng(2021)
    index = months("2017-01-01", 72)
    planted = index.get_loc(pd.Timestamp("2020-07-01"))
    means = np.where(np.arange(72) < planted, 20.0, 35.0)
    steps = detect_steps(pd.Series(rng.poisson(means), index=index))
    assert len(steps) == 1
    step = steps[0]
    assert abs(index.get_loc(step.month) - planted) <= 1
    assert step.level_before == pytest.approx(20, rel=0.15)
    assert step.level_after == pytest.approx(35, rel=0.15)


def test_planted_step_in_a_large_seasonal_series() -> None:
    rng = np.random.default_rng(5)
    index = months("2016-01-01", 96)
    season = 1 + 0.15 * np.sin(2 * np.pi * (index.month.to_numpy() - 4) / 12)
    planted = 50
    means = 3_000 * season * np.where(np.arange(96) < planted, 1.0, 1.12)
    steps = detect_steps(pd.Series(rng.poisson(means), index=index))
    assert [abs(index.get_loc(s.month) - planted) <= 1 for s in steps] == [True]


@pytest.mark.parametrize("seed", range(5))
def test_flat_series_has_no_step(seed: int) -> None:
    rng = np.random.default_rng(seed)
    index = months("2017-01-01", 84)
    assert detect_steps(pd.Series(rng.poisson(25.0, 84), index=index)) == []
    # Nor does a big seasonal one, whose summer peaks would read as steps unadjusted.
    season = 1 + 0.15 * np.sin(2 * np.pi * index.month.to_numpy() / 12)
    assert detect_steps(pd.Series(rng.poisson(3_000 * season), index=index)) == []


def test_short_series_has_no_step() -> None:
    assert detect_steps(pd.Series([1.0, 50.0] * 5, index=months("2020-01-01", 10))) == []


def _weapons(seed: int, not_specified: list[float]) -> pd.DataFrame:
    """Monthly ED attendances by weapon, ~1,000 a month, with the 'not specified' share set per year."""
    rng = np.random.default_rng(seed)
    index = months("2019-01-01", 12 * len(not_specified))
    rows = []
    for share in np.repeat(not_specified, 12):
        rest = (1 - share) / 3
        rows.append(rng.multinomial(1_000, [share, rest, rest, rest]))
    return pd.DataFrame(rows, index=index, columns=["not specified", "knife", "blunt", "body"])


def test_share_shift_flags_a_recording_change() -> None:
    counts = _weapons(1, [0.12, 0.12, 0.32])
    result = share_shift(counts)
    jump = result[(result.category == "not specified") & (result.after == "2021")].iloc[0]
    assert jump.before == "2020"
    assert jump.share_before == pytest.approx(100 * jump.count_before / jump.total_before)
    assert jump.share_before == pytest.approx(12, abs=1.5) and jump.share_after == pytest.approx(32, abs=1.5)
    assert jump.change_points == pytest.approx(jump.share_after - jump.share_before)
    assert jump.p_value < 1e-10 and jump.flag
    # Nothing moved between 2019 and 2020.
    assert not result[result.after == "2020"]["flag"].any()
    rising = result[result.flag & (result.change_points > 0)]
    assert rising["category"].tolist() == ["not specified"]


def test_share_shift_at_a_step() -> None:
    counts = _weapons(3, [0.12, 0.12, 0.32])
    result = share_shift(counts, at="2021-01-01")
    assert result["before"].unique().tolist() == ["12 months to 2020-12"]
    assert result["after"].unique().tolist() == ["12 months from 2021-01"]
    row = result.set_index("category").loc["not specified"]
    assert row.flag and row.total_before == 12_000 and row.total_after == 12_000


@pytest.mark.parametrize("seed", range(5))
def test_share_shift_ignores_noise(seed: int) -> None:
    assert not share_shift(_weapons(seed, [0.12] * 4))["flag"].any()


def test_share_shift_small_numbers_need_more_than_a_few_points() -> None:
    counts = pd.DataFrame({"a": [3, 2], "b": [7, 8]}, index=pd.to_datetime(["2020-06-01", "2021-06-01"]))
    row = share_shift(counts).iloc[0]
    assert row.share_before == 30 and row.share_after == 20 and not row.flag  # 10 points, p ~ 0.6
