"""Migration 5 gives a warehouse that held records before versions their keys: a re-extract of the same
rows still adds nothing, and a correction supersedes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.sources.helpers import ingest, rows
from vrhub.hub import Hub, migrations
from vrhub.warehouse.migrations import migrate
from vrhub.warehouse.tables import RECORD_TABLES

pytestmark = pytest.mark.slow

POLICE = FIXTURES / "police-records" / "good.csv"


def test_a_warehouse_from_before_record_versions_is_keyed_again(hub: Hub, tmp_path: Path) -> None:
    ingest(hub, "police-records", POLICE)
    with hub.open() as wh:
        # As a warehouse made before migration 5 stood: no record keys, no history, other row keys.
        for table in RECORD_TABLES:
            wh.execute(f"DROP TABLE {table}_history")
            wh.execute(f"ALTER TABLE {table} DROP COLUMN record_key")
        wh.execute("UPDATE police_records SET row_key = sha256(crime_key)")
        wh.execute("ALTER TABLE loads DROP COLUMN rows_corrected")
        wh.execute("DELETE FROM schema_migrations WHERE version = 5")
        assert migrate(wh, migrations()) == [5]
    lines = POLICE.read_text().splitlines()
    reordered = tmp_path / "re-extract.csv"
    reordered.write_text("\n".join([lines[0], *reversed(lines[1:])]) + "\n")
    again = ingest(hub, "police-records", reordered)
    assert (again.rows_loaded, again.duplicates_skipped) == (0, 7)
    corrected = tmp_path / "corrected.csv"
    corrected.write_text("\n".join([lines[0], lines[1].replace(",8N,", ",5D,")]) + "\n")
    fixed = ingest(hub, "police-records", corrected)
    assert (fixed.rows_loaded, fixed.rows_corrected) == (1, 1)
    assert rows(hub, "SELECT offence_code FROM police_records_history") == [{"offence_code": "8N"}]
