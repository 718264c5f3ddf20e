"""The snapshot other processes read: published at init and after each load, consistent with the warehouse,
private, without the key or clear identifiers; read by `vrhub export` and `vrhub sql` (saying so) while
another process holds the DuckDB file, as `vrhub serve` does."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from tests.conftest import TEST_KEY
from tests.exports.conftest import load_extract
from tests.exports.fixture import CLEAR, COUNTS
from vrhub.cli import app
from vrhub.config import settings
from vrhub.hub import Hub
from vrhub.warehouse.history import snapshot
from vrhub.warehouse.snapshots import LEFT_OUT, current

pytestmark = pytest.mark.slow


def tables_of(warehouse: Path) -> dict[str, int]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        names = [r[0] for r in con.execute("SHOW TABLES").fetchall()]
        return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}  # type: ignore[index]
    finally:
        con.close()


def loads_now(hub: Hub) -> str:
    with hub.open(read_only=True) as wh:
        return snapshot(wh)


def test_init_and_each_load_publish_the_warehouse_as_it_stands(data_dir: Path, key: bytes) -> None:
    root = data_dir / "snapshot"
    hub = Hub(settings(data_dir=data_dir))
    hub.init()
    first = current(root)
    assert first is not None and first.loads == loads_now(hub)
    load_extract(data_dir)
    second = current(root)
    assert second is not None and second.loads == loads_now(hub) != first.loads
    stored = tables_of(data_dir / "warehouse.duckdb")
    assert second.tables == {n: c for n, c in stored.items() if n not in LEFT_OUT}
    assert second.tables["police_records"] == sum(COUNTS.values())
    for name, rows in second.tables.items():  # each file holds what its manifest says
        assert pq.read_metadata(second.folder / f"{name}.parquet").num_rows == rows
    # The one before stays for a reader that had just resolved it; older ones go.
    assert first.folder.is_dir()
    hub.init()
    assert not first.folder.exists() and second.folder.is_dir()
    assert os.readlink(root / "current") == current(root).folder.name  # type: ignore[union-attr]


def test_the_snapshot_is_private_and_holds_neither_key_nor_clear_identifiers(
    data_dir: Path, key: bytes
) -> None:
    load_extract(data_dir)
    manifest = current(data_dir / "snapshot")
    assert manifest is not None
    files = sorted(manifest.folder.iterdir())
    assert {f.name for f in files} == {"manifest.json", *(f"{n}.parquet" for n in manifest.tables)}
    assert "warehouse_settings" not in manifest.tables  # the key's fingerprint
    for folder in (data_dir / "snapshot", manifest.folder):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for f in files:
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f
        assert TEST_KEY.encode() not in f.read_bytes()
        if f.suffix == ".parquet":
            table = pq.read_table(f)
            for column in table.columns:
                if pa.types.is_string(column.type):
                    assert not any(CLEAR in v for v in column.to_pylist() if v), (f.name, column)


def _hold(data_dir: Path, extract: Path) -> subprocess.Popen[str]:
    """A process that does what `vrhub serve` does to the warehouse: opens it once, shared, for good, and
    loads a file through it (an upload). It says 'loaded' and holds the file until its stdin closes."""
    code = (
        "import sys; from pathlib import Path; from vrhub.config import settings; from vrhub.hub import Hub; "
        "from vrhub.warehouse import SharedWarehouse; "
        f"config = settings(data_dir={str(data_dir)!r}); "
        "hub = Hub(config, shared=SharedWarehouse(config.warehouse)); hub.init(); "
        f"list(hub.ingest('police-records', [Path({str(extract)!r})])); print('loaded', flush=True); "
        "sys.stdin.read()"
    )
    env = {**os.environ, "VRHUB_PSEUDONYM_KEY": TEST_KEY, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
    )


def test_exports_and_sql_read_the_snapshot_while_the_server_holds_the_warehouse(
    data_dir: Path, tmp_path: Path
) -> None:
    from tests.exports.fixture import extract

    (tmp_path / "extract.csv").write_text(extract())
    assert not (data_dir / "snapshot").exists()
    holder = _hold(data_dir, tmp_path / "extract.csv")
    runner = CliRunner()
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "loaded"
        exported = runner.invoke(
            app,
            [
                "export",
                "table",
                "police_records",
                "--out",
                str(tmp_path / "p.parquet"),
                "--data-dir",
                str(data_dir),
            ],
        )
        asked = runner.invoke(
            app,
            [
                "sql",
                "SELECT count(*) AS n FROM police_records",
                "--format",
                "csv",
                "--data-dir",
                str(data_dir),
            ],
        )
        measured = runner.invoke(
            app,
            [
                "export",
                "measures",
                "-m",
                "ho_knife_sv",
                "--area",
                "E23000004",
                "--out",
                str(tmp_path / "m.csv"),
                "--data-dir",
                str(data_dir),
            ],
        )
        # Without a snapshot, the warehouse is refused as before.
        manifest = current(data_dir / "snapshot")
        assert manifest is not None
        (data_dir / "snapshot" / "current").unlink()
        refused = runner.invoke(app, ["sql", "SELECT 1", "--data-dir", str(data_dir)])
    finally:
        holder.communicate("", timeout=60)
    for result in (exported, asked, measured):
        assert result.exit_code == 0, result.output
        assert f"reading the snapshot of {manifest.when}" in result.stderr
        assert "in use by the server" in result.stderr
    # What the server loaded a moment ago is in the snapshot.
    assert pq.read_table(tmp_path / "p.parquet").num_rows == sum(COUNTS.values())
    assert asked.stdout.splitlines() == ["n", str(sum(COUNTS.values()))]
    values = {r.split(",")[1]: r.split(",")[7] for r in (tmp_path / "m.csv").read_text().splitlines()[1:]}
    assert (values["2019"], values["2020"]) == ("24", "18")
    assert refused.exit_code == 1 and "another process has it open" in refused.stderr


def test_vrhub_snapshot_off_publishes_none_and_on_publishes_again(
    data_dir: Path, key: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VRHUB_SNAPSHOT", "off")
    hub = load_extract(data_dir)
    assert not (data_dir / "snapshot").exists()
    monkeypatch.setenv("VRHUB_SNAPSHOT", "on")
    manifest = hub.publish_snapshot()
    assert manifest is not None and current(data_dir / "snapshot") is not None
    assert tables_of(Path(hub.settings.warehouse))["police_records"] == 42
