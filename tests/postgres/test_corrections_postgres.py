"""Corrections on PostgreSQL: the same rules as on DuckDB (see tests/sources/test_corrections.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sources.test_corrections import MOVED, RECORDS, SUSPECT, VICTIM, write
from vrhub.config import settings
from vrhub.hub import Hub

pytestmark = pytest.mark.postgres


def test_a_correction_supersedes_on_postgresql(fresh_postgres_url: str, tmp_path: Path, key: bytes) -> None:
    hub = Hub(settings(data_dir=tmp_path / "pg", warehouse=fresh_postgres_url))
    hub.init()
    [first] = hub.ingest("police-records", [write(tmp_path / "a.csv", RECORDS, [VICTIM, SUSPECT])])
    [later] = hub.ingest("police-records", [write(tmp_path / "b.csv", RECORDS, [SUSPECT, MOVED])])
    assert (later.rows_loaded, later.duplicates_skipped, later.rows_corrected) == (1, 1, 1)
    held = hub.sql("SELECT CAST(committed_date AS VARCHAR) AS d, superseded_by FROM police_records_history")
    assert held.to_pylist() == [{"d": "2019-03-01", "superseded_by": later.load_id}]
    current = hub.sql("SELECT CAST(committed_date AS VARCHAR) AS d FROM police_records ORDER BY 1")
    assert current.to_pylist() == [{"d": "2019-03-01"}, {"d": "2019-05-01"}]
    assert first.load_id < later.load_id
