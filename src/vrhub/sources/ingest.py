"""Load one file: refuse it whole, or account for every row as loaded, quarantined or a duplicate.

The whole load is one transaction: a failure or a killed process leaves the warehouse's tables as they
were. (A source's first load stages its rows in a table of the warehouse before that transaction: a killed
one leaves that table, which the next load drops; see `_stage_stored`.)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import itertools
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa

from vrhub.errors import InputRefused
from vrhub.sources.context import IngestContext
from vrhub.sources.problems import (
    check_structure,
    number_rows,
    problem_counts,
    refusal,
    refusal_hint,
    stage_quarantine,
)
from vrhub.sources.reading import Header, check_columns, quote_ident, read_header, readable, stage_raw
from vrhub.sources.spec import SourceSpec
from vrhub.sources.staging import Staged, count_rows, keyed_sql, problem_sql, typed_sql
from vrhub.warehouse import Warehouse
from vrhub.warehouse.events import RecordsChanged
from vrhub.warehouse.tables import SCHEMAS, history_table

Progress = Callable[[str], None]
_counter = itertools.count(1)


@dataclass
class LoadSummary:
    file: str
    source: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    duplicates_skipped: int = 0
    rows_corrected: int = 0  # of rows_loaded: new versions of records loaded before
    load_id: int | None = None
    already_loaded: bool = False
    problems: list[dict[str, Any]] = field(default_factory=list)  # field, reason, rows, first_row

    def as_json(self) -> dict[str, Any]:
        """The file and its counts: what a script reading `vrhub ingest --json` needs."""
        internal = ("load_id", "already_loaded", "problems")
        return {k: v for k, v in asdict(self).items() if k not in internal}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _previous_load(wh: Warehouse, spec: SourceSpec, sha: str) -> dict[str, Any] | None:
    """The load of this very file (same source, same bytes), if it still stands.

    Reference data replaces what it restates, so a file loaded before stands only while no later load of
    the source has changed the table; otherwise loading it again restores what it says.
    """
    loads = wh.table("loads")
    mine = loads.filter((loads.source == spec.name) & (loads.sha256 == sha))
    rows = wh.to_arrow(mine.order_by(ibis.desc("load_id")).limit(1)).to_pylist()
    if not rows:
        return None
    if spec.replace_on:
        later = loads.filter(
            (loads.source == spec.name) & (loads.load_id > rows[0]["load_id"]) & (loads.rows_loaded > 0)
        )
        if wh.to_arrow(later.count().as_table()).column(0)[0].as_py():
            return None
    return rows[0]


def ingest_file(
    wh: Warehouse,
    spec: SourceSpec,
    path: Path,
    ctx: IngestContext,
    encoding: str | None = None,
    progress: Progress | None = None,
) -> LoadSummary:
    note = progress or (lambda _stage: None)
    # An encoding named for this load reads the bytes anew (the advice on a row quarantined as not valid
    # text is to load again with one), so the same bytes loaded before are no reason to skip the file.
    chosen = encoding is not None
    fallback = None if encoding else spec.fallback_encoding
    encoding = encoding or spec.encoding
    summary = LoadSummary(file=str(path), source=spec.name)
    try:
        header = read_header(path, encoding)
    except InputRefused:
        if fallback is None:
            raise
        encoding, fallback = fallback, None
        header = read_header(path, encoding)
    missing = check_columns(path, spec, header)
    note("checking")
    sha = file_sha256(path)
    if not missing and not chosen:
        previous = _previous_load(wh, spec, sha)
        if previous:
            summary.rows_read = summary.duplicates_skipped = previous["rows_read"]
            summary.load_id, summary.already_loaded = previous["load_id"], True
            return summary
    if wh.is_duckdb:
        _drop_leftovers(wh)  # whichever load comes next, not only the next first load
    prefix = f"stage{next(_counter)}"
    con = ctx.con
    try:
        with contextlib.ExitStack() as files:
            note("reading")
            source, duck_encoding = files.enter_context(readable(path, encoding))
            raw, rejects = stage_raw(con, path, source, header, duck_encoding, prefix)
            if fallback is not None and count_rows(con, f"FROM {rejects} WHERE error_type LIKE 'INVALID %'"):
                _drop(con, prefix)
                # The header read again too: a file starting with a UTF-8 byte-order mark is refused so,
                # and a name with a character beyond ASCII is read as the rows are.
                header = read_header(path, fallback)
                missing = check_columns(path, spec, header)
                source, duck_encoding = files.enter_context(readable(path, fallback))
                raw, rejects = stage_raw(con, path, source, header, duck_encoding, prefix)
            check_structure(con, path, header, raw, rejects)
            typed = keyed_sql(spec, f"({typed_sql(spec, header, raw, ctx.pseudonyms, ctx)})")
            derive = spec.derive if _derived_at_typing(wh, spec) else None
            load_id = _next_load_id(wh) if _first_load(wh, spec) else None
            if load_id is not None:
                # The source's first load: its rows are typed straight into a table of the warehouse that
                # becomes the source's table, so they are written once (copying 10M typed rows from a
                # staging table into an empty one took 17 s).
                _stage_stored(wh, spec, ctx, typed, prefix, load_id)
            elif derive is not None:
                # Derived with the typing, for every row: one pass and one table fewer than deriving the
                # rows to add afterwards (the derivations are lookups and classifications, safe on a row
                # with a problem, whose values are NULL).
                con.create_table(f"{prefix}_typed", derive(con.sql(typed), ctx), temp=True)
            else:
                con.raw_sql(f"CREATE TEMP TABLE {prefix}_typed AS {typed}")
            _mark_conflicts(con, spec, header, prefix)
            numbers = number_rows(con, source, header, duck_encoding, prefix, rejects)
            problems = problem_counts(con, prefix, rejects, numbers)
            if missing:
                raise InputRefused(
                    refusal(path, spec, header, missing, problems), refusal_hint(spec, missing)
                )
            summary.problems = problems
            note("loading")
            staged = Staged(path, header, prefix, rejects, numbers)
            _mark_duplicates(wh, spec, ctx, prefix)
            tally = _tally(con, staged)
            # A first load has no stored record to correct.
            tally["corrected"] = 0 if load_id is not None else _mark_corrections(wh, spec, ctx, prefix)
            if tally["bad"] or tally["rejected"]:
                stage_quarantine(spec, ctx, staged)
            resolved = _resolved_rows(wh, spec, con, staged, bool(tally["bad"] or tally["rejected"]))
            # The file's text is needed no more once the quarantine is staged: free its memory before
            # the load (at 10M rows it made the later steps spill to disk).
            _drop(con, prefix, ("text", "lines", "numbers"), views=("raw",))
            if load_id is not None:
                _keep_loaded(wh, prefix, tally)
                with wh.transaction():
                    _take_over(wh, spec, prefix, load_id)
                    _account(wh, spec, ctx, staged, sha, summary, load_id, tally)
                    _resolve(wh, spec, path, resolved, load_id)
            else:
                fresh = _prepare(wh, spec, ctx, prefix)
                with wh.transaction():
                    _load(wh, spec, ctx, staged, sha, summary, fresh, tally)
                    _resolve(wh, spec, path, resolved, summary.load_id)
    finally:
        _drop(con, prefix)
        if not wh.is_duckdb and spec.replace_on:
            _drop(wh.con, prefix, ("new", "same"))
    return summary


_STAGED = (
    "typed",
    "text",
    "rejects",
    "scans",
    "lines",
    "numbers",
    "dups",
    "existing",
    "corrects",
    "new",
    "same",
    "quarantine",
)


def _drop(
    con: Any, prefix: str, suffixes: tuple[str, ...] = _STAGED, views: tuple[str, ...] = ("good", "raw")
) -> None:
    for view in views:
        con.raw_sql(f"DROP VIEW IF EXISTS {prefix}_{view}")
    for suffix in suffixes:
        con.raw_sql(f"DROP TABLE IF EXISTS {prefix}_{suffix}")


def _mark_duplicates(wh: Warehouse, spec: SourceSpec, ctx: IngestContext, prefix: str) -> None:
    """`{prefix}_good`: the rows with no problem, each marked `__duplicate` or not."""
    con = ctx.con
    # A row is a duplicate of an earlier row of the file with the same key, or (records) of a loaded row.
    stored = "false"
    if not spec.replace_on:
        if wh.is_duckdb:
            stored = f"t.row_key IN (SELECT row_key FROM {spec.table})"
        else:
            existing = ibis.memtable(wh.to_arrow(wh.table(spec.table).select("row_key", "record_key")))
            con.create_table(f"{prefix}_existing", existing, temp=True, overwrite=True)
            stored = f"t.row_key IN (SELECT row_key FROM {prefix}_existing)"
    # Only the duplicates are materialised (usually none): copying every staged row to mark them would
    # double the load's memory and time. Repeated keys are found by a 64-bit hash of the key first
    # (grouping 10M 64-character keys took 3 s), then told apart exactly by the key itself.
    ok = "len(t.__problems) = 0"
    con.raw_sql(
        f"""CREATE OR REPLACE TEMP TABLE {prefix}_dups AS
            SELECT __seq FROM (
                SELECT t.__seq, row_number() OVER (PARTITION BY t.row_key ORDER BY t.__seq) AS n
                FROM {prefix}_typed t
                WHERE {ok} AND hash(t.row_key) IN (SELECT hash(row_key) FROM {prefix}_typed t WHERE {ok}
                                                   GROUP BY 1 HAVING count(*) > 1))
            WHERE n > 1
            UNION SELECT t.__seq FROM {prefix}_typed t WHERE {ok} AND {stored}"""
    )
    con.raw_sql(
        f"""CREATE OR REPLACE TEMP VIEW {prefix}_good AS
            SELECT t.*, t.__seq IN (SELECT __seq FROM {prefix}_dups) AS __duplicate
            FROM {prefix}_typed t WHERE {ok}"""
    )


def _mark_conflicts(con: Any, spec: SourceSpec, header: Header, prefix: str) -> None:
    """A record (one source key) stands once in a file: a later row with its key and other values is
    quarantined, since which of the two is right cannot be told."""
    if not spec.key or spec.replace_on:
        return
    names = ", ".join(header.find(c.name) or c.name for c in spec.columns if c.store_as in spec.key)
    reason = f"the same record ({names}) as an earlier row of this file, with different values"
    ok = "len(t.__problems) = 0 AND t.record_key IS NOT NULL"
    problem = problem_sql(names.split(", ")[0], reason, "NULL::VARCHAR")
    repeated = f"SELECT hash(record_key) FROM {prefix}_typed t WHERE {ok} GROUP BY 1 HAVING count(*) > 1"
    con.raw_sql(
        f"""UPDATE {prefix}_typed SET __problems = [{problem}]
            WHERE __seq IN (
                SELECT __seq FROM (
                    SELECT t.__seq, t.row_key,
                           first_value(t.row_key) OVER (PARTITION BY t.record_key ORDER BY t.__seq) AS first
                    FROM {prefix}_typed t
                    WHERE {ok} AND hash(t.record_key) IN ({repeated}))
                WHERE row_key <> first)"""
    )


def _mark_corrections(wh: Warehouse, spec: SourceSpec, ctx: IngestContext, prefix: str) -> int:
    """`{prefix}_corrects`: the record keys this load brings a new version of. Returns how many rows."""
    if not spec.key or spec.replace_on:
        return 0
    stored = spec.table if wh.is_duckdb else f"{prefix}_existing"
    ctx.con.raw_sql(
        f"""CREATE OR REPLACE TEMP TABLE {prefix}_corrects AS
            SELECT DISTINCT g.record_key FROM {prefix}_good g
            WHERE NOT g.__duplicate AND g.record_key IS NOT NULL
              AND g.record_key IN (SELECT record_key FROM {stored} WHERE record_key IS NOT NULL)"""
    )
    return count_rows(
        ctx.con,
        f"""FROM {prefix}_good g WHERE NOT g.__duplicate
            AND g.record_key IN (SELECT record_key FROM {prefix}_corrects)""",
    )


def _supersede(wh: Warehouse, spec: SourceSpec, con: Any, prefix: str, load_id: int) -> None:
    """Move the versions this load corrects to the table's history, marked with the load."""
    corrects = f"{prefix}_corrects"
    if not wh.is_duckdb:
        wh.con.create_table(corrects, con.to_pyarrow(con.table(corrects)), temp=True, overwrite=True)
    columns = ", ".join(quote_ident(c) for c in SCHEMAS[spec.table].names)
    match = f"record_key IN (SELECT record_key FROM {corrects})"
    wh.execute(
        f"""INSERT INTO {history_table(spec.table)} ({columns}, superseded_by)
            SELECT {columns}, {load_id} FROM {spec.table} WHERE {match}"""
    )
    wh.execute(f"DELETE FROM {spec.table} WHERE {match}")
    if not wh.is_duckdb:
        wh.execute(f"DROP TABLE IF EXISTS {corrects}")


def _prepare(wh: Warehouse, spec: SourceSpec, ctx: IngestContext, prefix: str) -> ibis.Table:
    """The rows to add, duplicates left out and derived columns added (no `load_id` yet): a view of the
    typed rows, which are staged before the load's transaction begins. DuckDB reads rows a transaction has
    written itself more slowly: storing and counting rows staged inside it took twice as long."""
    con = ctx.con
    good = con.table(f"{prefix}_good")
    fresh = good.filter(~good.__duplicate)
    if spec.derive is not None and not _derived_at_typing(wh, spec):
        fresh = spec.derive(fresh, ctx)
    columns = [name for name in SCHEMAS[spec.table].names if name != "load_id"]
    return fresh.select("__seq", *columns)


def _first_load(wh: Warehouse, spec: SourceSpec) -> bool:
    """Records (not reference data) going into an empty table of the warehouse's own DuckDB."""
    if spec.replace_on or not wh.is_duckdb:
        return False
    return not wh.to_arrow(wh.table(spec.table).limit(1)).num_rows


def _stage_stored(
    wh: Warehouse, spec: SourceSpec, ctx: IngestContext, typed: str, prefix: str, load_id: int
) -> None:
    """`{prefix}_typed` as a table of the warehouse: the source table's columns, in its order and types,
    then the staging's `__seq` and `__problems`; `_take_over` makes it the source's table.

    It is written and committed before the load's transaction: DuckDB reads rows a transaction has added
    itself more slowly, and counting 10M of them took three times as long as from a committed table. A load
    that fails drops it; one whose process is killed leaves it, named `stage<n>_typed`, until the next load
    (`_drop_leftovers`); the source's table and every other stand as they were."""
    rows = ctx.con.sql(typed)
    if spec.derive is not None:
        rows = spec.derive(rows, ctx)
    rows = rows.mutate(load_id=ibis.literal(load_id, "int64"))
    stored = [rows[name].cast(dtype).name(name) for name, dtype in SCHEMAS[spec.table].items()]
    ctx.con.create_table(f"{prefix}_typed", rows.select(*stored, "__seq", "__problems"))


def _drop_leftovers(wh: Warehouse) -> None:
    """Drop the staged tables of first loads whose process was killed before it ended (`_stage_stored`):
    one load at a time writes the warehouse, so none of them is in use."""
    left = wh.con.sql(
        """SELECT table_name FROM duckdb_tables() WHERE NOT temporary AND schema_name = 'main'
           AND regexp_full_match(table_name, 'stage[0-9]+_typed')"""
    )
    for name in left.to_pyarrow()["table_name"].to_pylist():
        wh.execute(f"DROP TABLE IF EXISTS main.{name}")


def _keep_loaded(wh: Warehouse, prefix: str, counts: dict[str, int]) -> None:
    """Take the rows with a problem and the duplicates out of a first load's staged table (before the load's
    transaction: DuckDB refuses to commit a change to a table the same transaction then alters)."""
    wh.execute(f"DROP VIEW IF EXISTS {prefix}_good")
    if counts["bad"] or counts["duplicates"]:
        wh.execute(
            f"""DELETE FROM {prefix}_typed WHERE len(__problems) > 0
                OR __seq IN (SELECT __seq FROM {prefix}_dups)"""
        )


def _take_over(wh: Warehouse, spec: SourceSpec, prefix: str, load_id: int) -> None:
    """The first load's staged table becomes the source's (empty) table, in the load's transaction.
    Dropping a column or renaming a table only changes the catalogue."""
    typed = f"{prefix}_typed"
    for column in ("__seq", "__problems"):
        wh.execute(f"ALTER TABLE {typed} DROP COLUMN {column}")
    wh.execute(f"DROP TABLE {spec.table}")
    wh.execute(f"ALTER TABLE {typed} RENAME TO {spec.table}")
    wh.records_changed(RecordsChanged(spec.table, load_id, wh.table(spec.table), spec.classified))


def _derived_at_typing(wh: Warehouse, spec: SourceSpec) -> bool:
    """Records (not reference data, whose derivation reshapes rows) staged in the warehouse's own DuckDB."""
    return spec.derive is not None and not spec.replace_on and wh.is_duckdb


def _tally(con: Any, staged: Staged) -> dict[str, int]:
    """Rows staged, lines DuckDB rejected, rows with a problem, and duplicates."""
    prefix = staged.prefix
    return (
        con.sql(
            f"""SELECT (SELECT count(*) FROM {prefix}_typed) AS staged,
                   (SELECT count(DISTINCT line) FROM {staged.rejects}) AS rejected,
                   (SELECT count(*) FROM {prefix}_typed WHERE len(__problems) > 0) AS bad,
                   (SELECT count(*) FILTER (WHERE __duplicate) FROM {prefix}_good) AS duplicates"""
        )
        .to_pyarrow()
        .to_pylist()[0]
    )


def _load(
    wh: Warehouse,
    spec: SourceSpec,
    ctx: IngestContext,
    staged: Staged,
    sha: str,
    summary: LoadSummary,
    fresh: ibis.Table,
    counts: dict[str, int],
) -> None:
    con, prefix = ctx.con, staged.prefix
    load_id = _next_load_id(wh)
    schema = SCHEMAS[spec.table]
    fresh = fresh.mutate(load_id=ibis.literal(load_id, "int64"))
    typed = [fresh[name].cast(dtype).name(name) for name, dtype in schema.items()]
    restated = 0
    if counts.get("corrected"):
        _supersede(wh, spec, con, prefix, load_id)
    if spec.replace_on:
        restated = _replace(wh, spec, prefix, fresh.select("__seq", *typed), con)
        if spec.after_load is not None and restated < counts["staged"] - counts["bad"] - counts["duplicates"]:
            spec.after_load(wh)
    elif wh.is_duckdb:
        wh.insert(spec.table, fresh.select(typed))
        # In the load's transaction, so what is derived from the records never disagrees with them.
        wh.records_changed(RecordsChanged(spec.table, load_id, fresh, spec.classified))
    else:
        wh.insert(spec.table, con.to_pyarrow(fresh.select(typed)))
        wh.records_changed(RecordsChanged(spec.table, load_id))
    _account(wh, spec, ctx, staged, sha, summary, load_id, counts, restated)


def _account(
    wh: Warehouse,
    spec: SourceSpec,
    ctx: IngestContext,
    staged: Staged,
    sha: str,
    summary: LoadSummary,
    load_id: int,
    counts: dict[str, int],
    restated: int = 0,
) -> None:
    """The load's quarantine, its counts in `summary`, and its row in `loads`."""
    con, path, prefix = ctx.con, staged.path, staged.prefix
    if counts["bad"] or counts["rejected"]:
        held = con.table(f"{prefix}_quarantine")
        held = held.select(ibis.literal(load_id, "int64").name("load_id"), *held.columns)
        wh.insert("quarantine", held if wh.is_duckdb else con.to_pyarrow(held))
    summary.rows_read = counts["staged"] + counts["rejected"]
    summary.rows_quarantined = counts["bad"] + counts["rejected"]
    summary.duplicates_skipped = counts["duplicates"] + restated
    summary.rows_loaded = summary.rows_read - summary.rows_quarantined - summary.duplicates_skipped
    summary.rows_corrected = counts.get("corrected", 0)
    summary.load_id = load_id
    record = {
        "load_id": [load_id],
        "file_name": [path.name],
        "file_path": [str(path.resolve())],
        "sha256": [sha],
        "source": [spec.name],
        "rows_read": [summary.rows_read],
        "rows_loaded": [summary.rows_loaded],
        "rows_quarantined": [summary.rows_quarantined],
        "duplicates_skipped": [summary.duplicates_skipped],
        "loaded_at": [dt.datetime.now(dt.UTC).replace(tzinfo=None)],
        "definition_version": [ctx.definition_version],
        "rows_corrected": [summary.rows_corrected],
    }
    wh.insert("loads", pa.table(record, schema=SCHEMAS["loads"].to_pyarrow()))


def _resolved_rows(wh: Warehouse, spec: SourceSpec, con: Any, staged: Staged, held: bool) -> pa.Table | None:
    """Row numbers an earlier load of this file (same source and file name) quarantined that this load
    reads without a problem (loaded, or a duplicate of a row loaded): they are resolved. None when there
    are none. Checked against the quarantine first, so a file never quarantined costs one small query."""
    q = wh.table("quarantine")
    earlier = q.filter((q.source == spec.name) & (q.file_name == staged.path.name)).select("row_number")
    earlier = wh.to_arrow(earlier.distinct())
    if not earlier.num_rows:
        return None
    prefix = staged.prefix
    con.create_table(f"{prefix}_held", earlier, temp=True, overwrite=True)
    still = f"AND h.row_number NOT IN (SELECT row_number FROM {prefix}_quarantine)" if held else ""
    try:
        found = con.sql(
            f"""SELECT DISTINCT h.row_number FROM {prefix}_held h
                WHERE h.row_number IN (SELECT row_number FROM ({staged.numbers})) {still}"""
        ).to_pyarrow()
    finally:
        con.raw_sql(f"DROP TABLE IF EXISTS {prefix}_held")
    return found if found.num_rows else None


def _resolve(wh: Warehouse, spec: SourceSpec, path: Path, rows: pa.Table | None, load_id: int | None) -> None:
    """Move the earlier quarantine entries of the rows this load resolved to `quarantine_resolved`, marked
    with the load (in the load's transaction)."""
    if rows is None or load_id is None:
        return
    wh.con.create_table("__resolved", rows, temp=True, overwrite=True)
    match = (
        f"source = {_literal(spec.name)} AND file_name = {_literal(path.name)} AND load_id < {load_id} "
        "AND row_number IN (SELECT row_number FROM __resolved)"
    )
    columns = ", ".join(SCHEMAS["quarantine"].names)
    wh.execute(
        f"""INSERT INTO quarantine_resolved ({columns}, resolved_by)
            SELECT {columns}, {load_id} FROM quarantine WHERE {match}"""
    )
    wh.execute(f"DELETE FROM quarantine WHERE {match}")
    wh.execute("DROP TABLE IF EXISTS __resolved")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _replace(wh: Warehouse, spec: SourceSpec, prefix: str, rows: ibis.Table, con: Any) -> int:
    """Reference data: each file row (one or more table rows, by `__seq`) replaces the stored rows with its
    key, unless they are identical already. Returns the number of file rows that were identical."""
    new, same = f"{prefix}_new", f"{prefix}_same"
    wh.con.create_table(new, rows if wh.is_duckdb else con.to_pyarrow(rows), temp=True, overwrite=True)
    columns = list(SCHEMAS[spec.table])
    identical = " AND ".join(f"x.{c} IS NOT DISTINCT FROM n.{c}" for c in columns)
    wh.execute(
        f"""CREATE TEMP TABLE {same} AS SELECT __seq FROM (
                SELECT n.__seq, EXISTS (SELECT 1 FROM {spec.table} x WHERE {identical}) AS found
                FROM {new} n) s
            GROUP BY __seq HAVING bool_and(found)"""
    )
    changed = f"(SELECT * FROM {new} WHERE __seq NOT IN (SELECT __seq FROM {same}))"
    match = " AND ".join(f"{spec.table}.{c} = n.{c}" for c in spec.replace_on)
    wh.execute(f"DELETE FROM {spec.table} WHERE EXISTS (SELECT 1 FROM {changed} n WHERE {match})")
    listed = ", ".join(columns)
    wh.execute(f"INSERT INTO {spec.table} ({listed}) SELECT {listed} FROM {changed} c")
    return count_rows(wh.con, f"FROM {same}")


def _next_load_id(wh: Warehouse) -> int:
    current = wh.table("loads").load_id.max().to_pyarrow().as_py()
    return (current or 0) + 1
