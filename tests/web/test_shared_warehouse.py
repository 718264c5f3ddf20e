"""The single-writer design: one process owns the DuckDB file; its threads share it; other processes are
told why they cannot write."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, TEST_KEY
from vrhub.warehouse import SharedWarehouse


def _count(shared: SharedWarehouse) -> int:
    with shared.open(read_only=True) as wh:
        return wh.sql("SELECT count(*) AS n FROM t").to_pyarrow()["n"][0].as_py()


def test_readers_see_the_last_commit_while_a_write_is_in_flight(tmp_path: Path) -> None:
    shared = SharedWarehouse(str(tmp_path / "w.duckdb"))
    with shared.open() as wh:
        wh.execute("CREATE TABLE t (x INTEGER)")
        wh.execute("INSERT INTO t VALUES (1)")
    writing, release = threading.Event(), threading.Event()

    def slow_load() -> None:
        with shared.open() as wh, wh.transaction():
            wh.execute("INSERT INTO t SELECT * FROM range(1000)")
            writing.set()
            release.wait(10)

    writer = threading.Thread(target=slow_load)
    writer.start()
    assert writing.wait(10)
    seen = []
    readers = [threading.Thread(target=lambda: seen.append(_count(shared))) for _ in range(4)]
    for r in readers:
        r.start()
    for r in readers:
        r.join(10)
    assert seen == [1, 1, 1, 1]  # the uncommitted thousand rows are invisible, and nobody was refused
    before = shared.generation
    release.set()
    writer.join(10)
    assert _count(shared) == 1001
    assert shared.generation != before  # caches keyed on it recompute after the load
    shared.close()


def test_writers_queue_instead_of_failing(tmp_path: Path) -> None:
    shared = SharedWarehouse(str(tmp_path / "w.duckdb"))
    with shared.open() as wh:
        wh.execute("CREATE TABLE t (x INTEGER)")
    errors: list[BaseException] = []

    def load(i: int) -> None:
        try:
            with shared.open() as wh, wh.transaction():
                wh.execute(f"INSERT INTO t VALUES ({i})")
        except BaseException as exc:  # pragma: no cover - the assertion below reports it
            errors.append(exc)

    threads = [threading.Thread(target=load, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert errors == []
    assert _count(shared) == 8
    shared.close()


@pytest.mark.slow
def test_a_command_line_load_while_the_server_holds_the_file_is_refused_with_the_reason(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from vrhub.cli import app

    env = {**os.environ, "VRHUB_PSEUDONYM_KEY": TEST_KEY, "VRHUB_DATA_DIR": str(data_dir)}
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from vrhub.warehouse import SharedWarehouse; "
            f"s = SharedWarehouse({str(data_dir / 'warehouse.duckdb')!r}); print('open', flush=True); "
            "sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        # `vrhub ingest` in this process: another process than the holder, which is what matters.
        monkeypatch.setenv("VRHUB_PSEUDONYM_KEY", TEST_KEY)
        monkeypatch.setenv("VRHUB_DATA_DIR", str(data_dir))
        done = CliRunner().invoke(app, ["ingest", "fire", str(FIXTURES / "fire" / "good.csv")])
    finally:
        holder.communicate("", timeout=30)
    assert done.exit_code != 0
    assert "vrhub serve" in done.stderr + done.stdout
    assert isinstance(done.exception, SystemExit)  # the command line's own refusal, not an exception's
