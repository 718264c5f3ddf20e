"""The sources' data migrations (see `vrhub.warehouse.migrations`): what only the source adapters know
how to rewrite in records already stored."""

from __future__ import annotations

from vrhub.pseudonymise import DEFAULT_SCHEME, HMAC_SHA256
from vrhub.sources import SOURCES
from vrhub.sources.versions import add_record_versions, rewrite_keys
from vrhub.warehouse import Warehouse
from vrhub.warehouse.events import RecordsChanged
from vrhub.warehouse.metadata import PSEUDONYM_SCHEME, TABLE, set_setting
from vrhub.warehouse.migrations import Migration
from vrhub.warehouse.tables import PERSON_RECORD_TABLES, SCHEMAS, history_table


def _pseudonym_scheme(wh: Warehouse) -> None:
    """Record the pseudonym scheme: a warehouse already holding pseudonyms keeps HMAC-SHA256, so that new
    loads link to what it holds; any other gets the faster keyed SHA-256 (see `vrhub.pseudonymise`)."""
    if not wh.has_table(TABLE):
        wh.con.create_table(TABLE, schema=SCHEMAS[TABLE])
    hashing = [s.name for s in SOURCES.values() if any(c.kind == "identifier" for c in s.columns)]
    loads = wh.table("loads")
    held = loads.filter(loads.source.isin(hashing)).count().to_pyarrow().as_py()
    set_setting(wh, PSEUDONYM_SCHEME, HMAC_SHA256 if held else DEFAULT_SCHEME)


def _hospital_diagnoses(wh: Warehouse) -> None:
    """Diagnosis positions on hospital admissions. Stored rows had only their cause column, so X99 in any
    position is X99 there; their content keys are made again over the wider rows."""
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
    wh.records_changed(RecordsChanged("hospital_admissions"))


def _person_sources(wh: Warehouse) -> None:
    """Education records and intervention participants: the tables cohorts are drawn from, each with its
    history."""
    for table in PERSON_RECORD_TABLES:
        for name in (table, history_table(table)):
            if not wh.has_table(name):
                wh.con.create_table(name, schema=SCHEMAS[name])


# Version 8 is the linkage's (people, person_links).
MIGRATIONS: list[Migration] = [
    (4, "the pseudonym scheme recorded per warehouse (warehouse_settings)", _pseudonym_scheme),
    (5, "record versions: record_key, <table>_history, loads.rows_corrected", add_record_versions),
    (6, "hospital admissions: diagnosis positions, X99 in any of them", _hospital_diagnoses),
    (9, "education records and intervention participants (education_records, participants)", _person_sources),
]
