"""The warehouse: migrations applied once, transactions all or nothing, read-only where it should be."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest

from vrhub.errors import WarehouseError
from vrhub.hub import migrations
from vrhub.warehouse import open_warehouse
from vrhub.warehouse.migrations import applied_versions, current_version, migrate
from vrhub.warehouse.tables import SCHEMAS

pytestmark = pytest.mark.slow
MIGRATIONS = migrations()


def test_migrations_apply_once_and_create_every_table(tmp_path: Path) -> None:
    url = str(tmp_path / "w.duckdb")
    with open_warehouse(url) as wh:
        assert migrate(wh, MIGRATIONS) == [v for v, _, _ in MIGRATIONS]
        assert migrate(wh, MIGRATIONS) == []
        assert current_version(wh) == max(v for v, _, _ in MIGRATIONS)
        assert set(SCHEMAS) <= set(wh.con.list_tables())
        for name, schema in SCHEMAS.items():
            stored = wh.table(name).schema()
            assert list(stored) == list(schema)
            # DuckDB gives timestamps their precision (microseconds); the declared ones have none.
            assert [str(t).replace("timestamp(6)", "timestamp") for t in stored.types] == [
                str(t) for t in schema.types
            ]
    with open_warehouse(url) as wh:
        assert migrate(wh, MIGRATIONS) == [] and applied_versions(wh) == {v for v, _, _ in MIGRATIONS}


def test_a_transaction_is_all_or_nothing(tmp_path: Path) -> None:
    with open_warehouse(str(tmp_path / "w.duckdb")) as wh:
        migrate(wh, MIGRATIONS)
        row = pa.table(
            {
                "indicator_id": ["x"],
                "area_code": ["E08000012"],
                "period": ["2019"],
                "value": [1.0],
                "unit": ["count"],
                "note": [None],
                "load_id": [1],
                "row_key": ["k"],
                "record_key": ["r"],
            },
            schema=SCHEMAS["indicators"].to_pyarrow(),
        )
        with pytest.raises(RuntimeError), wh.transaction():
            wh.insert("indicators", row)
            wh.execute("DELETE FROM lsoa_lookup")
            raise RuntimeError("killed midway")
        assert wh.table("indicators").count().to_pyarrow().as_py() == 0
        with wh.transaction():
            wh.insert("indicators", row)
        assert wh.table("indicators").count().to_pyarrow().as_py() == 1


def test_read_only_needs_an_existing_warehouse_and_refuses_writes(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.duckdb"
    with pytest.raises(WarehouseError, match="no warehouse at") as refused:
        open_warehouse(str(missing), read_only=True)
    assert "vrhub init" in refused.value.hint and not missing.exists()
    with open_warehouse(str(tmp_path / "w.duckdb")) as wh:
        migrate(wh, MIGRATIONS)
    with (
        open_warehouse(str(tmp_path / "w.duckdb"), read_only=True) as wh,
        pytest.raises(Exception, match="read-only"),
    ):
        wh.execute("DELETE FROM loads")


def test_a_warehouse_another_process_is_writing_gives_advice(tmp_path: Path) -> None:
    url = str(tmp_path / "w.duckdb")
    with open_warehouse(url) as wh:
        migrate(wh, MIGRATIONS)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, sys; con = duckdb.connect({url!r}); print('locked', flush=True); "
            "sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(WarehouseError) as refused:
            open_warehouse(url)
        assert "cannot open the warehouse" in refused.value.message
        assert "Another vrhub process" in refused.value.hint
    finally:
        holder.communicate("")
