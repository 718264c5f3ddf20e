"""Record versions: the keys that tell a record's versions apart (`row_key`, `record_key`), made again over
stored rows, by a migration or a re-keying. Loading keeps the latest version of each record in its table and
the versions it superseded in `<table>_history` (see `ingest._supersede`, `warehouse.history`)."""

from __future__ import annotations

from collections.abc import Callable

import ibis

from vrhub.sources.identifiers import is_identifier
from vrhub.sources.reading import quote_ident
from vrhub.sources.spec import SourceSpec
from vrhub.sources.staging import record_key_sql, row_key_sql
from vrhub.warehouse import Warehouse
from vrhub.warehouse.tables import RECORD_TABLES, SCHEMAS, history_table


def rewrite_keys(wh: Warehouse, spec: SourceSpec, rekey: Callable[[str], str] | None = None) -> None:
    """Make `row_key` and `record_key` again for every stored row of a source (current and history), with
    each pseudonym column first passed through `rekey` (SQL in, SQL out) when given. Runs in the caller's
    transaction; on PostgreSQL the keys are made in DuckDB and the rows travel as Arrow."""
    pseudonyms = [c.store_as for c in spec.columns if is_identifier(c.kind)]
    for table in (spec.table, history_table(spec.table)):
        if not wh.has_table(table):
            continue
        columns = list(SCHEMAS[table].names)
        if table == spec.table and not _count(wh, table):
            continue
        replaced = {c: (rekey(quote_ident(c)) if rekey else quote_ident(c)) for c in pseudonyms}
        inner = ", ".join(
            f"{replaced[c]} AS {quote_ident(c)}" if c in replaced else quote_ident(c) for c in columns
        )
        keyed = f"""SELECT * REPLACE ({row_key_sql(spec, "load_id", within="load_id")} AS row_key,
                                      {record_key_sql(spec)} AS record_key)
                    FROM (SELECT {inner} FROM __source)"""
        listed = ", ".join(quote_ident(c) for c in columns)
        if wh.is_duckdb:
            wh.execute(f"CREATE OR REPLACE TEMP TABLE __rekeyed AS {keyed.replace('__source', table)}")
        else:
            local = ibis.duckdb.connect()
            local.create_table("__stored", wh.to_arrow(wh.table(table).select(*columns)), temp=True)
            rows = local.sql(keyed.replace("__source", "__stored")).to_pyarrow()
            wh.con.create_table("__rekeyed", rows, temp=True, overwrite=True)
        wh.execute(f"DELETE FROM {table}")
        wh.execute(f"INSERT INTO {table} ({listed}) SELECT {listed} FROM __rekeyed")
        wh.execute("DROP TABLE IF EXISTS __rekeyed")


def _count(wh: Warehouse, table: str) -> int:
    return int(wh.to_arrow(wh.table(table).count().as_table()).column(0)[0].as_py())


def add_record_versions(wh: Warehouse) -> None:
    """Migration: a `record_key` on every record table, a history table beside each, `rows_corrected` on
    loads, and every stored row keyed the way loads now key it (the content key changed for sources that
    had a key, so that re-loading an old file still matches what it loaded)."""
    from vrhub.sources import SOURCES

    if "rows_corrected" not in wh.table("loads").columns:
        wh.execute("ALTER TABLE loads ADD COLUMN rows_corrected BIGINT")
    for table in RECORD_TABLES:
        if "record_key" not in wh.table(table).columns:
            wh.execute(f"ALTER TABLE {table} ADD COLUMN record_key VARCHAR")
        if not wh.has_table(history_table(table)):
            wh.con.create_table(history_table(table), schema=SCHEMAS[history_table(table)])
    for spec in SOURCES.values():
        rewrite_keys(wh, spec)
