"""`vrhub ingest` of several files: a refused file is reported and the next one still loads; the command
exits non-zero when any was refused; with --json every file gets its object, the refusal too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vrhub.cli import app

pytestmark = pytest.mark.slow  # each test loads files through the whole ingest (0.5 s or more)

runner = CliRunner()
FIRE = "incident_ref,incident_date,incident_type,lsoa_code\n"


def _files(tmp_path: Path) -> list[Path]:
    good = tmp_path / "fire_a.csv"
    good.write_text(FIRE + "F1,2021-03-01,deliberate_primary,E01006412\n")
    semi = tmp_path / "fire_semi.csv"
    semi.write_text(FIRE.replace(",", ";") + "F2;2021-03-01;deliberate_primary;E01006412\n")
    good2 = tmp_path / "fire_b.csv"
    good2.write_text(FIRE + "F3,2021-03-02,deliberate_primary,E01006412\nF4,2021-03-02,deliberate_primary,\n")
    return [good, semi, good2]


def test_a_refused_file_does_not_stop_the_files_after_it(data_dir: Path, key: bytes, tmp_path: Path) -> None:
    files = _files(tmp_path)
    result = runner.invoke(app, ["ingest", "fire", *map(str, files), "--data-dir", str(data_dir)])
    assert result.exit_code == 2, result.output
    assert "fire_a.csv: 1 rows read, 1 loaded," in result.stdout
    assert "fire_b.csv: 2 rows read, 2 loaded" in result.stdout
    assert "fire_semi.csv: refused" in result.stderr
    assert "1 of 3 files refused" in result.stderr


def test_with_json_each_file_and_each_refusal_is_one_object(
    data_dir: Path, key: bytes, tmp_path: Path
) -> None:
    files = _files(tmp_path)
    result = runner.invoke(app, ["ingest", "fire", *map(str, files), "--json", "--data-dir", str(data_dir)])
    assert result.exit_code == 2, result.output
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(o["file"]).name for o in objects] == ["fire_a.csv", "fire_semi.csv", "fire_b.csv"]
    assert [o.get("rows_loaded") for o in objects] == [1, None, 2]
    assert objects[1]["exit_code"] == 2 and "refused" in objects[1]["error"]
