"""The same pipeline on PostgreSQL gives the same figures as on DuckDB."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.measures.test_engine import EXTRACT
from vrhub.config import settings
from vrhub.hub import Hub
from vrhub.measures import MeasureRequest

pytestmark = pytest.mark.postgres


def test_ingest_and_measures_match_duckdb(postgres_url: str, tmp_path: Path) -> None:
    extract = tmp_path / "extract.csv"
    extract.write_text(EXTRACT)
    on_duckdb = Hub(settings(data_dir=tmp_path / "duck"))
    on_postgres = Hub(settings(data_dir=tmp_path / "pg", warehouse=postgres_url))
    results = []
    for hub in (on_duckdb, on_postgres):
        [summary] = hub.ingest("police-records", [extract])
        assert (summary.rows_read, summary.rows_loaded) == (10, 10)
        [again] = hub.ingest("police-records", [extract])
        assert again.already_loaded and again.rows_loaded == 0
        table = hub.measures(
            MeasureRequest(
                measures=["local_sv_offences_appendix", "local_sv_victims_u25_appendix"], by="age_band"
            )
        )
        results.append(sorted(table.table.drop_columns(["definition_version"]).to_pylist(), key=str))
    assert results[0] == results[1]
    assert any(r["value"] == 3 and r["period"] == "2019" and r["breakdown"] == "" for r in results[1])
