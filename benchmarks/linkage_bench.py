"""Linkage benchmark: vrhub's linkage against bare splink, same settings, same records (docs/performance.md).

    python benchmarks/linkage_bench.py            # 1,000,000 records (BENCH_PEOPLE=100000 while developing)

1. synthetic people records across four agencies, with errors and the truth (`vrhub.synth.people`), in
   benchmarks/work/linkage/ (made once per size and seed);
2. vrhub: load the four files into a fresh data folder's vault (`Hub.ingest_people`), then `Hub.link` (a
   full run: decrypt the vault, prepare, train, score, calibrate, group, write person ids), then measured
   pairwise precision and recall against the truth (`Hub.link_quality`);
3. bare splink: the same records, prepared by the same query, in one DuckDB; splink's Linker with vrhub's
   settings and training (`vrhub.linkage.model`), predict, and splink's own clustering at the threshold,
   with its pairwise precision and recall against the same truth;
4. a table on stdout and benchmarks/linkage_results.json (with the load average before and after).

vrhub's link time is compared with bare splink's (target: within 1.3x, and under 5 minutes at 1M records on
the 2-core machine); the load (sealing records into the vault) is shown apart: bare splink has no load.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

import duckdb  # noqa: E402
import numpy as np  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.csv as pacsv  # noqa: E402

from vrhub.config import settings  # noqa: E402
from vrhub.hub import Hub  # noqa: E402
from vrhub.linkage import model as lm  # noqa: E402
from vrhub.linkage.prepare import FEATURES, ROW_BITS, features_sql, nicknames  # noqa: E402
from vrhub.synth.people import AGENCIES, generate_people  # noqa: E402

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "1000000"))
SEED = int(os.environ.get("BENCH_SEED", "14"))
WORK = HERE / "work" / "linkage" / f"{PEOPLE}-{SEED}"


def records() -> dict[str, Path]:
    marker = WORK / "done"
    paths = {agency: WORK / file for agency, (file, _, _) in AGENCIES.items()}
    paths["truth"] = WORK / "people_truth.csv"
    if not marker.exists():
        shutil.rmtree(WORK, ignore_errors=True)
        generate_people(WORK, PEOPLE, SEED)
        marker.touch()
    return paths


def pairwise(labels: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    """Pairwise precision and recall of a grouping against the truth (both arrays of group labels)."""
    con = duckdb.connect()
    con.register("g", pa.table({"c": labels, "t": truth}))
    sql = "SELECT coalesce(sum(n * (n - 1) / 2), 0)::DOUBLE FROM (SELECT count(*) n FROM g GROUP BY {})"
    both, found, true = (con.sql(sql.format(k)).fetchone()[0] for k in ("c, t", "c", "t"))
    return both / found, both / true


def run_vrhub(paths: dict[str, Path]) -> dict[str, object]:
    folder = Path(tempfile.mkdtemp(prefix="vrhub-linkage-bench-"))
    try:
        hub = Hub(settings(folder))
        start = time.perf_counter()
        loaded = 0
        for agency in AGENCIES:
            for summary in hub.ingest_people([paths[agency]], agency=agency):
                loaded += summary.rows_loaded
        load_seconds = time.perf_counter() - start
        start = time.perf_counter()
        # Each stage with its start, in seconds into the link: where vrhub's time goes.
        run = hub.link(
            progress=lambda m: print(f"   vrhub: {time.perf_counter() - start:6.1f} s: {m}", flush=True)
        )
        link_seconds = time.perf_counter() - start
        quality = hub.link_quality(truth=paths["truth"])
        assert quality.measured is not None
        return {
            "records_loaded": loaded,
            "load_seconds": round(load_seconds, 1),
            "link_seconds": round(link_seconds, 1),
            "people": run.people,
            "pairs_scored": run.pairs_scored,
            "prior": run.prior,
            "precision": quality.measured["precision"],
            "recall": quality.measured["recall"],
            "f1": quality.measured["f1"],
        }
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_bare_splink(paths: dict[str, Path]) -> dict[str, object]:
    """Splink as a user would run it with vrhub's settings: prepared records in, clusters out."""
    from splink import DuckDBAPI, Linker
    from splink.clustering import cluster_pairwise_predictions_at_threshold

    con = duckdb.connect()
    parts = []
    for code, agency in enumerate(AGENCIES):
        table = pacsv.read_csv(
            paths[agency],
            convert_options=pacsv.ConvertOptions(
                strings_can_be_null=True,
                # A column an agency leaves empty throughout (the police's email) is text, not nulls.
                column_types={c: pa.string() for c in ("date_of_birth", "nhs_number", "postcode", "email")},
            ),
        )
        n = table.num_rows
        if "email" not in table.column_names:  # a file without the column: unknown, as vrhub reads it
            table = table.append_column("email", pa.nulls(n, pa.string()))
        uid = (np.int64(code + 1) << ROW_BITS) + np.arange(2, n + 2, dtype=np.int64)
        parts.append(
            table.append_column("uid", pa.array(uid))
            .append_column("since", pa.array(uid))
            .append_column("agency", pa.array([agency] * n))
        )
    con.register("records", pa.concat_tables(parts))
    con.register("nicknames", nicknames())
    truth = pacsv.read_csv(
        paths["truth"], convert_options=pacsv.ConvertOptions(column_types={"cluster": pa.int64()})
    )
    con.register("truth", truth)
    start = time.perf_counter()
    con.execute(f"CREATE TABLE features AS {features_sql('records', 'nicknames')}")
    prepare_seconds = time.perf_counter() - start
    api = DuckDBAPI(con)
    linker = Linker(
        api.register(con.sql(f"SELECT uid, {', '.join(FEATURES)} FROM features").to_arrow_table()),
        lm.settings(),
        log_level=None,
    )
    lm.train(linker)
    scored = linker.inference.predict(threshold_match_probability=lm.THRESHOLD)
    clusters = cluster_pairwise_predictions_at_threshold(
        con.sql("SELECT uid FROM features").to_arrow_table(),
        scored,
        api,
        "uid",
        threshold_match_probability=lm.THRESHOLD,
    )
    link_seconds = time.perf_counter() - start
    con.register("clusters", clusters.as_duckdbpyrelation().select("uid, cluster_id").to_arrow_table())
    joined = con.sql(
        """SELECT c.cluster_id, t.cluster FROM clusters c JOIN records r USING (uid)
           JOIN truth t ON t.agency = r.agency AND t.record_ref = r.record_ref"""
    ).to_arrow_table()
    precision, recall = pairwise(joined["cluster_id"].to_numpy(), joined["cluster"].to_numpy())
    return {
        "prepare_seconds": round(prepare_seconds, 1),
        "link_seconds": round(link_seconds, 1),
        "people": int(con.sql("SELECT count(DISTINCT cluster_id) FROM clusters").fetchone()[0]),
        "prior": lm.prior(linker),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
    }


def main() -> None:
    before = os.getloadavg()
    print(f"-- {PEOPLE:,} synthetic people records (seed {SEED}) in {WORK}", flush=True)
    started = time.perf_counter()
    paths = records()
    generate_seconds = time.perf_counter() - started
    print("-- vrhub (load, link, quality)", flush=True)
    vrhub = run_vrhub(paths)
    print(f"   {vrhub}", flush=True)
    print("-- bare splink (same settings, same records)", flush=True)
    bare = run_bare_splink(paths)
    print(f"   {bare}", flush=True)
    ratio = vrhub["link_seconds"] / bare["link_seconds"]  # type: ignore[operator]
    result = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "records": PEOPLE,
        "seed": SEED,
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "load_average_before": before,
        "load_average_after": os.getloadavg(),
        "generate_seconds": round(generate_seconds, 1),
        "vrhub": vrhub,
        "bare_splink": bare,
        "link_ratio": round(ratio, 2),
        "targets": {"ratio": 1.3, "link_seconds": 300},
    }
    (HERE / "linkage_results.json").write_text(json.dumps(result, indent=1) + "\n")
    print()
    print(f"{'':24}{'vrhub':>12}{'bare splink':>14}")
    print(f"{'link (s)':24}{vrhub['link_seconds']:>12}{bare['link_seconds']:>14}")
    print(f"{'precision':24}{vrhub['precision']:>12}{bare['precision']:>14}")
    print(f"{'recall':24}{vrhub['recall']:>12}{bare['recall']:>14}")
    print(f"{'people':24}{vrhub['people']:>12}{bare['people']:>14}")
    print(f"load into the vault: {vrhub['load_seconds']} s; vrhub / bare splink: {ratio:.2f}x (target 1.3x)")
    print(f"load average before {before[0]:.2f}, after {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
