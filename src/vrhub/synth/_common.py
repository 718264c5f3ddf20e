"""Shared building blocks for the synthetic demo data: geography, exact picks, repeat people, CSV output.

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

YEARS = (2018, 2019, 2020, 2021)  # the demo data run from April 2018 to December 2021

# Merseyside boroughs (LAD codes), in a fixed order used everywhere in this package.
BOROUGH_CODES = ("E08000011", "E08000012", "E08000013", "E08000014", "E08000015")
BOROUGH_POP = np.array([152452, 500474, 181095, 275899, 324336], dtype=float)  # ONS mid-2020


# ---------------------------------------------------------------- geography
@functools.cache
def lsoas() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """2011-vintage LSOA codes, names and borough index (0-4), sorted by code."""
    text = resources.files("vrhub").joinpath("data", "merseyside_lsoa_to_lad.csv").read_text("utf-8")
    rows = [r for r in csv.DictReader(text.splitlines()) if r["lsoa_vintage"].strip() == "2011"]
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
    elif kind == "residence":  # where victims live: population, deprivation, a student-heavy centre
        rate, sigma, centre = np.array([1.25, 1.3, 0.95, 0.8, 0.85]), 0.45, 2.0
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


def pick_lsoa_in_borough(
    rng: np.random.Generator, borough_of_row: np.ndarray, weights: np.ndarray
) -> np.ndarray:
    """An LSOA index for each row, inside the row's borough (0-4)."""
    _, _, borough = lsoas()
    out = np.empty(len(borough_of_row), dtype=np.int64)
    for b in range(5):
        rows = np.flatnonzero(borough_of_row == b)
        idx = np.flatnonzero(borough == b)
        out[rows] = idx[pick_lsoa(rng, len(rows), weights[idx])]
    return out


# ---------------------------------------------------------------- exact picks
def exact_pick(rng: np.random.Generator, weights: np.ndarray, k: int) -> np.ndarray:
    """Boolean mask with exactly k True, drawn without replacement proportionally to weights."""
    if not 0 <= k <= len(weights):
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


def link_people(
    rng: np.random.Generator,
    group_key: np.ndarray,
    repeat_share: float | np.ndarray,
    per_person: float | np.ndarray,
) -> np.ndarray:
    """Person numbers for rows: most rows are a new person; a share are repeat people (about `per_person`
    rows each), shared by rows with the same group key (e.g. role, sex and year of birth) so a repeat
    person's details stay consistent. Rows with group_key < 0 are always new people.
    Returns dense ints from 0, in shuffled order."""
    n = len(group_key)
    repeat = (rng.random(n) < repeat_share) & (group_key >= 0)
    _, inverse, counts = np.unique(np.where(repeat, group_key, -1), return_inverse=True, return_counts=True)
    buckets = np.maximum(1, np.round(counts[inverse] / per_person)).astype(np.int64)
    bucket = (rng.random(n) * buckets).astype(np.int64)
    key = np.where(repeat, group_key.astype(np.int64) * 1_000_000 + bucket, -1 - np.arange(n, dtype=np.int64))
    _, inverse = np.unique(key, return_inverse=True)
    return rng.permutation(inverse.max() + 1)[inverse]


# ---------------------------------------------------------------- output
def labels(
    idx: np.ndarray, values: tuple[str, ...] | list[str] | np.ndarray, null: np.ndarray | None = None
) -> pa.Array:
    """A string column from category indices (null where `null` is True)."""
    indices = pa.array(np.asarray(idx, dtype=np.int32), mask=null)
    return pa.DictionaryArray.from_arrays(indices, pa.array(list(values), pa.string())).cast(pa.string())


def datetimes(values: np.ndarray) -> pa.Array:
    """`YYYY-MM-DD HH:MM` strings from numpy datetime64 values."""
    text = np.datetime_as_string(values.astype("datetime64[m]"), unit="m")  # no time-zone database needed
    return pa.array(np.char.replace(text, "T", " "))


def refs(prefix: str | pa.Array, numbers: np.ndarray, width: int) -> pa.Array:
    """`prefix` + zero-padded numbers, e.g. MP/19/0001234."""
    digits = pc.utf8_lpad(pa.array(np.asarray(numbers, dtype=np.int64)).cast(pa.string()), width, "0")
    return pc.binary_join_element_wise(prefix, digits, "")


def write_csv(path: Path, columns: dict[str, pa.Array | np.ndarray]) -> Path:
    """Write one CSV (header, LF line endings, no quoting: values never hold commas or quotes)."""
    table = pa.table(
        {k: v if isinstance(v, pa.Array | pa.ChunkedArray) else pa.array(v) for k, v in columns.items()}
    )
    with open(path, "wb") as sink:
        sink.write((",".join(columns) + "\n").encode())
        pacsv.write_csv(table, sink, pacsv.WriteOptions(include_header=False, quoting_style="none"))
    return path
