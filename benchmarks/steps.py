"""One benchmark step per process: `python benchmarks/steps.py STEP '{"arg": ...}'` prints one JSON line.

A process per step keeps each step's peak memory (ru_maxrss) its own, and lets run.py stop a step that
runs too long or grows too big.
"""

from __future__ import annotations

import json
import resource
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BYS = (("age_band", "sex"),)  # one call gives every measure, area and breakdown
# The police_records measures of the catalogue that measures.sql and pandas_measures.py compute too.
MEASURES = (
    "ho_knife_sv",
    "ho_knife_sv_suspect_u25",
    "ho_knife_sv_victim_u25",
    "ho_non_domestic_homicide",
    "ho_non_domestic_knife_homicide_u25",
    "local_sv_offences",
    "local_knife_sv",
    "local_sv_victims_u25",
    "local_knife_victims_u25",
    "police_group_change_2021",
    "ho_sv_offences",
    "local_sv_offences_u25_suspect",
    "local_sv_victims",
    "local_sv_suspects",
    "local_sv_offences_appendix",
    "local_sv_victims_u25_appendix",
    "ho_hotspot_offences",
    "ho_knife_offences",
    "ho_gun_crime",
)


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KiB on Linux


def _cpu() -> float:
    """CPU seconds used by this process so far, all threads (wall time suffers more from a busy machine)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _timed(fn: Callable[[], Any]) -> tuple[dict, Any]:
    start, cpu = time.perf_counter(), _cpu()
    result = fn()
    return {"seconds": round(time.perf_counter() - start, 4), "cpu_seconds": round(_cpu() - cpu, 3)}, result


def _best(fn: Callable[[], Any], repeats: int, budget: float) -> tuple[dict, Any]:
    """Run fn up to `repeats` times (fewer once `budget` seconds are spent): the fastest run's wall and CPU
    seconds, every run's wall seconds, and the last result."""
    runs, result = [], None
    while len(runs) < repeats and (not runs or sum(r["seconds"] for r in runs) < budget):
        clock, result = _timed(fn)
        runs.append(clock)
    best = min(runs, key=lambda r: r["seconds"])
    return {**best, "runs": [r["seconds"] for r in runs]}, result


def generate(rows: int, path: str, seed: int) -> dict:
    try:
        from vrhub.synth import generate_police_records_bulk
    except ImportError:  # while vrhub.synth does not export it yet
        from vrhub.synth.police import generate_police_records_bulk
    clock, _ = _timed(lambda: generate_police_records_bulk(rows, Path(path), seed))
    return clock


def ingest(path: str, data_dir: str) -> dict:
    import vrhub.measures.cube as cube
    from vrhub.config import settings
    from vrhub.hub import Hub

    folder = Path(data_dir)
    shutil.rmtree(folder, ignore_errors=True)
    hub = Hub(settings(data_dir=folder, warehouse=str(folder / "warehouse.duckdb")))
    hub.init()  # a fresh warehouse with its reference data: not timed
    counting = []  # the part of the ingest spent counting the measures (measure_counts), reported apart
    recount = cube.recount  # the listener the hub wires to every warehouse it opens for writing

    def timed_recount(*args: Any) -> None:
        start = time.perf_counter()
        recount(*args)
        counting.append(time.perf_counter() - start)

    cube.recount = timed_recount
    # The snapshot for other tools, published after every write (warehouse/snapshots.py), is timed apart
    # too: its cost grows with the whole warehouse, not with the file, and no floor of the load includes it.
    publishing = []
    publish = Hub._publish

    def timed_publish(self: Hub, wh: Any) -> Any:
        start = time.perf_counter()
        try:
            return publish(self, wh)
        finally:
            publishing.append(time.perf_counter() - start)

    Hub._publish = timed_publish  # type: ignore[method-assign]
    clock, summaries = _timed(lambda: [s.as_json() for s in hub.ingest("police-records", [Path(path)])])
    return {
        **clock,
        "summary": summaries[0],
        "counting_seconds": round(sum(counting), 3),
        "snapshot_seconds": round(sum(publishing), 3),
    }


def bare_csv(path: str, db: str, pseudonymise: bool = False) -> dict:
    """DuckDB's own load of the file; with `pseudonymise`, plus what no faster ingest can skip: the two
    identifiers replaced by their pseudonyms (vrhub's SQL for a new warehouse's scheme) and the SHA-256 row
    key."""
    import duckdb

    from vrhub.pseudonymise import Pseudonymiser

    Path(db).unlink(missing_ok=True)
    query = f"SELECT * FROM read_csv('{path}')"
    if pseudonymise:
        pseudonyms = Pseudonymiser(b"0" * 64)
        hashed = (
            f"SELECT * EXCLUDE (crime_ref, person_ref), {pseudonyms.sql('crime_ref')} AS crime_key, "
            f"{pseudonyms.sql('person_ref')} AS person_key FROM read_csv('{path}')"
        )
        parts = ", ".join(
            f"coalesce(CAST({c} AS VARCHAR), '')"
            for c in ("crime_key", "person_role", "person_key", "age", "sex")
        )
        query = f"SELECT *, sha256(concat_ws(chr(31), {parts})) AS row_key FROM ({hashed})"

    def load() -> int:
        con = duckdb.connect(db)
        con.execute(f"CREATE TABLE t AS {query}")
        rows = con.execute("SELECT count(*) FROM t").fetchone()[0]
        con.close()  # the checkpoint to disk is part of the load, as it is in vrhub's
        return rows

    clock, rows = _timed(load)
    return {**clock, "rows": rows}


def vrhub_measures(data_dir: str, out: str, repeats: int, from_records: bool = False) -> dict:
    """Every police_records measure for every area and breakdown in one `Hub.measures` call. It reads the
    counts made at load (measure_counts); with `from_records`, it ignores them and scans the records."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from vrhub.config import settings
    from vrhub.hub import Hub
    from vrhub.measures import MeasureRequest, builtin_catalogue, cube

    if from_records:
        cube.complete = lambda wh, source: set()

    folder = Path(data_dir)
    hub = Hub(settings(data_dir=folder, warehouse=str(folder / "warehouse.duckdb")))
    catalogue = [m.id for m in builtin_catalogue().measures.values() if m.source == "police_records"]
    ids = [m for m in catalogue if m in MEASURES]
    per_call: dict[str, list[float]] = {str(by): [] for by in BYS}

    def all_calls() -> list[pa.Table]:
        tables = []
        for by in BYS:
            start = time.perf_counter()
            tables.append(hub.measures(MeasureRequest(measures=ids, by=list(by))).table)
            per_call[str(by)].append(round(time.perf_counter() - start, 4))
        return tables

    clock, tables = _best(all_calls, repeats, budget=120)
    keep = ["measure_id", "period", "area_code", "breakdown", "value"]
    pq.write_table(pa.concat_tables([t.select(keep) for t in tables]), out)
    return {
        **clock,
        "per_call": {k: min(v) for k, v in per_call.items()},
        "measures": ids,
        "not_benchmarked": [m for m in catalogue if m not in MEASURES],
        "not_in_catalogue": [m for m in MEASURES if m not in catalogue],
    }


def sql_measures(warehouse: str, out: str, repeats: int) -> dict:
    import duckdb
    import pyarrow.parquet as pq

    query = (HERE / "measures.sql").read_text()

    def once():
        con = duckdb.connect(warehouse, read_only=True)  # opening is timed, as vrhub opens it per call
        try:
            return con.sql(query).to_arrow_table()
        finally:
            con.close()

    clock, table = _best(once, repeats, budget=120)
    pq.write_table(table, out)
    return clock


def pandas_measures(warehouse: str, out: str, repeats: int) -> dict:
    import duckdb
    import pandas_measures as pm

    con = duckdb.connect(warehouse, read_only=True)
    start = time.perf_counter()
    df = pm.load(con)
    load_seconds = round(time.perf_counter() - start, 3)
    con.close()
    clock, result = _best(lambda: pm.compute(df), repeats, budget=180)
    result.to_parquet(out, index=False)
    frame_mb = round(df.memory_usage(deep=True).sum() / 2**20, 1)
    return {**clock, "load_seconds": load_seconds, "frame_mb": frame_mb}


STEPS = {f.__name__: f for f in (generate, ingest, bare_csv, vrhub_measures, sql_measures, pandas_measures)}

if __name__ == "__main__":
    result = STEPS[sys.argv[1]](**json.loads(sys.argv[2]))
    print(json.dumps({**result, "peak_rss_mb": _peak_mb()}))
