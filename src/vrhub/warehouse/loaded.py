"""What one load brought in, a slice at a time: its rows of a record table and the problems it quarantined.

Each comes in a fixed order (records by row key, problems by row number and field), so consecutive slices
neither repeat nor skip a row."""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import pyarrow as pa

from vrhub.errors import BadValue, one_of
from vrhub.warehouse.connection import Warehouse
from vrhub.warehouse.tables import RECORD_TABLES

PROBLEM_COLUMNS = ("row_number", "field", "reason", "value")


@dataclass(frozen=True)
class LoadSlice:
    total: int  # the load's rows in all
    rows: pa.Table  # those from the slice's offset, at most its limit


def records(wh: Warehouse, table: str, load_id: int, limit: int | None = None, offset: int = 0) -> LoadSlice:
    """The rows `load_id` brought into a record table that are still current (a later load's correction
    supersedes a row into the table's history), every column."""
    if table not in RECORD_TABLES:
        raise BadValue(
            f"'{table}' is not a record table", one_of(RECORD_TABLES), parameter="table", value=table
        )
    return _slice(wh, table, load_id, None, ["row_key"], limit, offset)


def problems(
    wh: Warehouse, load_id: int, limit: int | None = None, offset: int = 0, raw_rows: bool = False
) -> LoadSlice:
    """The problems `load_id` quarantined, one row per row and field at fault; with `raw_rows`, each with
    the file's row as read."""
    columns = [*PROBLEM_COLUMNS, *(["raw_row"] if raw_rows else [])]
    return _slice(wh, "quarantine", load_id, columns, ["row_number", "field"], limit, offset)


def _slice(
    wh: Warehouse,
    table: str,
    load_id: int,
    columns: list[str] | None,
    order: list[str],
    limit: int | None,
    offset: int,
) -> LoadSlice:
    t = wh.table(table)
    mine = t.filter(t.load_id == ibis.literal(load_id, "int64"))
    total = wh.to_arrow(mine.count().as_table()).column(0)[0].as_py()
    chosen = mine.select(*(columns or t.columns)).order_by(order).limit(limit, offset=offset)
    return LoadSlice(total, wh.to_arrow(chosen))
