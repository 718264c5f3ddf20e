"""Distributions for the synthetic demo data: calendars (season, weekday, events, time of day) and ages."""

from __future__ import annotations

import functools

import numpy as np

FIRST_DAY = np.datetime64("2018-04-01")  # the demo data start in April 2018


# ---------------------------------------------------------------- calendar
_WEEKDAY = np.array([0.90, 0.88, 0.90, 0.95, 1.12, 1.32, 1.18])  # Mon..Sun
_MONTH_VIOLENCE = np.array([0.90, 0.87, 0.95, 1.0, 1.05, 1.09, 1.12, 1.10, 1.0, 1.0, 0.96, 1.02])
_MONTH_FIRE = np.array([0.6, 0.6, 0.95, 1.5, 1.45, 1.15, 1.05, 1.0, 0.85, 1.05, 1.2, 0.65])


def year_days(year: int) -> np.ndarray:
    start = max(np.datetime64(f"{year}-01-01"), FIRST_DAY)
    return np.arange(start, np.datetime64(f"{year + 1}-01-01"), dtype="datetime64[D]")


def weekday(days: np.ndarray) -> np.ndarray:
    """0 = Monday ... 6 = Sunday."""
    return (days.astype("datetime64[D]").astype(np.int64) + 3) % 7


def month(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[M]").astype(np.int64) % 12


def day_weights(days: np.ndarray, profile: str) -> np.ndarray:
    m = month(days)
    d = (days - days.astype("datetime64[M]")).astype(np.int64) + 1
    if profile == "fire":  # spring grass fires; bonfire night (5 Nov), mischief night and Halloween
        w = _MONTH_FIRE[m] * np.where(weekday(days) >= 5, 1.15, 1.0)
        return w * np.select(
            [
                (m == 10) & (d == 5),
                (m == 10) & (d == 4),
                (m == 9) & (d == 31),
                (m == 10) & (d == 6),
                ((m == 9) & (d >= 24)) | ((m == 10) & (d <= 3)),
            ],
            [7.0, 2.8, 2.6, 1.8, 1.9],
            1.0,
        )
    w = _WEEKDAY[weekday(days)] * _MONTH_VIOLENCE[m]
    w = w * np.select(
        [(m == 0) & (d == 1), (m == 11) & (d == 31), (m == 11) & (d == 26)], [1.9, 1.35, 1.2], 1.0
    )
    if profile == "night_economy":  # ED and ambulance: COVID lockdowns emptied the night-time economy
        lockdown = (
            ((days >= np.datetime64("2020-03-23")) & (days < np.datetime64("2020-06-15")))
            | ((days >= np.datetime64("2020-11-05")) & (days < np.datetime64("2020-12-02")))
            | ((days >= np.datetime64("2021-01-05")) & (days < np.datetime64("2021-04-12")))
        )
        w = w * np.where(lockdown, 0.7, 1.0)
    return w


def sample_days(rng: np.random.Generator, year: int, n: int, profile: str) -> np.ndarray:
    """n dates in the given year (April-December for 2018), weighted by season, weekday and events."""
    days = year_days(year)
    w = day_weights(days, profile)
    return days[_pick(rng, w, n)]


_HOURS_WEEKDAY = np.array(
    [4, 3, 2, 1.5, 1, 0.8, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4, 4.5, 5, 5.5, 6, 6, 6, 6, 6, 6, 5]
)
_HOURS_WEEKEND = np.array(
    [10, 9, 8, 5, 3, 1.5, 1, 1, 1.5, 2, 2.5, 3, 3.5, 3.5, 4, 4.5, 5, 5.5, 6, 7, 8, 9, 10, 11]
)


def sample_datetimes(rng: np.random.Generator, year: int, n: int, profile: str) -> np.ndarray:
    """Date-times in the year with a night-time peak, stronger on Friday to Sunday."""
    days = sample_days(rng, year, n, profile)
    weekend = np.isin(weekday(days), [4, 5, 6])
    hour = np.where(weekend, _pick(rng, _HOURS_WEEKEND, n), _pick(rng, _HOURS_WEEKDAY, n))
    minute = rng.integers(0, 60, n)
    return days.astype("datetime64[m]") + (hour * 60 + minute).astype("timedelta64[m]")


def _pick(rng: np.random.Generator, weights: np.ndarray, n: int) -> np.ndarray:
    cum = np.cumsum(weights, dtype=float)
    return np.searchsorted(cum, rng.random(n) * cum[-1], side="right").clip(0, len(weights) - 1)


def pick_categories(rng: np.random.Generator, probs: dict[str, float], n: int) -> np.ndarray:
    """Indices into list(probs) drawn with the given probabilities."""
    return _pick(rng, np.array(list(probs.values())), n)


# ---------------------------------------------------------------- ages
_AGE_KNOTS = {
    # (age, relative density) knots, linearly interpolated over 0..100
    "victim": [
        (0, 0.15),
        (9, 0.2),
        (12, 1),
        (15, 3.5),
        (18, 6),
        (24, 6.2),
        (30, 5),
        (40, 3.2),
        (50, 1.8),
        (60, 0.8),
        (75, 0.25),
        (90, 0.04),
        (100, 0),
    ],
    "suspect": [
        (0, 0),
        (9, 0),
        (10, 0.2),
        (13, 2),
        (15, 5),
        (18, 7),
        (25, 6),
        (30, 4.5),
        (40, 2.5),
        (50, 1.1),
        (60, 0.35),
        (75, 0.06),
        (90, 0),
        (100, 0),
    ],
    "patient": [
        (0, 0.3),
        (9, 0.3),
        (13, 1.2),
        (16, 4),
        (19, 6),
        (30, 5.6),
        (40, 3.6),
        (50, 2),
        (60, 0.9),
        (75, 0.3),
        (90, 0.05),
        (100, 0),
    ],
}


@functools.cache
def _age_cdf(kind: str) -> np.ndarray:
    knots = np.array(_AGE_KNOTS[kind], dtype=float)
    density = np.interp(np.arange(101), knots[:, 0], knots[:, 1])
    return np.cumsum(density)


def sample_ages(rng: np.random.Generator, n: int, kind: str, lo: int = 0, hi: int = 100) -> np.ndarray:
    """n whole ages in [lo, hi] from the named age profile."""
    cdf = _age_cdf(kind)
    base = cdf[lo - 1] if lo > 0 else 0.0
    u = base + rng.random(n) * (cdf[hi] - base)
    return np.searchsorted(cdf, u, side="right").clip(lo, hi).astype(np.int16)


def ages_with_u25(rng: np.random.Generator, u25: np.ndarray, kind: str, young_from: int = 0) -> np.ndarray:
    """Ages: under 25 where u25 is True, 25 or over elsewhere."""
    ages = np.empty(len(u25), dtype=np.int16)
    ages[u25] = sample_ages(rng, int(u25.sum()), kind, young_from, 24)
    ages[~u25] = sample_ages(rng, int((~u25).sum()), kind, 25, 100)
    return ages
