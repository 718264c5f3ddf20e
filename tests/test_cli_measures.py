"""`vrhub measures`: the CSV has every column of the engine, a part period compared like for like with
its reason in `notes`; the terminal table keeps months and notes."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.measures.test_part_periods import MEASURE, extract
from vrhub.cli import app
from vrhub.measures import COLUMNS

pytestmark = pytest.mark.slow

runner = CliRunner()


def vrhub(data_dir: Path, *args: str | Path) -> str:
    result = runner.invoke(app, [*map(str, args), "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_measures_csv_compares_a_part_year_like_for_like(data_dir: Path, key: bytes, tmp_path: Path) -> None:
    (tmp_path / "extract.csv").write_text(extract())
    (tmp_path / "mine.yaml").write_text(MEASURE)
    vrhub(data_dir, "ingest", "police-records", tmp_path / "extract.csv")
    args = ["measures", "-m", "robberies", "--catalogue", tmp_path / "mine.yaml", "--area", "E23000004"]
    text = vrhub(data_dir, *args, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == COLUMNS
    row = next(r for r in rows if r["period"] == "2019")
    # 18 robberies in April-December 2019 against 9 in those of 2018: +100%, not +166.7%.
    assert (row["months"], row["value"], row["change_vs_previous_pct"]) == ("12", "24", "100.0")
    assert row["wheeler_z"] == "2.4853" and "like for like: on Apr-Dec of both, 9 months" in row["notes"]
    assert next(r for r in rows if r["period"] == "2018")["months"] == "9"
    table = vrhub(data_dir, *args)
    assert "months" in table and "notes" in table and "rate_ratio_vs_baseline" not in table
