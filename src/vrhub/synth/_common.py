"""Shared building blocks for the synthetic demo data: geography, calendars, ages, exact picks, CSV output.

Everything is numpy-vectorised: loops run over boroughs, years or categories, never over rows.
"""

from __future__ import annotations

import csv
import functools
from importlib import resources
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

YEARS = (2018, 2019, 2020, 2021)
FIRST_DAY = np.datetime64("2018-04-01")  # the demo data run from April 2018 to December 2021
LAST_DAY = np.datetime64("2021-12-31")

# Merseyside boroughs (LAD codes), in a fixed order used everywhere in this package.
BOROUGH_CODES = ("E08000011", "E08000012", "E08000013", "E08000014", "E08000015")
BOROUGH_NAMES = ("Knowsley", "Liverpool", "St Helens", "Sefton", "Wirral")
BOROUGH_POP = np.array([152452, 500474, 181095, 275899, 324336], dtype=float)  # ONS mid-2020


# ---------------------------------------------------------------- geography
@functools.cache
def lsoas() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """2011-vintage LSOA codes, names and borough index (0-4), sorted by code."""
    text = resources.files("vrhub").joinpath("data", "merseyside_lsoa_to_lad.csv").read_text("utf-8")
    rows = sorted(r for r in csv.DictReader(text.splitlines()) if r["lsoa_vintage"].strip() == "2011")
    rows.sort(key=lambda r: r["lsoa_code"])
    codes = np.array([r["lsoa_code"] for r in rows])
    names = np.array([r["lsoa_name"] for r in rows])
    borough = np.array([BOROUGH_CODES.index(r["lad_code"]) for r in rows], dtype=np.int8)
    return codes, names, borough


def lsoa_weights(rng: np.random.Generator, kind: str) -> np.ndarray:
    """Relative incidence per LSOA: population share x borough rate x lognormal spread x hotspots."""
    codes, names, borough = lsoas()
    per_lsoa = BOROUGH_POP / np.bincount(borough, minlength=5)
    if kind == "fire":  # deliberate fires: estates and open land, not the city centre
        rate, sigma, centre = np.array([1.35, 1.1, 1.05, 0.85, 1.0]), 0.75, 0.4
    else:  # violence: concentrated in Liverpool city centre and a few persistent hotspots
        rate, sigma, centre = np.array([1.2, 1.35, 0.9, 0.8, 0.85]), 0.55, 14.0
    w = per_lsoa[borough] * rate[borough] * rng.lognormal(0.0, sigma, len(codes))
    city_centre = np.char.startswith(names, "Liverpool 060") | np.char.startswith(names, "Liverpool 061")
    w[city_centre] *= centre
    for b in range(5):  # three persistent hotspots per borough (town centres, night-time economy)
        idx = np.flatnonzero((borough == b) & ~city_centre)
        w[rng.choice(idx, 3, replace=False)] *= 3.5 if kind != "fire" else 2.5
    return w / w.sum()


def pick_lsoa(rng: np.random.Generator, n: int, weights: np.ndarray) -> np.ndarray:
    """n LSOA indices drawn with the given weights."""
    return np.searchsorted(np.cumsum(weights), rng.random(n) * weights.sum(), side="right").clip(
        0, len(weights) - 1
    )


def pick_lsoa_in_borough(rng: np.random.Generator, borough_of_row: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """An LSOA index for each row, inside the row's borough (0-4)."""
    _, _, borough = lsoas()
    out = np.empty(len(borough_of_row), dtype=np.int64)
    for b in range(5):
        rows = np.flatnonzero(borough_of_row == b)
        idx = np.flatnonzero(borough == b)
        out[rows] = idx[pick_lsoa(rng, len(rows), weights[idx])]
    return out


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
            [(m == 10) & (d == 5), (m == 10) & (d == 4), (m == 9) & (d == 31), (m == 10) & (d == 6),
             ((m == 9) & (d >= 24)) | ((m == 10) & (d <= 3))],
            [7.0, 2.8, 2.6, 1.8, 1.9], 1.0)
    w = _WEEKDAY[weekday(days)] * _MONTH_VIOLENCE[m]
    w = w * np.select([(m == 0) & (d == 1), (m == 11) & (d == 31), (m == 11) & (d == 26)], [1.9, 1.35, 1.2], 1.0)
    if profile == "night_economy":  # ED and ambulance: COVID lockdowns emptied the night-time economy
        lockdown = ((days >= np.datetime64("2020-03-23")) & (days < np.datetime64("2020-06-15"))) | (
            (days >= np.datetime64("2020-11-05")) & (days < np.datetime64("2020-12-02"))) | (
            (days >= np.datetime64("2021-01-05")) & (days < np.datetime64("2021-04-12")))
        w = w * np.where(lockdown, 0.7, 1.0)
    return w


def sample_days(rng: np.random.Generator, year: int, n: int, profile: str) -> np.ndarray:
    """n dates in the given year (April-December for 2018), weighted by season, weekday and events."""
    days = year_days(year)
    w = day_weights(days, profile)
    return days[pick_lsoa(rng, n, w)]


_HOURS_WEEKDAY = np.array([4, 3, 2, 1.5, 1, 0.8, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4, 4.5, 5, 5.5, 6, 6, 6, 6, 6, 6, 5])
_HOURS_WEEKEND = np.array([10, 9, 8, 5, 3, 1.5, 1, 1, 1.5, 2, 2.5, 3, 3.5, 3.5, 4, 4.5, 5, 5.5, 6, 7, 8, 9, 10, 11])


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
    "victim": [(0, .15), (9, .2), (12, 1), (15, 3.5), (18, 6), (24, 6.2), (30, 5), (40, 3.2), (50, 1.8),
               (60, .8), (75, .25), (90, .04), (100, 0)],
    "suspect": [(0, 0), (9, 0), (10, .2), (13, 2), (15, 5), (18, 7), (25, 6), (30, 4.5), (40, 2.5), (50, 1.1),
                (60, .35), (75, .06), (90, 0), (100, 0)],
    "patient": [(0, .3), (9, .3), (13, 1.2), (16, 4), (19, 6), (30, 5.6), (40, 3.6), (50, 2), (60, .9),
                (75, .3), (90, .05), (100, 0)],
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


# ---------------------------------------------------------------- exact picks
def exact_pick(rng: np.random.Generator, weights: np.ndarray, k: int) -> np.ndarray:
    """Boolean mask with exactly k True, drawn without replacement proportionally to weights."""
    if k > len(weights):
        raise ValueError(f"cannot pick {k} of {len(weights)}")
    keys = np.log(np.asarray(weights, dtype=float)) - np.log(-np.log(rng.random(len(weights))))
    mask = np.zeros(len(weights), dtype=bool)
    mask[np.argsort(-keys, kind="stable")[:k]] = True
    return mask


def exact_labels(rng: np.random.Generator, counts: list[int] | np.ndarray) -> np.ndarray:
    """A shuffled array holding label i exactly counts[i] times."""
    labels = np.repeat(np.arange(len(counts)), counts)
    return labels[rng.permutation(len(labels))]


def apportion(total: int, shares: dict[str, float]) -> dict[str, int]:
    """Split total over the keys in proportion to shares (largest remainder: exact sum)."""
    s = np.array(list(shares.values()), dtype=float)
    raw = total * s / s.sum()
    out = np.floor(raw).astype(int)
    out[np.argsort(-(raw - out), kind="stable")[: total - out.sum()]] += 1
    return dict(zip(shares, out.tolist(), strict=True))


def link_people(rng: np.random.Generator, group_key: np.ndarray, repeat_share: float, buckets: int) -> np.ndarray:
    """Person numbers for rows: most rows are a new person; a share are repeat people, shared by rows with the
    same group key (e.g. role, sex and year of birth) so a repeat person's details stay consistent.
    Rows with group_key < 0 are always new people. Returns dense ints starting at 0, in shuffled order."""
    n = len(group_key)
    repeat = (rng.random(n) < repeat_share) & (group_key >= 0)
    key = np.where(repeat, group_key.astype(np.int64) * buckets + rng.integers(0, buckets, n),
                   -1 - np.arange(n, dtype=np.int64))
    _, inverse = np.unique(key, return_inverse=True)
    relabel = rng.permutation(inverse.max() + 1)
    return relabel[inverse]


# ---------------------------------------------------------------- output
def labels(idx: np.ndarray, values: tuple[str, ...] | list[str] | np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    """A string column from category indices (null where `null` is True)."""
    indices = pa.array(np.asarray(idx, dtype=np.int32), mask=null)
    return pa.DictionaryArray.from_arrays(indices, pa.array(list(values), pa.string())).cast(pa.string())


def refs(prefix: str | pa.Array, numbers: np.ndarray, width: int) -> pa.Array:
    """`prefix` + zero-padded numbers, e.g. MP/19/0001234."""
    digits = pc.utf8_lpad(pa.array(np.asarray(numbers, dtype=np.int64)).cast(pa.string()), width, "0")
    return pc.binary_join_element_wise(prefix, digits, "")


def write_csv(path: Path, columns: dict[str, pa.Array | np.ndarray]) -> Path:
    """Write one CSV (header, LF line endings, no quoting: values never hold commas or quotes)."""
    table = pa.table({k: v if isinstance(v, pa.Array | pa.ChunkedArray) else pa.array(v) for k, v in columns.items()})
    with open(path, "wb") as sink:
        sink.write((",".join(columns) + "\n").encode())
        pacsv.write_csv(table, sink, pacsv.WriteOptions(include_header=False, quoting_style="none"))
    return path
