"""One class owns the warehouse connection, its transactions and read-only mode.

DuckDB (the default) is a single file with one writer; PostgreSQL is reached by a `postgres://` URL.
Nothing outside this package opens a connection of its own.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa

from vrhub.errors import WarehouseError, WarehouseInUse
from vrhub.warehouse.events import RecordsChanged


class Warehouse:
    # True for a cursor on a database that other threads share (see shared.py): session-wide settings
    # would change every thread's connection, so callers must not issue them.
    shared = False

    def __init__(self, con: Any, url: str, read_only: bool = False) -> None:
        self.con = con
        self.url = url
        self.read_only = read_only
        self._listeners: list[Callable[[Warehouse, RecordsChanged], None]] = []

    @property
    def is_duckdb(self) -> bool:
        return self.con.name == "duckdb"

    # -- reading -------------------------------------------------------------------------------------
    def table(self, name: str) -> ibis.Table:
        return self.con.table(name)

    def has_table(self, name: str) -> bool:
        return name in self.con.list_tables()

    def sql(self, query: str) -> ibis.Table:
        return self.con.sql(query)

    def to_arrow(self, expr: ibis.Expr) -> pa.Table:
        return self.con.to_pyarrow(expr)

    # -- writing -------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing: a failure (or a killed process) inside leaves the warehouse as it was."""
        self.con.raw_sql("BEGIN")
        try:
            yield
        except BaseException:
            self.con.raw_sql("ROLLBACK")
            raise
        else:
            self.con.raw_sql("COMMIT")

    def insert(self, name: str, data: ibis.Table | pa.Table) -> None:
        self.con.insert(name, data)

    def execute(self, statement: str) -> None:
        self.con.raw_sql(statement)

    # -- telling those who derive figures from the records ---------------------------------------------
    def listen(self, listener: Callable[[Warehouse, RecordsChanged], None]) -> None:
        if listener not in self._listeners:
            self._listeners.append(listener)

    def records_changed(self, event: RecordsChanged) -> None:
        """Called by a writer inside its transaction; each listener updates what it derives, in it too."""
        for listener in self._listeners:
            listener(self, event)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.con.disconnect()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_warehouse(url: str, read_only: bool = False, create: bool = True) -> Warehouse:
    """Open a DuckDB file (any path) or a PostgreSQL database (`postgres://user@host/db`)."""
    if url.startswith(("postgres://", "postgresql://")):
        try:
            con = ibis.connect(url)
        except Exception as exc:  # the driver's own message says what failed
            raise WarehouseError(
                f"cannot connect to {url}: {exc}",
                "Check the URL, that the server is running, and that ibis-framework[postgres] is installed "
                "(pip install 'vrhub[postgres]').",
            ) from exc
        return Warehouse(con, url, read_only)
    path = Path(url.removeprefix("duckdb://"))
    if not path.exists():
        if read_only or not create:
            raise WarehouseError(
                f"no warehouse at {path}",
                "Run `vrhub init` (or `vrhub demo`) first, or point --warehouse at an existing file.",
            )
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)  # the data folder is private
    try:
        con = ibis.duckdb.connect(str(path), read_only=read_only)
    except Exception as exc:
        raise _open_failure(path, exc, read_only) from None
    # Extensions are never downloaded: many partner networks block it, and vrhub needs none.
    con.raw_sql("SET autoinstall_known_extensions = false")
    con.raw_sql("SET autoload_known_extensions = false")
    # DuckDB's own progress bar would print over the command line's (and into its stderr).
    con.raw_sql("SET enable_progress_bar = false")
    # Bounded memory: staging spills to disk rather than needing a big machine for a big extract.
    limit = os.environ.get("VRHUB_MEMORY_LIMIT", "3GB")
    con.raw_sql(f"SET memory_limit = '{limit}'")
    return Warehouse(con, str(path), read_only)


def _open_failure(path: Path, exc: Exception, read_only: bool) -> WarehouseError:
    """Why the file would not open, told apart: locked by another process, not writable, or the disk full."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    lowered = text.lower()
    unwritable = not read_only and (
        (path.exists() and not os.access(path, os.W_OK)) or not os.access(path.parent, os.W_OK | os.X_OK)
    )
    if "permission denied" in lowered or "read-only file system" in lowered or unwritable:
        return WarehouseError(
            f"cannot open the warehouse {path}: this account may not write to it or to {path.parent}",
            f"Run vrhub as the account that owns {path.parent}, or give that account write access to the "
            "folder and its files (vrhub writes beside the warehouse while it works).",
        )
    if "no space" in lowered or "disk is full" in lowered:
        return WarehouseError(
            f"cannot open the warehouse {path}: the disk is full",
            f"Free space on the disk that holds {path.parent} (df -h shows what is left), then try again.",
        )
    if "lock" in lowered:
        return WarehouseInUse(
            f"cannot open the warehouse {path}: another process has it open",
            "Another vrhub process has it open: a load (wait for it to finish) or `vrhub serve` (upload "
            "through the web application, or stop the server first).",
        )
    return WarehouseError(f"cannot open the warehouse {path}: {text}", "Check the path and the file.")


def storage_failure(exc: BaseException, doing: str) -> WarehouseError | None:
    """A write that failed for want of room or of permission, said plainly (None for anything else)."""
    lowered = str(exc).lower()
    if "no space left" in lowered or "disk is full" in lowered or getattr(exc, "errno", None) == 28:
        return WarehouseError(
            f"the disk is full: {doing} stopped, and nothing of it was kept",
            "Free space on the disk that holds the data folder (df -h shows what is left), then try again.",
        )
    if "permission denied" in lowered or "read-only file system" in lowered:
        return WarehouseError(
            f"cannot write to the data folder: {doing} stopped, and nothing of it was kept",
            "Run vrhub as the account that owns the data folder, or give it write access.",
        )
    return None
