"""The measures' data migrations (see `vrhub.warehouse.migrations`): counts made at load."""

from __future__ import annotations

from vrhub.measures.catalogue import EVENT_DATE
from vrhub.measures.cube import refresh
from vrhub.warehouse import Warehouse
from vrhub.warehouse.migrations import Migration
from vrhub.warehouse.tables import SCHEMAS


def _measure_counts(wh: Warehouse) -> None:
    for name in ("measure_counts", "measure_count_specs"):
        if not wh.has_table(name):
            wh.con.create_table(name, schema=SCHEMAS[name])
    for source in EVENT_DATE:  # records loaded before this migration are counted now, once
        refresh(wh, source)


MIGRATIONS: list[Migration] = [
    (3, "event measures counted at load (measure_counts, measure_count_specs)", _measure_counts),
]
