"""`vrhub ingest SOURCE --watch DIR`: each complete file dropped into the folder is loaded once and moved to
loaded/ or quarantined/ with its summary beside it; a file still being written waits."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import FIXTURES
from vrhub.cli import app
from vrhub.sources.watch import complete_files

runner = CliRunner()


def vrhub(folder: Path, *args: str):
    return runner.invoke(app, [*args, "--data-dir", str(folder)])


def test_a_file_is_complete_once_untouched_for_the_settle_time(tmp_path: Path) -> None:
    for name in ("old.csv", "new.csv", ".hidden.csv", "copying.csv.part", "old.csv.json"):
        (tmp_path / name).write_text("x\n")
    (tmp_path / "loaded").mkdir()
    now = time.time()
    os.utime(tmp_path / "old.csv", (now - 60, now - 60))
    os.utime(tmp_path / "new.csv", (now - 2, now - 2))
    assert complete_files(tmp_path, settle=5, now=now) == [tmp_path / "old.csv"]
    assert complete_files(tmp_path, settle=1, now=now) == [tmp_path / "old.csv", tmp_path / "new.csv"]


@pytest.mark.slow
def test_once_loads_each_file_moves_it_and_writes_its_summary(
    data_dir: Path, key: bytes, tmp_path: Path
) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    shutil.copy(FIXTURES / "fire" / "bad.csv", drop / "a.csv")
    shutil.copy(FIXTURES / "fire" / "missing_columns.csv", drop / "b.csv")
    (drop / "c.csv.part").write_text("still being written")
    old = time.time() - 60
    os.utime(drop / "a.csv", (old, old))  # a first, then b
    result = vrhub(data_dir, "ingest", "fire", "--watch", str(drop), "--once", "--settle", "0", "--json")
    assert result.exit_code == 2, result.output  # a file was refused (b.csv)
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    # bad.csv: six rows, one sound (see test_cli_ingest)
    assert (first["file"], first["rows_read"], first["rows_loaded"], first["rows_quarantined"]) == (
        "a.csv",
        6,
        1,
        5,
    )
    assert first["moved_to"] == str(drop / "loaded" / "a.csv") and not first["refused"]
    # The error without the path and "refused" the record and the line around it say already.
    assert second["refused"] and second["error"].startswith("missing required column(s)")
    assert second["moved_to"] == str(drop / "quarantined" / "b.csv")
    assert json.loads((drop / "loaded" / "a.csv.json").read_text())["rows_loaded"] == 1
    assert json.loads((drop / "quarantined" / "b.csv.json").read_text())["refused"] is True
    assert sorted(p.name for p in drop.iterdir()) == ["c.csv.part", "loaded", "quarantined"]

    # Loaded once: the same bytes dropped again are already loaded, kept beside the first under a new name.
    shutil.copy(FIXTURES / "fire" / "bad.csv", drop / "a.csv")
    again = vrhub(data_dir, "ingest", "fire", "--watch", str(drop), "--once", "--settle", "0")
    assert again.exit_code == 0, again.output
    assert "a.csv: 6 rows read, 0 loaded, 0 quarantined, 6 duplicates skipped" in again.stdout
    assert len(list((drop / "loaded").glob("a.*.csv"))) == 1
    loads = json.loads(vrhub(data_dir, "loads", "--format", "json").stdout)
    assert [(row["file_name"], row["rows_loaded"]) for row in loads if row["source"] == "fire"] == [
        ("a.csv", 1)
    ]


def test_watch_refuses_files_too_and_a_missing_folder(data_dir: Path, tmp_path: Path) -> None:
    both = vrhub(data_dir, "ingest", "fire", "x.csv", "--watch", str(tmp_path))
    assert both.exit_code == 2 and "--watch: Drop the files into the folder." in both.stderr
    missing = vrhub(data_dir, "ingest", "fire", "--watch", str(tmp_path / "nope"), "--once")
    assert missing.exit_code == 2 and "no such folder" in missing.stderr
    neither = vrhub(data_dir, "ingest", "fire")
    assert neither.exit_code == 2 and "no files given" in neither.stderr


def test_a_watcher_outlives_a_problem_that_is_not_the_files(tmp_path: Path) -> None:
    from vrhub.errors import WarehouseInUse
    from vrhub.sources import watch

    (tmp_path / "a.csv").write_text("x\n")
    tries: list[str] = []
    errors: list[Exception] = []

    def load(path: Path):
        tries.append(path.name)
        raise WarehouseInUse("the warehouse is in use")

    class Enough(Exception):
        pass

    def sleep(_seconds: float) -> None:
        if len(tries) == 2:
            raise Enough  # stop the endless watch after its second sweep

    with pytest.raises(Enough):
        list(watch.watch(tmp_path, load, settle=0, interval=1, on_error=errors.append, sleep=sleep))
    assert tries == ["a.csv", "a.csv"] and len(errors) == 2 and (tmp_path / "a.csv").exists()


def test_once_says_a_refusal_once_and_exits_non_zero(data_dir: Path, key: bytes, tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    shutil.copy(FIXTURES / "fire" / "missing_columns.csv", drop / "b.csv")
    result = vrhub(data_dir, "ingest", "fire", "--watch", str(drop), "--once", "--settle", "0")
    assert result.exit_code == 2, result.output
    [line] = [x for x in result.stdout.splitlines() if x.startswith("b.csv")]
    assert line.startswith("b.csv: refused, nothing loaded: missing required column(s)"), line
    assert line.count("refused") == 1 and str(drop) not in line.split(" -> ")[0]
