"""Record tables keep the latest version of each record; `<table>_history` keeps the versions later loads
superseded, with the load that did so. Together they give the warehouse as it stood after any load."""

from __future__ import annotations

import hashlib

import ibis.expr.types as ir

from vrhub.warehouse.connection import Warehouse
from vrhub.warehouse.tables import history_table


def as_at(wh: Warehouse, table: str, load_id: int | None) -> ir.Table:
    """The rows of a record table as they stood after load `load_id` (None: as they stand now)."""
    current = wh.table(table)
    if load_id is None:
        return current
    now = current.filter(current.load_id <= load_id)
    if not wh.has_table(history_table(table)):
        return now
    old = wh.table(history_table(table))
    then = old.filter((old.load_id <= load_id) & (old.superseded_by > load_id)).select(*current.columns)
    return now.union(then)


def snapshot(wh: Warehouse, as_at: int | None = None) -> str:
    """Which state of the warehouse a figure came from: the last load and a hash of every file loaded."""
    t = wh.table("loads")
    if as_at is not None:
        t = t.filter(t.load_id <= as_at)
    loads = wh.to_arrow(t.select("load_id", "sha256").order_by("load_id")).to_pylist()
    if not loads:
        return "empty"
    digest = hashlib.sha256("".join(r["sha256"] or "" for r in loads).encode()).hexdigest()[:12]
    return f"loads 1-{loads[-1]['load_id']} ({digest})"
