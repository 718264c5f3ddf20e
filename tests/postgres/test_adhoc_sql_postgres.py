"""On PostgreSQL `vrhub sql` runs in a READ ONLY transaction with a statement timeout."""

from __future__ import annotations

from pathlib import Path

import pytest

from vrhub.config import settings
from vrhub.errors import VrhubError
from vrhub.hub import Hub

pytestmark = pytest.mark.postgres


def test_a_query_cannot_write_and_is_stopped_after_its_limit(fresh_postgres_url: str, tmp_path: Path) -> None:
    import psycopg

    hub = Hub(settings(data_dir=tmp_path / "pg", warehouse=fresh_postgres_url))
    hub.init()
    with psycopg.connect(fresh_postgres_url.replace("postgres://", "postgresql://"), autocommit=True) as con:
        con.execute("CREATE TABLE IF NOT EXISTS adhoc_probe (n int)")
        # A function that writes, as an attacker with CREATE rights might leave for `vrhub sql` to call.
        con.execute(
            "CREATE OR REPLACE FUNCTION adhoc_write() RETURNS int LANGUAGE sql AS "
            "'INSERT INTO adhoc_probe VALUES (1) RETURNING n'"
        )
    with pytest.raises(VrhubError, match="read-only transaction"):
        hub.sql("SELECT adhoc_write() AS n")
    with pytest.raises(VrhubError, match="ran for more than 0.5 s"):
        hub.sql("SELECT count(*) FROM generate_series(1, 10000000000) g", timeout=0.5)
    assert hub.sql("SELECT count(*) AS n FROM adhoc_probe").to_pylist() == [{"n": 0}]
