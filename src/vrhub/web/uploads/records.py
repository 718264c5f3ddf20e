"""Pages of what one load brought in: its quarantined problems and its record-level rows, read by the hub
(vrhub.warehouse.loaded) through the server's shared warehouse (read-only cursors: a load in progress never
blocks them)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from vrhub.warehouse.loaded import PROBLEM_COLUMNS, LoadSlice
from vrhub.web.warehouse import hub

PAGE_SIZE = 50
QUARANTINE_COLUMNS = list(PROBLEM_COLUMNS)


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


def _page(read: Callable[[int, int], LoadSlice], number: int) -> Page:
    """Page `number` of what `read(limit, offset)` gives; past the last page, the last page."""
    got = read(PAGE_SIZE, (number - 1) * PAGE_SIZE)
    pages = max(1, math.ceil(got.total / PAGE_SIZE))
    if number > pages:
        number = pages
        got = read(PAGE_SIZE, (number - 1) * PAGE_SIZE)
    return Page(number, PAGE_SIZE, got.total, got.rows.column_names, got.rows.to_pylist())


def quarantine_page(load_id: int, number: int = 1) -> Page:
    return _page(lambda limit, offset: hub().problems_of_load(load_id, limit, offset), number)


def rows_page(table: str, load_id: int, number: int = 1) -> Page:
    return _page(lambda limit, offset: hub().records_of_load(table, load_id, limit, offset), number)


def quarantine_rows(load_id: int) -> Iterator[dict[str, Any]]:
    """Every problem of the load, for the CSV download (a load's quarantine fits in memory: it is the
    problem rows of one file)."""
    yield from hub().problems_of_load(load_id, raw_rows=True).rows.to_pylist()
