"""Schema changes are versioned migrations: an older warehouse is brought up to date, once."""

from __future__ import annotations

from pathlib import Path

import pytest

from vrhub.warehouse import open_warehouse
from vrhub.warehouse.migrations import MIGRATIONS, current_version, migrate

pytestmark = pytest.mark.slow


def test_an_older_warehouse_gains_the_police_informed_column(tmp_path: Path) -> None:
    with open_warehouse(str(tmp_path / "w.duckdb")) as wh:
        assert migrate(wh) == [v for v, _, _ in MIGRATIONS]
        # Make it look like a warehouse from before migration 2.
        wh.execute("ALTER TABLE ed_attendances DROP COLUMN police_informed")
        wh.execute("DELETE FROM schema_migrations WHERE version = 2")
        assert "police_informed" not in wh.table("ed_attendances").columns
        assert migrate(wh) == [2]
        assert "police_informed" in wh.table("ed_attendances").columns
        assert migrate(wh) == [] and current_version(wh) == MIGRATIONS[-1][0]
