"""One warehouse shared by the threads of a long-running process (the web server): many readers, one writer.

A DuckDB file admits one process at a time, and a second process that opens it (even read-only) while
another writes gets 'database is locked'. So a server opens the file once and hands every thread its own
cursor on that one database: readers see the last committed state (DuckDB's MVCC) while the single writer's
transaction is in flight, and writers queue on a lock instead of failing. PostgreSQL needs none of this;
each caller gets its own connection.
"""

from __future__ import annotations

import threading

import ibis

from vrhub.warehouse.connection import Warehouse, open_warehouse


class _Handle(Warehouse):
    """A cursor on the shared database; closing it releases the writer's lock if it held it."""

    def __init__(self, con: object, url: str, read_only: bool, owner: SharedWarehouse | None) -> None:
        super().__init__(con, url, read_only)
        self.shared = True
        self._owner = owner

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self._owner is not None:
                self._owner._written()
                self._owner = None


class SharedWarehouse:
    def __init__(self, url: str) -> None:
        self.url = url
        self._root = open_warehouse(url)
        self._writer = threading.Lock()
        self._cursor_lock = threading.Lock()
        self._generation = 0

    @property
    def generation(self) -> int | str:
        """Changes whenever the warehouse may have changed: a counter of this process's writes for DuckDB
        (no other process can write the file meanwhile), the loads snapshot for PostgreSQL."""
        if self.is_duckdb:
            return self._generation
        from vrhub.warehouse.history import snapshot

        with self.open(read_only=True) as wh:
            return snapshot(wh)

    def _written(self) -> None:
        self._generation += 1
        self._writer.release()

    @property
    def is_duckdb(self) -> bool:
        return self._root.is_duckdb

    def open(self, read_only: bool = False) -> Warehouse:
        if not self.is_duckdb:
            return open_warehouse(self.url, read_only=read_only)
        if not read_only:
            self._writer.acquire()
        try:
            with self._cursor_lock:
                cursor = self._root.con.con.cursor()
            return _Handle(
                ibis.duckdb.from_connection(cursor), self.url, read_only, None if read_only else self
            )
        except BaseException:
            if not read_only:
                self._writer.release()
            raise

    def close(self) -> None:
        self._root.close()
