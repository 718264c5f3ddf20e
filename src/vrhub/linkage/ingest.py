"""Load a people file: every row kept in the vault, quarantined, or skipped as a duplicate, and counted.

The file is read by the sources' own staging (`vrhub.sources`: header checks, structural rejects, row
numbers, problems and the quarantine), on a private in-memory DuckDB connection, never the warehouse's: the
clear values go from there to the vault, sealed. The warehouse receives the load's record (`loads`) and the
quarantined rows with their identifiers pseudonymised, in one transaction with the vault's write.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from vrhub.errors import BadValue, InputRefused
from vrhub.linkage.vault import COLUMNS, Vault, VaultLoad, now
from vrhub.sources.context import IngestContext
from vrhub.sources.ingest import LoadSummary, file_sha256
from vrhub.sources.people import CLEAR, SPEC
from vrhub.sources.problems import (
    check_structure,
    number_rows,
    problem_counts,
    refusal,
    refusal_hint,
    stage_quarantine,
)
from vrhub.sources.reading import check_columns, quote_ident, read_header, readable, stage_raw
from vrhub.sources.staging import Staged, count_rows, problem_sql, typed_sql
from vrhub.warehouse import Warehouse
from vrhub.warehouse.tables import SCHEMAS

Progress = Callable[[str], None]
_counter = itertools.count(1)
CONFLICT = "the same record_ref as an earlier row of this file, with different values"
_CONTENT = [c for c in COLUMNS if c != "row_number"]


@dataclass
class PeopleLoadSummary(LoadSummary):
    agency: str = ""


def ingest_people(
    wh: Warehouse,
    vault: Vault,
    path: Path,
    agency: str,
    ctx: IngestContext,
    encoding: str | None = None,
    progress: Progress | None = None,
    user: str | None = None,
) -> PeopleLoadSummary:
    """Load one people file for `agency`. `ctx.con` must be a connection of its own (the clear values are
    staged on it): never the warehouse's."""
    note = progress or (lambda _stage: None)
    agency = agency.strip()
    if not agency:
        raise BadValue(
            "the agency is blank",
            "Name the agency that holds these records.",
            parameter="agency",
            value=agency,
        )
    summary = PeopleLoadSummary(file=str(path), source=SPEC.name, agency=agency)
    chosen = encoding is not None  # read anew, as `vrhub.sources.ingest.ingest_file` does
    encoding = encoding or SPEC.encoding
    header = read_header(path, encoding)
    missing = check_columns(path, SPEC, header)
    note("checking")
    sha = file_sha256(path)
    if not missing and not chosen:
        previous = vault.loaded(agency, sha)
        if previous is not None:
            summary.rows_read = summary.duplicates_skipped = previous.rows
            summary.load_id, summary.already_loaded = previous.load_id, True
            return summary
    con = ctx.con
    prefix = f"people{next(_counter)}"
    try:
        with readable(path, encoding) as (source, duck_encoding):
            note("reading")
            raw, rejects = stage_raw(con, path, source, header, duck_encoding, prefix)
            check_structure(con, path, header, raw, rejects)
            con.raw_sql(
                f"CREATE TEMP TABLE {prefix}_typed AS {typed_sql(CLEAR, header, raw, ctx.pseudonyms)}"
            )
            _mark_conflicts(con, prefix)
            numbers = number_rows(con, source, header, duck_encoding, prefix, rejects)
            problems = problem_counts(con, prefix, rejects, numbers)
            if missing:
                raise InputRefused(
                    refusal(path, SPEC, header, missing, problems), refusal_hint(SPEC, missing)
                )
            summary.problems = problems
            note("loading")
            staged = Staged(path, header, prefix, rejects, numbers)
            bad = count_rows(con, f"FROM {prefix}_typed WHERE len(__problems) > 0")
            rejected = count_rows(con, f"FROM (SELECT DISTINCT line FROM {rejects})")
            if bad or rejected:
                stage_quarantine(SPEC, ctx, staged)
            rows = _new_rows(con, prefix, numbers, vault, agency)
            _load(wh, vault, path, agency, sha, ctx, staged, rows, bad + rejected, summary, user)
    finally:
        _drop(con, prefix)
    return summary


def _mark_conflicts(con: Any, prefix: str) -> None:
    """A record stands once in a file: a later row with its record_ref and other values is quarantined, since
    which of the two is right cannot be told (an identical row is a duplicate, skipped)."""
    problem = problem_sql("record_ref", CONFLICT, "NULL::VARCHAR")
    content = ", ".join(quote_ident(c) for c in _CONTENT)
    con.raw_sql(
        f"""UPDATE {prefix}_typed SET __problems = [{problem}]
            WHERE __seq IN (
                SELECT __seq FROM (
                    SELECT __seq, h, first_value(h) OVER (PARTITION BY record_ref ORDER BY __seq) AS first
                    FROM (SELECT __seq, record_ref, hash({content}) AS h
                          FROM {prefix}_typed WHERE len(__problems) = 0))
                WHERE h <> first)"""
    )


def _new_rows(con: Any, prefix: str, numbers: str, vault: Vault, agency: str) -> pa.Table:
    """The good rows to keep, with their row numbers: the first of identical rows of the file, and only
    where the record differs from the version of it the vault holds for the agency (a monthly extract
    resends most of its records unchanged). `__seen` marks a new version of a record the vault holds."""
    stored = vault.records()
    mine = stored.filter(pc.equal(stored["agency"], agency)).select(["load_id", *_CONTENT])
    raw = con.con
    raw.register(f"{prefix}_stored", mine)
    content = ", ".join(quote_ident(c) for c in _CONTENT)
    columns = ", ".join(f"t.{quote_ident(c)}" for c in _CONTENT)
    rows = raw.sql(
        f"""WITH latest AS (
                SELECT record_ref, hash({content}) AS h FROM {prefix}_stored
                QUALIFY row_number() OVER (PARTITION BY record_ref ORDER BY load_id DESC) = 1)
            SELECT n.row_number::BIGINT AS row_number, {columns}, s.record_ref IS NOT NULL AS __seen
            FROM (SELECT *, row_number() OVER (PARTITION BY record_ref ORDER BY __seq) AS __n
                  FROM {prefix}_typed WHERE len(__problems) = 0) t
            JOIN ({numbers}) n USING (__seq)
            LEFT JOIN latest s ON s.record_ref = t.record_ref
            WHERE t.__n = 1 AND (s.h IS NULL OR s.h <> hash({columns}))
            ORDER BY t.__seq"""
    ).to_arrow_table()
    raw.unregister(f"{prefix}_stored")
    return rows


def _load(
    wh: Warehouse,
    vault: Vault,
    path: Path,
    agency: str,
    sha: str,
    ctx: IngestContext,
    staged: Staged,
    rows: pa.Table,
    quarantined: int,
    summary: PeopleLoadSummary,
    user: str | None,
) -> None:
    con, prefix = ctx.con, staged.prefix
    good = count_rows(con, f"FROM {prefix}_typed WHERE len(__problems) = 0")
    summary.rows_read = count_rows(con, f"FROM {prefix}_typed") + count_rows(
        con, f"FROM (SELECT DISTINCT line FROM {staged.rejects})"
    )
    summary.rows_quarantined = quarantined
    summary.rows_loaded = rows.num_rows
    summary.duplicates_skipped = good - rows.num_rows
    summary.rows_corrected = int(pc.sum(rows["__seen"]).as_py() or 0) if rows.num_rows else 0
    loaded_at = now()
    load_id = max(_last_load_id(wh), max((x.load_id for x in vault.loads()), default=0)) + 1
    summary.load_id = load_id
    record = {
        "load_id": [load_id],
        "file_name": [path.name],
        "file_path": [str(path.resolve())],
        "sha256": [sha],
        "source": [SPEC.name],
        "rows_read": [summary.rows_read],
        "rows_loaded": [summary.rows_loaded],
        "rows_quarantined": [summary.rows_quarantined],
        "duplicates_skipped": [summary.duplicates_skipped],
        "loaded_at": [loaded_at],
        "definition_version": [ctx.definition_version],
        "rows_corrected": [summary.rows_corrected],
    }
    kept = False
    try:
        with wh.transaction():
            wh.insert("loads", pa.table(record, schema=SCHEMAS["loads"].to_pyarrow()))
            if quarantined:
                held = con.to_pyarrow(con.table(f"{prefix}_quarantine"))
                held = held.add_column(0, "load_id", pa.repeat(pa.scalar(load_id, pa.int64()), held.num_rows))
                wh.insert("quarantine", held.cast(SCHEMAS["quarantine"].to_pyarrow()))
            with vault.transaction():
                load = VaultLoad(load_id, agency, path.name, sha, loaded_at, rows.num_rows)
                vault.add_load(load, rows.select(list(COLUMNS)))
                detail = {"load_id": load_id, "agency": agency, "file": path.name, "sha256": sha}
                vault.audit("load", rows.num_rows, detail, user=user)
            kept = True
    except BaseException:
        if kept:  # the vault committed, the warehouse did not: take the records back out
            vault.purge_load(load_id)
        raise


def _last_load_id(wh: Warehouse) -> int:
    return int(wh.table("loads").load_id.max().to_pyarrow().as_py() or 0)


def _drop(con: Any, prefix: str) -> None:
    for view in ("raw", "good"):
        con.raw_sql(f"DROP VIEW IF EXISTS {prefix}_{view}")
    for table in ("typed", "text", "rejects", "scans", "lines", "numbers", "quarantine"):
        con.raw_sql(f"DROP TABLE IF EXISTS {prefix}_{table}")
    with contextlib.suppress(Exception):
        con.con.unregister(f"{prefix}_stored")
