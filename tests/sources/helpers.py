"""Helpers for the ingest tests: load a file, read tables back, snapshot the whole warehouse."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from vrhub.hub import Hub
from vrhub.sources.ingest import LoadSummary


def ingest(hub: Hub, source: str, path: Path, **options: Any) -> LoadSummary:
    [summary] = list(hub.ingest(source, [path], **options))
    assert_accounted(summary)
    return summary


def quarantine_write_fails(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Writing the quarantine fails ("disk full"), part-way through a load's transaction; returns what
    mends it."""
    from vrhub.warehouse import Warehouse

    real_insert = Warehouse.insert

    def failing_insert(self: Warehouse, name: str, data: object) -> None:
        if name == "quarantine":
            raise RuntimeError("disk full")
        real_insert(self, name, data)

    monkeypatch.setattr(Warehouse, "insert", failing_insert)
    return lambda: monkeypatch.setattr(Warehouse, "insert", real_insert)


def assert_accounted(summary: LoadSummary) -> None:
    """Every row read is loaded, quarantined or skipped as a duplicate."""
    assert summary.rows_read == summary.rows_loaded + summary.rows_quarantined + summary.duplicates_skipped, (
        summary
    )
    assert min(summary.rows_loaded, summary.rows_quarantined, summary.duplicates_skipped) >= 0, summary


def rows(hub: Hub, query: str) -> list[dict[str, Any]]:
    return hub.sql(query).to_pylist()


def quarantined(hub: Hub, file_name: str) -> list[tuple[int, str, str]]:
    """(row_number, field, reason) of a file's quarantined rows, in row order."""
    q = hub.quarantine(file_name).to_pylist()
    return [(r["row_number"], r["field"], r["reason"]) for r in q]


def snapshot(hub: Hub) -> dict[str, list[tuple]]:
    """Every row of every table (sorted), to show that a refused or failed load changed nothing."""
    with hub.open(read_only=True) as wh:
        found = {}
        for name in sorted(wh.con.list_tables()):
            # Straight from DuckDB: building an Ibis expression for each of some 25 tables took most of the
            # time of the tests that snapshot before and after a load.
            table = (
                wh.con.raw_sql(f'SELECT * FROM "{name}"').to_arrow_table()
                if wh.is_duckdb
                else wh.to_arrow(wh.table(name))
            )
            found[name] = sorted((tuple(r.values()) for r in table.to_pylist()), key=repr)
        return found


def string_columns(hub: Hub) -> dict[str, list[str]]:
    """Every VARCHAR column of every warehouse table."""
    with hub.open(read_only=True) as wh:
        return {
            name: [c for c, t in wh.table(name).schema().items() if t.is_string()]
            for name in sorted(wh.con.list_tables())
        }


def write_lines(path: Path, lines: list[str], newline: str = "\n") -> Path:
    path.write_bytes(newline.join(lines).encode("utf-8") + newline.encode())
    return path
