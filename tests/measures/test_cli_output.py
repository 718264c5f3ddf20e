"""`vrhub measures` output: counts print as whole numbers beside reported indicators' decimals in CSV and
JSON, and a measure the request leaves out is named on stderr with the reason."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.measures.test_part_periods import MEASURE, extract
from vrhub.cli import app

pytestmark = pytest.mark.slow

runner = CliRunner()
FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.fixture
def loaded(data_dir: Path, key: bytes, tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "extract.csv").write_text(extract())
    (tmp_path / "mine.yaml").write_text(MEASURE)
    for source, path in (
        ("police-records", tmp_path / "extract.csv"),
        ("indicators", FIXTURES / "indicators" / "good.csv"),
    ):
        result = runner.invoke(app, ["ingest", source, str(path), "--data-dir", str(data_dir)])
        assert result.exit_code == 0, result.output
    return data_dir, tmp_path / "mine.yaml"


def measures(loaded: tuple[Path, Path], *args: str):
    data_dir, catalogue = loaded
    result = runner.invoke(
        app, ["measures", *args, "--catalogue", str(catalogue), "--data-dir", str(data_dir)]
    )
    assert result.exit_code == 0, result.output
    return result


def test_counts_are_whole_numbers_beside_indicators(loaded: tuple[Path, Path]) -> None:
    args = ["-m", "robberies", "-m", "local_neet_16_17", "--area", "E23000004"]
    rows = list(csv.DictReader(io.StringIO(measures(loaded, *args, "--format", "csv").stdout)))
    robberies = {r["period"]: r for r in rows if r["measure_id"] == "robberies" and r["breakdown"] == ""}
    assert (robberies["2019"]["value"], robberies["2019"]["months"]) == ("24", "12")
    neet = next(r for r in rows if r["measure_id"] == "local_neet_16_17")
    assert neet["value"] == "5.4" and neet["months"] == ""
    got = json.loads(measures(loaded, *args, "--format", "json").stdout)
    count = next(r for r in got if r["measure_id"] == "robberies" and r["period"] == "2019")
    assert count["value"] == 24 and isinstance(count["value"], int)
    assert next(r for r in got if r["measure_id"] == "local_neet_16_17")["value"] == 5.4


def test_a_measure_left_out_by_the_period_is_named_on_stderr(loaded: tuple[Path, Path]) -> None:
    result = measures(loaded, "-m", "robberies", "-m", "local_neet_16_17", "--period", "quarter")
    assert "Note: local_neet_16_17 is not shown: reported by year, not by quarter." in result.stderr
    assert "local_neet_16_17" not in result.stdout


def test_the_csv_export_prints_counts_as_the_command_does(loaded: tuple[Path, Path], tmp_path: Path) -> None:
    data_dir, catalogue = loaded
    args = ["-m", "robberies", "-m", "local_neet_16_17", "--area", "E23000004"]
    out = tmp_path / "measures.csv"
    result = runner.invoke(
        app,
        [
            "export",
            "measures",
            "-o",
            str(out),
            *args,
            "--catalogue",
            str(catalogue),
            "--data-dir",
            str(data_dir),
        ],
    )
    assert result.exit_code == 0, result.output
    assert out.read_text() == measures(loaded, *args, "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert next(r for r in rows if r["measure_id"] == "robberies" and r["period"] == "2019")["value"] == "24"
