"""The linkage's schema step (see `vrhub.warehouse.migrations`): the warehouse's side of who is who."""

from __future__ import annotations

from vrhub.warehouse import Warehouse
from vrhub.warehouse.migrations import Migration
from vrhub.warehouse.tables import SCHEMAS


def _person_links(wh: Warehouse) -> None:
    if not wh.has_table("person_links"):
        wh.con.create_table("person_links", schema=SCHEMAS["person_links"])


MIGRATIONS: list[Migration] = [
    (8, "person_links: pseudonymous person ids of the people records (linkage)", _person_links),
]
