"""A read-only copy of the warehouse that other processes and tools can read while one process holds it.

A DuckDB file admits one process: while `vrhub serve` (or a load) has it open, `vrhub sql`, `vrhub export`,
R, Power BI and QGIS cannot read it. So after every load the process that wrote publishes a snapshot: one
Parquet file per table, all read in one transaction (a consistent state, never half a load), with a
manifest. The layout, under the data folder:

    snapshot/
      current -> 20250301T101500123456Z      (a symbolic link, swapped atomically)
      20250301T101500123456Z/
        manifest.json                         (snapshot_id, published_at, warehouse, loads, tables)
        police_records.parquet ...

A snapshot is written into a hidden folder and made current by renaming a link over `current`, so a reader
sees the old snapshot or the new, never a part-written one; the one before stays for a reader that resolved
it a moment ago. Publishers take a file lock, so the last to publish has read the latest state.

What is left out: `warehouse_settings` (it holds the pseudonym key's fingerprint, which no analysis needs),
and of course the linkage vault and the key, which are files of their own and never tables here. Every
other table holds only what `vrhub sql` shows: pseudonyms, never clear identifiers.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ibis
import pyarrow.parquet as pq

from vrhub.warehouse.connection import Warehouse
from vrhub.warehouse.history import snapshot as loads_snapshot

FOLDER = "snapshot"
CURRENT = "current"
MANIFEST = "manifest.json"
# Tables never copied: the key's fingerprint (see the module's docstring).
LEFT_OUT = frozenset({"warehouse_settings"})
BATCH_ROWS = 100_000  # rows held in memory at a time while a table is written


@dataclass(frozen=True)
class Manifest:
    folder: Path
    snapshot_id: str
    published_at: str  # ISO 8601, UTC
    warehouse: str
    loads: str  # the loads it holds, as `vrhub.warehouse.history.snapshot` names them
    tables: dict[str, int]  # table -> rows

    @property
    def when(self) -> str:
        """The publication time as a reader takes it in: 2025-03-01 10:15 UTC."""
        return dt.datetime.fromisoformat(self.published_at).strftime("%Y-%m-%d %H:%M:%S UTC")


def _same_warehouse(a: str, b: str) -> bool:
    return os.path.realpath(a.removeprefix("duckdb://")) == os.path.realpath(b.removeprefix("duckdb://"))


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    with (root / ".lock").open("a") as lock:
        os.chmod(root / ".lock", 0o600)
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def publish(wh: Warehouse, root: Path) -> Manifest:
    """Write every table (but those LEFT_OUT) of `wh` as it stands now to a new snapshot under `root` (the
    data folder's `snapshot/`) and make it current."""
    with _locked(root):
        for stale in root.glob(".publishing-*"):  # a publisher killed part-way: nothing reads these
            shutil.rmtree(stale, ignore_errors=True)
        now = dt.datetime.now(dt.UTC)
        snapshot_id = now.strftime("%Y%m%dT%H%M%S%fZ")
        work = Path(tempfile.mkdtemp(prefix=".publishing-", dir=root))  # made 0o700
        try:
            tables, loads = _write_tables(wh, work)
            manifest: dict[str, Any] = {
                "snapshot_id": snapshot_id,
                "published_at": now.isoformat(),
                "warehouse": os.path.realpath(wh.url.removeprefix("duckdb://")),
                "loads": loads,
                "tables": tables,
            }
            _write_private(work / MANIFEST, json.dumps(manifest, indent=1) + "\n")
            final = root / snapshot_id
            work.rename(final)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        link = root / f".{CURRENT}-{snapshot_id}"
        os.symlink(snapshot_id, link)
        os.replace(link, root / CURRENT)  # the atomic step: readers now see the new snapshot
        _prune(root, keep={snapshot_id})
        return Manifest(final, snapshot_id, manifest["published_at"], manifest["warehouse"], loads, tables)


def _write_tables(wh: Warehouse, folder: Path) -> tuple[dict[str, int], str]:
    """Every table, read in one transaction so that all of them are of one state of the warehouse."""
    raw = wh.con.con
    names = [n for n in stored_tables(wh) if n not in LEFT_OUT]
    counts: dict[str, int] = {}
    raw.execute("BEGIN TRANSACTION")
    try:
        loads = loads_snapshot(wh)
        for name in names:
            reader = raw.execute(f'SELECT * FROM "{name}"').to_arrow_reader(BATCH_ROWS)
            path = folder / f"{name}.parquet"
            rows = 0
            with pq.ParquetWriter(path, reader.schema, compression="zstd") as writer:
                for batch in reader:
                    writer.write_batch(batch)
                    rows += batch.num_rows
            os.chmod(path, 0o600)
            counts[name] = rows
    finally:
        raw.execute("ROLLBACK")  # nothing was written: only the reads' consistent view ends
    return counts, loads


def stored_tables(wh: Warehouse) -> list[str]:
    """The warehouse's own tables (a snapshot's views), never a connection's temporary ones: a load stages
    its rows in temporary tables on the connection it writes through, before they are pseudonymised."""
    if not wh.is_duckdb:
        return sorted(wh.con.list_tables())
    query = """
        SELECT table_name FROM duckdb_tables()
        WHERE NOT temporary AND database_name = current_database() AND schema_name = 'main'
        UNION
        SELECT view_name FROM duckdb_views()
        WHERE NOT temporary AND NOT internal AND database_name = current_database() AND schema_name = 'main'
    """
    return sorted(r[0] for r in wh.con.con.execute(query).fetchall())


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)


def _prune(root: Path, keep: set[str]) -> None:
    """Keep the new snapshot and the one before it (a reader may have just resolved it); drop older ones."""
    folders = sorted(
        (p for p in root.iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith(".")),
        reverse=True,
    )
    for old in [p for p in folders if p.name not in keep][1:]:
        shutil.rmtree(old, ignore_errors=True)


def current(root: Path) -> Manifest | None:
    """The current snapshot's manifest, or None when none has been published."""
    link = root / CURRENT
    try:
        folder = Path(os.path.realpath(link, strict=True))  # resolved once: a new one may replace it later
        data: dict[str, Any] = json.loads((folder / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return Manifest(
        folder, data["snapshot_id"], data["published_at"], data["warehouse"], data["loads"], data["tables"]
    )


def open_snapshot(root: Path, warehouse: str) -> tuple[Warehouse, Manifest] | None:
    """The current snapshot of `warehouse` as a read-only warehouse (an in-memory DuckDB whose tables are
    views on the Parquet files), or None when there is none of that warehouse."""
    manifest = current(root)
    if manifest is None or not _same_warehouse(manifest.warehouse, warehouse):
        return None
    con = ibis.duckdb.connect()
    raw = con.con
    raw.execute("SET autoinstall_known_extensions = false")
    raw.execute("SET enable_progress_bar = false")
    # The views read their files even once ad hoc SQL turns external access off (vrhub.warehouse.adhoc),
    # and nothing else on the machine can then be read.
    raw.execute(f"SET allowed_directories = ['{_quoted(str(manifest.folder))}/']")
    for name in manifest.tables:
        path = _quoted(str(manifest.folder / f"{name}.parquet"))
        raw.execute(f"CREATE VIEW \"{name}\" AS SELECT * FROM read_parquet('{path}')")
    return Warehouse(con, str(manifest.folder), read_only=True), manifest


def _quoted(text: str) -> str:
    return text.replace("'", "''")
