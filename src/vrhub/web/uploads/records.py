"""Reading what one load brought in: its quarantined problems and its record-level rows, a page at a time,
through the server's shared warehouse (read-only cursors: a load in progress never blocks them)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import ibis

from vrhub.web.warehouse import hub

PAGE_SIZE = 50
QUARANTINE_COLUMNS = ["row_number", "field", "reason", "value"]


@dataclass
class Page:
    number: int
    size: int
    total: int
    columns: list[str]
    rows: list[dict[str, Any]]

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def first(self) -> int:
        return (self.number - 1) * self.size + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.total, self.number * self.size)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def cells(self) -> list[list[Any]]:
        return [[row.get(c) for c in self.columns] for row in self.rows]


def page_number(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def _page(table: str, load_id: int, order: list[str], columns: list[str] | None, number: int) -> Page:
    with hub().open(read_only=True) as wh:
        t = wh.table(table)
        mine = t.filter(t.load_id == ibis.literal(load_id, "int64"))
        total = wh.to_arrow(mine.count().as_table()).column(0)[0].as_py()
        columns = columns or list(t.columns)
        pages = max(1, math.ceil(total / PAGE_SIZE))
        number = min(number, pages)
        chosen = mine.select(columns).order_by(order).limit(PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
        rows = wh.to_arrow(chosen).to_pylist()
    return Page(number, PAGE_SIZE, total, columns, rows)


def quarantine_page(load_id: int, number: int = 1) -> Page:
    return _page("quarantine", load_id, ["row_number", "field"], QUARANTINE_COLUMNS, number)


def rows_page(table: str, load_id: int, number: int = 1) -> Page:
    return _page(table, load_id, ["row_key"], None, number)


def quarantine_rows(load_id: int) -> Iterator[dict[str, Any]]:
    """Every problem of the load, for the CSV download (a load's quarantine fits in memory: it is the
    problem rows of one file)."""
    with hub().open(read_only=True) as wh:
        q = wh.table("quarantine")
        mine = q.filter(q.load_id == ibis.literal(load_id, "int64"))
        chosen = mine.select(*QUARANTINE_COLUMNS, "raw_row").order_by(["row_number", "field"])
        table = wh.to_arrow(chosen)
    yield from table.to_pylist()
