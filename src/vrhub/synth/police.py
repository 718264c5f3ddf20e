"""police_records.csv: the demo extract (exact published counts) and a fast bulk writer for benchmarks."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from vrhub.synth import targets as T
from vrhub.synth._common import labels, lsoa_weights, lsoas, pick_lsoa, refs, write_csv
from vrhub.synth._dists import sample_days
from vrhub.synth.people_place import take_police_rows
from vrhub.synth.people_world import World
from vrhub.synth.place_effect import displace
from vrhub.synth.police_plan import CODES, PROFILES, demo_crimes, people_counts
from vrhub.synth.police_rows import expand

COLUMNS = ("crime_ref", "recorded_date", "committed_date", "offence_code", "knife_flag", "firearm_flag",
           "domestic_flag", "lsoa_code", "person_role", "person_ref", "age", "sex")  # fmt: skip
SCHEMA = pa.schema(
    [(c, pa.date32() if c.endswith("_date") else pa.int16() if c == "age" else pa.string()) for c in COLUMNS]
)
_YN = ("N", "Y")
_SEXUAL = [CODES.index(c) for c in ("20A", "19C", "17A")]


def _place_and_date(
    crimes: dict[str, np.ndarray], rng: np.random.Generator, weights: np.ndarray, sort: bool = True
) -> None:
    """Committed and recorded dates and LSOA per crime; then sort the crimes by committed date (or, unsorted,
    shuffle them so that cutting a bulk chunk short drops crimes at random)."""
    n = len(crimes["code"])
    committed = np.empty(n, "datetime64[D]")
    for year in np.unique(crimes["year"]).tolist():
        rows = np.flatnonzero(crimes["year"] == year)
        committed[rows] = sample_days(rng, year, len(rows), "violence")
    u = rng.random(n)
    delay = np.select(
        [u < 0.55, u < 0.82, u < 0.97],
        [0, rng.integers(1, 4, n), rng.integers(4, 31, n)],
        rng.integers(31, 400, n),
    )
    late_report = np.isin(crimes["code"], _SEXUAL) & (rng.random(n) < 0.35)
    delay = np.where(late_report, rng.integers(31, 700, n), delay)
    crimes["committed"] = committed
    crimes["recorded"] = committed + delay.astype("timedelta64[D]")
    crimes["lsoa"] = pick_lsoa(rng, n, weights)
    crimes["no_lsoa"] = rng.random(n) < 0.005
    order = np.lexsort((rng.random(n), committed)) if sort else rng.permutation(n)
    for key in list(crimes):
        crimes[key] = crimes[key][order]


def _crime_refs(crimes: dict[str, np.ndarray], rng: np.random.Generator, first: int, gaps: bool) -> pa.Array:
    """MP/yy/nnnnnnn by recorded year; numbers rise with the recorded date (with gaps: other crimes)."""
    n = len(crimes["code"])
    ryear = crimes["recorded"].astype("datetime64[Y]").astype(np.int64) + 1970
    order = np.lexsort((rng.random(n), crimes["recorded"]))
    step = rng.integers(1, 7, n) if gaps else np.ones(n, np.int64)
    cum = np.cumsum(step)
    seq = np.empty(n, np.int64)
    if gaps:  # numbering restarts each year
        years = ryear[order]
        starts = np.searchsorted(years, years, side="left")
        seq[order] = cum - np.concatenate([[0], cum])[starts]
    else:  # bulk: one running number keeps references unique across chunks
        seq[order] = first + cum
    prefixes = [f"MP/{y % 100:02d}/" for y in range(2018, 2025)]
    return refs(labels(ryear - 2018, prefixes), seq, 7)


def _table(
    crimes: dict[str, np.ndarray], rows: dict[str, np.ndarray], crime_ref: pa.Array, first_person: int
) -> pa.Table:
    crime = rows["crime"]
    take = pa.array(crime)
    person = rows["person"]
    person_ref = pc.if_else(
        pa.array(person < 0), pa.scalar(None, pa.string()), refs("P", np.maximum(person, 0) + first_person, 7)
    )
    lsoa_codes = lsoas()[0]
    columns = {
        "crime_ref": crime_ref.take(take),
        "recorded_date": pa.array(crimes["recorded"][crime]),
        "committed_date": pa.array(crimes["committed"][crime]),
        "offence_code": labels(crimes["code"][crime], CODES),
        "knife_flag": labels(crimes["knife"][crime], _YN),
        "firearm_flag": labels(crimes["firearm"][crime], _YN),
        "domestic_flag": labels(crimes["domestic"][crime], _YN),
        "lsoa_code": labels(crimes["lsoa"][crime], lsoa_codes, null=crimes["no_lsoa"][crime]),
        "person_role": labels(rows["role"], ("victim", "suspect", "none")),
        "person_ref": person_ref,
        "age": pa.array(rows["age"], pa.int16(), mask=rows["age"] < 0),
        "sex": labels(np.maximum(rows["sex"], 0), ("M", "F", "U"), null=rows["sex"] < 0),
    }
    return pa.table(columns, schema=SCHEMA)


def write_police_records(path: Path, seed: int, world: World | None = None) -> Path:
    """The demo extract, April 2018 to December 2021, reproducing the strategy's police figures, with the
    planted place-based effect and (given `world`) its young people on some of the rows."""
    rng = np.random.default_rng([seed, 1])
    crimes = demo_crimes(rng)
    _place_and_date(crimes, rng, lsoa_weights(np.random.default_rng([seed, 0]), "violence"))
    displace(crimes, np.random.default_rng([seed, 5]))  # its own draws: the figures above are unchanged
    rows = expand(crimes, rng, exact_u25=T.SV_VICTIMS_U25)
    if world is not None:
        take_police_rows(world, crimes, rows)
    table = _table(crimes, rows, _crime_refs(crimes, rng, 0, gaps=True), 1)
    return write_csv(path, {name: table[name] for name in COLUMNS})


def bulk_crimes(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """n crimes sampled with the demo plan's mix (years 2018-2021), no exact counts."""
    mix = _bulk_mix()
    pick = np.searchsorted(np.cumsum(mix["p"]), rng.random(n) * mix["p"].sum(), side="right")
    pick = pick.clip(0, len(mix["p"]) - 1)
    crimes = {k: mix[k][pick].copy() for k in ("year", "code", "knife", "firearm", "vmode", "smode")}
    dom_p = np.array([PROFILES[c][0] for c in CODES])
    crimes["domestic"] = rng.random(n) < dom_p[crimes["code"]]
    crimes["n_vict"] = np.full(n, -1, np.int8)
    blade = crimes["code"] == CODES.index("10D")
    crimes["n_vict"][blade] = (rng.random(int(blade.sum())) < 0.1).astype(np.int8)
    crimes["vmode"][blade] = 0
    crimes["smode"][blade] = 0
    people_counts(crimes, rng)
    return crimes


@functools.cache
def _bulk_mix() -> dict[str, np.ndarray]:
    crimes = demo_crimes(np.random.default_rng(0))
    key = (
        (crimes["year"].astype(np.int64) * 100 + crimes["code"]) * 4 + crimes["knife"] * 2 + crimes["firearm"]
    ) * 3
    key = (key + crimes["vmode"]) * 3 + crimes["smode"]
    _, first, counts = np.unique(key, return_index=True, return_counts=True)
    out = {k: crimes[k][first] for k in ("year", "code", "knife", "firearm", "vmode", "smode")}
    out["p"] = counts.astype(float)
    return out


def generate_police_records_bulk(n_rows: int, path: Path, seed: int = 1, chunk_rows: int = 500_000) -> Path:
    """Write n_rows police-records rows (any years 2018-2021, the demo's mix), streaming in chunks."""
    path = Path(path)
    weights = lsoa_weights(np.random.default_rng([seed, 0]), "violence")
    written = first_ref = first_person = chunk = 0
    with open(path, "wb") as sink:
        sink.write((",".join(COLUMNS) + "\n").encode())
        writer = pacsv.CSVWriter(
            sink, SCHEMA, write_options=pacsv.WriteOptions(include_header=False, quoting_style="none")
        )
        while written < n_rows:
            rng = np.random.default_rng([seed, 100 + chunk])
            want = min(chunk_rows, n_rows - written)
            crimes = bulk_crimes(rng, max(16, int(want / 2.0) + 8))
            _place_and_date(crimes, rng, weights, sort=False)
            rows = expand(crimes, rng)
            table = _table(crimes, rows, _crime_refs(crimes, rng, first_ref, gaps=False), first_person)
            table = table.slice(0, want)
            writer.write_table(table)
            written += table.num_rows
            first_ref += len(crimes["code"])
            first_person += int(rows["person"].max()) + 1
            chunk += 1
        writer.close()
    return path
