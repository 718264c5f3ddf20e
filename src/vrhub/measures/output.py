"""The measures table as a reader takes it in CSV or JSON: counts as whole numbers.

One column holds both event counts and reported indicators' figures (4.4 per cent), so Arrow and pandas
make it a float column and a count of 230 would print as 230.0. Rows are written one by one instead, each
value as its measure means it."""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

import pyarrow as pa

from vrhub import spreadsheet


def shown_values(table: pa.Table) -> list[int | float | None]:
    """Each row's value: an event measure's count (not a share or a percentage) as a whole number."""
    values = table.column("value").to_pylist()
    months = table.column("months").to_pylist()
    units = table.column("unit").to_pylist()
    return [
        int(v) if isinstance(v, float) and n is not None and u != "percent" and v.is_integer() else v
        for v, n, u in zip(values, months, units, strict=True)
    ]


def records(table: pa.Table) -> list[dict[str, Any]]:
    """The rows as dicts (JSON), counts whole."""
    return [{**r, "value": v} for r, v in zip(table.to_pylist(), shown_values(table), strict=True)]


def write_csv(table: pa.Table, target: Path | IO[str]) -> None:
    """The table as CSV, one header row, counts whole (a path or anything with write())."""
    rows = (list(r.values()) for r in records(table))
    if isinstance(target, Path):
        with target.open("w", encoding="utf-8", newline="") as handle:
            spreadsheet.write_csv(handle, table.column_names, rows)
    else:
        spreadsheet.write_csv(target, table.column_names, rows)
