"""Schema changes are versioned migrations: an older warehouse is brought up to date, once."""

from __future__ import annotations

from pathlib import Path

import pytest

from vrhub.hub import migrations
from vrhub.warehouse import open_warehouse
from vrhub.warehouse.migrations import current_version, migrate

MIGRATIONS = migrations()

pytestmark = pytest.mark.slow


def test_an_older_warehouse_gains_the_police_informed_column(tmp_path: Path) -> None:
    with open_warehouse(str(tmp_path / "w.duckdb")) as wh:
        assert migrate(wh, MIGRATIONS) == [v for v, _, _ in MIGRATIONS]
        # Make it look like a warehouse from before migration 2.
        wh.execute("ALTER TABLE ed_attendances DROP COLUMN police_informed")
        wh.execute("DELETE FROM schema_migrations WHERE version = 2")
        assert "police_informed" not in wh.table("ed_attendances").columns
        assert migrate(wh, MIGRATIONS) == [2]
        assert "police_informed" in wh.table("ed_attendances").columns
        assert migrate(wh, MIGRATIONS) == [] and current_version(wh) == MIGRATIONS[-1][0]


def test_the_warehouse_alone_stops_short_of_the_data_steps_of_the_floors_above(tmp_path: Path) -> None:
    """Storage knows nothing of measures or sources: by itself it applies its schema steps up to the
    first data step it was not given, and the full list, handed in by the hub, carries on from there."""
    from vrhub.warehouse.migrations import MIGRATIONS as STORAGE

    with open_warehouse(str(tmp_path / "w.duckdb")) as wh:
        assert migrate(wh) == [1, 2]
        assert not wh.has_table("measure_counts") and current_version(wh) == 2
        assert migrate(wh, STORAGE) == []
        assert migrate(wh, MIGRATIONS) == [v for v, _, _ in MIGRATIONS if v > 2]
        assert wh.has_table("measure_counts") and current_version(wh) == MIGRATIONS[-1][0]


def test_two_migrations_of_one_version_are_refused(tmp_path: Path) -> None:
    import pytest

    with open_warehouse(str(tmp_path / "w.duckdb")) as wh, pytest.raises(ValueError, match="share a version"):
        migrate(wh, [*MIGRATIONS, (3, "again", lambda wh: None)])
