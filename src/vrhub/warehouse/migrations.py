"""Versioned schema migrations. Append a new migration; never edit one that has shipped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

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


def _measure_counts(wh: Warehouse) -> None:
    from vrhub.measures.catalogue import EVENT_DATE
    from vrhub.measures.cube import refresh

    for name in ("measure_counts", "measure_count_specs"):
        if not wh.has_table(name):
            wh.con.create_table(name, schema=SCHEMAS[name])
    for source in EVENT_DATE:  # records loaded before this migration are counted now, once
        refresh(wh, source)


def _pseudonym_scheme(wh: Warehouse) -> None:
    """Record the pseudonym scheme: a warehouse already holding pseudonyms keeps HMAC-SHA256, so that new
    loads link to what it holds; any other gets the faster keyed SHA-256 (see `vrhub.pseudonymise`)."""
    from vrhub.pseudonymise import DEFAULT_SCHEME, HMAC_SHA256
    from vrhub.sources import SOURCES
    from vrhub.warehouse.metadata import PSEUDONYM_SCHEME, TABLE, set_setting

    if not wh.has_table(TABLE):
        wh.con.create_table(TABLE, schema=SCHEMAS[TABLE])
    hashing = [s.name for s in SOURCES.values() if any(c.kind == "identifier" for c in s.columns)]
    loads = wh.table("loads")
    held = loads.filter(loads.source.isin(hashing)).count().to_pyarrow().as_py()
    set_setting(wh, PSEUDONYM_SCHEME, HMAC_SHA256 if held else DEFAULT_SCHEME)


def _record_versions(wh: Warehouse) -> None:
    from vrhub.sources.versions import add_record_versions

    add_record_versions(wh)


def _hospital_diagnoses(wh: Warehouse) -> None:
    """Diagnosis positions on hospital admissions. Stored rows had only their cause column, so X99 in any
    position is X99 there; their content keys are made again over the wider rows."""
    from vrhub.measures.cube import refresh
    from vrhub.sources import SOURCES
    from vrhub.sources.versions import rewrite_keys
    from vrhub.warehouse.tables import history_table

    for table in ("hospital_admissions", history_table("hospital_admissions")):
        if not wh.has_table(table):
            continue
        have = set(wh.table(table).columns)
        for column in [f"diag_{i:02d}" for i in range(1, 21)]:
            if column not in have:
                wh.execute(f"ALTER TABLE {table} ADD COLUMN {column} VARCHAR")
        if "sharp_object_any_position" not in have:
            wh.execute(f"ALTER TABLE {table} ADD COLUMN sharp_object_any_position BOOLEAN")
            wh.execute(
                f"UPDATE {table} SET sharp_object_any_position = "
                "coalesce(substr(icd10_cause, 1, 3) = 'X99', false)"
            )
    rewrite_keys(wh, SOURCES["hospital-admissions"])
    refresh(wh, "hospital_admissions")


def _population_sex(wh: Warehouse) -> None:
    # Estimates loaded before this migration are for both sexes.
    if "sex" not in wh.table("population").columns:
        wh.execute("ALTER TABLE population ADD COLUMN sex VARCHAR")
    wh.execute("UPDATE population SET sex = 'all' WHERE sex IS NULL")


MIGRATIONS: list[Migration] = [
    (1, "initial tables", _create_initial_tables),
    (2, "ED attendances: whether the police were informed (Cardiff Model)", _ed_police_informed),
    (3, "event measures counted at load (measure_counts, measure_count_specs)", _measure_counts),
    (4, "the pseudonym scheme recorded per warehouse (warehouse_settings)", _pseudonym_scheme),
    (5, "record versions: record_key, <table>_history, loads.rows_corrected", _record_versions),
    (6, "hospital admissions: diagnosis positions, X99 in any of them", _hospital_diagnoses),
    (7, "population by sex (population.sex: M, F or all)", _population_sex),
]

_LEDGER = ibis.schema({"version": "int32", "name": "string", "applied_at": "timestamp"})


def applied_versions(wh: Warehouse) -> set[int]:
    if not wh.has_table("schema_migrations"):
        return set()
    return set(wh.table("schema_migrations").version.to_pyarrow().to_pylist())


def migrate(wh: Warehouse) -> list[int]:
    """Apply every migration not yet applied, each in its own transaction. Returns the versions applied."""
    if not wh.has_table("schema_migrations"):
        wh.con.create_table("schema_migrations", schema=_LEDGER)
    done = applied_versions(wh)
    applied = []
    for version, name, step in MIGRATIONS:
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
