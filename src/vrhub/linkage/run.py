"""A linkage run: the vault's records in, people out (`person_links` in the warehouse), audited.

A full run trains the model on every current record, scores every blocked pair and groups the records into
people. A later run links incrementally: the records of loads since the last run are scored against each
other and against everyone already linked, with the model the last full run trained, and join (or merge)
the people they match; people no new record touches are left as they are. A full run can be asked for at
any time (`full=True`); the first run is always one.

Everything clear stays in this process's memory: the vault is decrypted into a private in-memory DuckDB,
splink works there (or in Spark's local workers), and only pseudonyms leave for the warehouse.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from vrhub.errors import VrhubError
from vrhub.linkage import model as lm
from vrhub.linkage.clusters import anchors, components, existing_pairs, lone_pairs
from vrhub.linkage.engines import Engine
from vrhub.linkage.engines import engine as make_engine
from vrhub.linkage.prepare import FEATURES, ROW_BITS, current_sql, features_sql, nicknames
from vrhub.linkage.vault import Vault
from vrhub.pseudonymise import Pseudonymiser
from vrhub.sources.identifiers import comparable
from vrhub.warehouse import Warehouse
from vrhub.warehouse.tables import SCHEMAS

Progress = Callable[[str], None]
TF_COLUMNS = ("forename", "surname", "address", "email")


@dataclass
class LinkRun:
    run_id: int
    engine: str
    mode: str  # full, or incremental
    records: int  # current people records linked
    new_records: int  # of them, records no earlier run had linked
    pairs_scored: int  # pairs scored at least `SCORE_FLOOR` likely (one in a thousand)
    pairs_linked: int  # of them, pairs at or above the threshold
    lone_records_joined: int  # records the threshold left alone, joined to their likeliest partner
    people: int
    threshold: float
    prior: float
    seconds: float
    skipped_training: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def link_people(
    wh: Warehouse,
    vault: Vault,
    pseudonyms: Pseudonymiser,
    engine: str = "duckdb",
    full: bool = False,
    threshold: float = lm.THRESHOLD,
    user: str | None = None,
    progress: Progress | None = None,
) -> LinkRun:
    note = progress or (lambda _message: None)
    started = time.perf_counter()
    local = duckdb.connect()
    try:
        note("decrypting the vault's records")
        records = _current(local, vault)
        n = records.num_rows
        if n == 0:
            raise VrhubError("there are no people records to link", "Load people records first.")
        uids = records["uid"].to_numpy()
        known = _linked_before(wh, uids)
        previous = vault.last_run()
        incremental = not full and previous is not None and len(known) > 0
        run_id = vault.next_run_id()
        worker = make_engine(engine)
        try:
            if incremental:
                assert previous is not None
                note(f"linking {n - len(known):,} new records to {len(known):,} linked before ({engine})")
                left, right, bayes, model, lam = _incremental(worker, records, known, previous)
                skipped: list[str] = []
            else:
                note(f"training the model and scoring pairs among {n:,} records ({engine})")
                left, right, bayes, model, lam, skipped = _full(worker, records)
        finally:
            worker.close()
        probabilities = lm.probability(bayes, lam)
        linked = probabilities >= threshold
        note("grouping records into people")
        a, b = left[linked], right[linked]
        if incremental:
            held_a, held_b = existing_pairs(known["uid"].to_numpy(), known["person_id"])
            a, b = np.concatenate([a, held_a]), np.concatenate([b, held_b])
        labels = components(uids, a, b)
        lone_a, lone_b = lone_pairs(uids, labels, left, right, probabilities, lm.LONE_RECORD_FLOOR)
        if lone_a.size:
            labels = components(uids, np.concatenate([a, lone_a]), np.concatenate([b, lone_b]))
        anchor = anchors(labels, records["since"].to_numpy())
        links = _person_links(local, records, anchor, pseudonyms, run_id)
        run = LinkRun(
            run_id=run_id,
            engine=engine,
            mode="incremental" if incremental else "full",
            records=n,
            new_records=n - len(known) if incremental else n,
            pairs_scored=int(bayes.size),
            pairs_linked=int(linked.sum()),
            lone_records_joined=int(lone_a.size),
            people=int(np.unique(labels).size),
            threshold=threshold,
            prior=lam,
            seconds=0.0,
            skipped_training=skipped,
        )
        keep = probabilities >= lm.KEEP_PAIRS_ABOVE
        pairs = pa.table(
            {
                "uid_l": left[keep],
                "uid_r": right[keep],
                "match_weight": bayes[keep] + lm.odds_weight(lam),
                "match_probability": probabilities[keep],
            }
        )
        if incremental:
            assert previous is not None
            pairs = _with_earlier(pairs, vault.run_pairs(previous["run_id"]), uids)
        note("writing person ids")
        with wh.transaction():
            wh.execute("DELETE FROM person_links")
            wh.insert("person_links", links)
            with vault.transaction():
                vault.save_run(run_id, engine, run.mode, threshold, model, pairs)
                vault.drop_runs_before(run_id)
                run.seconds = round(time.perf_counter() - started, 2)
                vault.audit("link", n, _audit_detail(run, model, float(probabilities.sum())), user=user)
        return run
    finally:
        local.close()


def _current(local: duckdb.DuckDBPyConnection, vault: Vault) -> pa.Table:
    """The current records, prepared for the model, with their identity (agency, refs, load and row)."""
    local.register("vault_records", vault.records())
    local.register("nicknames", nicknames())
    local.execute(f"CREATE TEMP TABLE current AS {current_sql('vault_records')}")
    local.unregister("vault_records")
    local.execute(f"CREATE TEMP TABLE features AS {features_sql('current', 'nicknames')}")
    return local.sql(
        """SELECT f.*, c.record_ref, c.source, c.source_ref, c.load_id, c.row_number, c.file_name
           FROM features f JOIN current c USING (uid) ORDER BY f.uid"""
    ).to_arrow_table()


def _linked_before(wh: Warehouse, uids: np.ndarray) -> pa.Table:
    """The current records an earlier run linked, with the person each was given (`uid`, `person_id`)."""
    links = wh.to_arrow(wh.table("person_links").select("load_id", "row_number", "person_id"))
    if links.num_rows == 0:
        return pa.table({"uid": pa.array([], pa.int64()), "person_id": pa.array([], pa.string())})
    uid = np.left_shift(links["load_id"].to_numpy(), ROW_BITS) + links["row_number"].to_numpy()
    current = np.isin(uid, uids)
    return pa.table({"uid": uid[current], "person_id": links["person_id"].filter(pa.array(current))})


def _model_input(records: pa.Table) -> pa.Table:
    return records.select(["uid", *FEATURES])


def _scored(worker: Engine, scored: Any, start: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    pairs = worker.pairs(scored)
    weights = pairs["match_weight"].to_numpy(zero_copy_only=False).astype(np.float64)
    return (
        pairs["uid_l"].to_numpy(zero_copy_only=False).astype(np.int64),
        pairs["uid_r"].to_numpy(zero_copy_only=False).astype(np.int64),
        weights - lm.odds_weight(start),
    )


def _full(
    worker: Engine, records: pa.Table
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, Any], float, list[str]]:
    linker = worker.linker(_model_input(records), lm.settings())
    skipped = lm.train(linker)
    # A start the data cannot give (no pair agreed, or every pair did): a small one, refined below.
    start = lm.prior(linker) if 1e-12 < lm.prior(linker) < 0.5 else 1e-4
    lm.set_prior(linker, start)
    # The rest are near-certain non-matches: bringing them out of the engine costs more than they weigh.
    scored = linker.inference.predict(
        threshold_match_weight=lm.odds_weight(lm.SCORE_FLOOR), warning_mode="never"
    )
    left, right, bayes = _scored(worker, scored, start)
    lam = lm.calibrate(bayes, records.num_rows, start)
    lm.set_prior(linker, lam)
    return left, right, bayes, linker.misc.save_model_to_json(), lam, skipped


def _incremental(
    worker: Engine, records: pa.Table, known: pa.Table, previous: dict[str, Any]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, Any], float]:
    model = previous["model"]
    lam = float(model["probability_two_random_records_match"])
    is_known = np.isin(records["uid"].to_numpy(), known["uid"].to_numpy())
    new = _model_input(records.filter(pa.array(~is_known)))
    if new.num_rows == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0), model, lam
    linker = worker.linker(_model_input(records), model)
    for column in TF_COLUMNS:
        linker.table_management.compute_tf_table(column)
    floor = lm.odds_weight(lm.SCORE_FLOOR)
    new_frame = worker.register(new)
    within = linker.inference.predict_within(new_frame, threshold_match_weight=floor, warning_mode="never")
    old_frame = worker.register(_model_input(records.filter(pa.array(is_known))))
    between = linker.inference.predict_between(
        new_frame, old_frame, threshold_match_weight=floor, warning_mode="never"
    )
    parts = [_scored(worker, within, lam), _scored(worker, between, lam)]
    left, right, bayes = (np.concatenate([p[i] for p in parts]) for i in range(3))
    return left, right, bayes, model, lam


def _with_earlier(pairs: pa.Table, earlier: pa.Table, uids: np.ndarray) -> pa.Table:
    """An incremental run's pairs with the earlier runs' pairs of records still current, so that the
    quality report describes every pair of the people linked, not only the new records' (and a run that
    finds nothing new leaves the report as it was). Both were scored by the same model and prior."""
    current = pa.array(uids)
    still = pc.and_(pc.is_in(earlier["uid_l"], current), pc.is_in(earlier["uid_r"], current))
    return pa.concat_tables([earlier.filter(still).cast(pairs.schema), pairs])


def _person_links(
    local: duckdb.DuckDBPyConnection,
    records: pa.Table,
    anchor: np.ndarray,
    pseudonyms: Pseudonymiser,
    run_id: int,
) -> pa.Table:
    """One row per current record, with nothing clear: the pseudonyms are made in SQL, the person id from
    the anchor record's agency and reference."""
    identity = records.select(
        ["agency", "record_ref", "source", "source_ref", "load_id", "row_number", "file_name"]
    )
    anchored = identity.append_column("anchor_agency", identity["agency"].take(pa.array(anchor)))
    anchored = anchored.append_column("anchor_ref", identity["record_ref"].take(pa.array(anchor)))
    local.register("anchored", anchored)
    ref = comparable("identifier", "record_ref")
    person = pseudonyms.sql(
        f"'person' || chr(31) || anchor_agency || chr(31) || {comparable('identifier', 'anchor_ref')}"
    )
    rows = local.sql(
        f"""SELECT agency, {pseudonyms.sql(ref)} AS record_key, source,
                   {pseudonyms.sql(comparable("identifier", "source_ref"))} AS source_key,
                   {person} AS person_id, {run_id}::BIGINT AS run_id, load_id, file_name, row_number
            FROM anchored"""
    ).to_arrow_table()
    local.unregister("anchored")
    return rows.cast(SCHEMAS["person_links"].to_pyarrow())


def _audit_detail(run: LinkRun, model: dict[str, Any], expected_matches: float) -> dict[str, Any]:
    """What the audit keeps of a run: its counts and settings, and the model's parameters (m and u of
    each level, and the prior), without the term frequency tables (which hold names)."""
    levels = [
        {
            "comparison": comparison.get("output_column_name"),
            "level": level.get("label_for_charts") or level.get("sql_condition"),
            "m": level.get("m_probability"),
            "u": level.get("u_probability"),
        }
        for comparison in model.get("comparisons", [])
        for level in comparison.get("comparison_levels", [])
        if not level.get("is_null_level")
    ]
    return {
        **run.as_json(),
        "expected_matches": round(expected_matches, 1),
        "settings": {
            "blocking_rules": [
                r.get("blocking_rule") for r in model.get("blocking_rules_to_generate_predictions", [])
            ],
            "threshold_match_probability": run.threshold,
            "link_type": model.get("link_type"),
        },
        "model": {"probability_two_random_records_match": run.prior, "levels": levels},
    }
