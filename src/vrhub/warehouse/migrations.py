"""Versioned migrations. Append a new migration; never edit one that has shipped.

The warehouse owns the ledger and its own schema steps. A step that rewrites data in a way only a floor
above understands (counting measures, re-keying a source's records) is that floor's, in its own
`migrations` module; whoever opens the warehouse for the library (the hub) hands every floor's steps to
`migrate`. Versions are applied in order, and never past one that was not handed in, so a partial list
leaves the warehouse where the full one will find it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

import ibis

from vrhub.warehouse.connection import Warehouse
from vrhub.warehouse.tables import SCHEMAS

Migration = tuple[int, str, Callable[[Warehouse], None]]


def _create_initial_tables(wh: Warehouse) -> None:
    for name in [
        "loads",
        "quarantine",
        "definition_versions",
        "lsoa_lookup",
        "population",
        "police_records",
        "police_uk_crimes",
        "ed_attendances",
        "hospital_admissions",
        "ambulance_callouts",
        "fire_incidents",
        "indicators",
    ]:
        if not wh.has_table(name):
            wh.con.create_table(name, schema=SCHEMAS[name])


def _ed_police_informed(wh: Warehouse) -> None:
    # Warehouses made before this migration lack the column; ones made after get it from migration 1.
    if "police_informed" not in wh.table("ed_attendances").columns:
        wh.execute("ALTER TABLE ed_attendances ADD COLUMN police_informed BOOLEAN")


def _population_sex(wh: Warehouse) -> None:
    # Estimates loaded before this migration are for both sexes.
    if "sex" not in wh.table("population").columns:
        wh.execute("ALTER TABLE population ADD COLUMN sex VARCHAR")
    wh.execute("UPDATE population SET sex = 'all' WHERE sex IS NULL")


def _quarantine_resolved(wh: Warehouse) -> None:
    if not wh.has_table("quarantine_resolved"):
        wh.con.create_table("quarantine_resolved", schema=SCHEMAS["quarantine_resolved"])


# Versions 3 to 6 are data migrations of the floors above: measures (3) and sources (4, 5, 6).
MIGRATIONS: list[Migration] = [
    (1, "initial tables", _create_initial_tables),
    (2, "ED attendances: whether the police were informed (Cardiff Model)", _ed_police_informed),
    (7, "population by sex (population.sex: M, F or all)", _population_sex),
    (10, "quarantined rows a later load of their file resolved (quarantine_resolved)", _quarantine_resolved),
]

_LEDGER = ibis.schema({"version": "int32", "name": "string", "applied_at": "timestamp"})


def applied_versions(wh: Warehouse) -> set[int]:
    if not wh.has_table("schema_migrations"):
        return set()
    return set(wh.table("schema_migrations").version.to_pyarrow().to_pylist())


def migrate(wh: Warehouse, migrations: Iterable[Migration] = MIGRATIONS) -> list[int]:
    """Apply every migration not yet applied, in version order, each in its own transaction, stopping
    short of a version missing from `migrations`. Returns the versions applied."""
    steps = sorted(migrations, key=lambda m: m[0])
    versions = [version for version, _, _ in steps]
    if len(set(versions)) != len(versions):
        raise ValueError(f"two migrations share a version: {versions}")
    if not wh.has_table("schema_migrations"):
        wh.con.create_table("schema_migrations", schema=_LEDGER)
    done = applied_versions(wh)
    applied = []
    expected = 1
    for version, name, step in steps:
        if any(v not in done for v in range(expected, version)):
            break  # a step between was not handed in: the full list will run it, then this one
        expected = version + 1
        if version in done:
            continue
        with wh.transaction():
            step(wh)
            row = {"version": [version], "name": [name], "applied_at": [dt.datetime.now(dt.UTC)]}
            wh.insert("schema_migrations", ibis.memtable(row, schema=_LEDGER))
        applied.append(version)
    return applied


def current_version(wh: Warehouse) -> int:
    return max(applied_versions(wh), default=0)
