"""Ad hoc SQL (`vrhub sql`): one query, read-only in every sense, stopped after a time limit.

Defence in depth, since the warehouse holds police and NHS records: the text must parse as a single query
(no DDL, DML or settings); functions that act on the server, its files or its sessions are refused by name;
DuckDB runs with external access off (no reading the machine's files, the pseudonym key among them) and
PostgreSQL in a READ ONLY transaction that is rolled back; both stop after `timeout` seconds.
"""

from __future__ import annotations

import re
import threading
from typing import Any

import pyarrow as pa
import sqlglot
from sqlglot import expressions as exp

from vrhub.errors import ReadOnlySql, VrhubError
from vrhub.warehouse.connection import Warehouse

DEFAULT_TIMEOUT = 60.0  # seconds
HINT = (
    "vrhub sql is read-only; change data with vrhub ingest. Table and column names are in "
    "docs/architecture.md."
)

# Functions with effects beyond reading rows: on sessions and the server (PostgreSQL), on large objects,
# files and settings, sequences and advisory locks, and DuckDB's file and extension functions.
_REFUSED = re.compile(
    r"^(pg_(terminate|cancel)_backend|pg_reload_conf|pg_rotate_logfile|pg_switch_wal|pg_promote|pg_notify"
    r"|pg_(read|ls|stat)_\w+|pg_(create|drop|replication)_\w*|pg_logical_\w+|pg_advisory\w*|pg_try_advisory\w*"
    r"|pg_sleep\w*|pg_log_backend_memory_contexts|set_config|current_setting|lo_\w+|dblink\w*|nextval|setval"
    r"|txid_\w+|query_\w+|read_\w+|glob|install_\w+|load_\w+|getenv|sniff_csv)$",
    re.IGNORECASE,
)


def parse_one_query(query: str) -> exp.Query:
    """The query as a syntax tree, or a clear refusal (a syntax error is named, never a traceback)."""
    try:
        statements = [s for s in sqlglot.parse(query, read="duckdb") if s is not None]
    except (sqlglot.errors.ParseError, sqlglot.errors.TokenError) as exc:
        raise ReadOnlySql(f"cannot read the SQL: {_first_line(exc)}", "Check the query's syntax.") from None
    if len(statements) != 1 or not isinstance(statements[0], exp.Query):
        raise ReadOnlySql("only a single SELECT (or WITH ... SELECT) query can be run", HINT)
    for call in statements[0].find_all(exp.Func):
        name = call.name if isinstance(call, exp.Anonymous) else call.sql_name()
        if _REFUSED.match(name or ""):
            raise ReadOnlySql(f"the function {name.lower()}() is not allowed in vrhub sql", HINT)
    return statements[0]


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def run(wh: Warehouse, query: str, timeout: float = DEFAULT_TIMEOUT) -> pa.Table:
    parse_one_query(query)
    if wh.is_duckdb:
        return _duckdb(wh, query, timeout)
    return _postgres(wh, query, timeout)


def _duckdb(wh: Warehouse, query: str, timeout: float) -> pa.Table:
    raw = wh.con.con
    raw.execute("SET enable_external_access = false")
    stopped = threading.Event()

    def stop() -> None:
        stopped.set()
        raw.interrupt()

    timer = threading.Timer(timeout, stop)
    timer.start()
    try:
        return raw.execute(query).fetch_arrow_table()
    except Exception as exc:
        raise _failure(exc, stopped.is_set(), timeout) from None
    finally:
        timer.cancel()


def _postgres(wh: Warehouse, query: str, timeout: float) -> pa.Table:
    raw: Any = wh.con.con
    with raw.cursor() as cur:
        cur.execute("BEGIN TRANSACTION READ ONLY")
        try:
            cur.execute(f"SET LOCAL statement_timeout = {int(timeout * 1000)}")
            cur.execute(query)
            names = [d.name for d in cur.description or []]
            rows = cur.fetchall()
        except Exception as exc:
            raise _failure(exc, "statement timeout" in str(exc), timeout) from None
        finally:
            raw.rollback() if not raw.autocommit else cur.execute("ROLLBACK")
    return (
        pa.Table.from_pylist([dict(zip(names, row, strict=True)) for row in rows])
        if rows
        else pa.table({n: pa.array([], pa.string()) for n in names})
    )


def _failure(exc: Exception, timed_out: bool, timeout: float) -> VrhubError:
    if timed_out:
        return VrhubError(
            f"the query ran for more than {timeout:g} s and was stopped",
            "Narrow it (a WHERE clause, a LIMIT, fewer joins), or allow longer with --timeout.",
        )
    return VrhubError(f"the query failed: {_first_line(exc)}", HINT)
