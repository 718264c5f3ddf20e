"""`vrhub hotspots` and `vrhub quality` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import copy_warehouse
from vrhub.cli import app
from vrhub.config import settings
from vrhub.hub import Hub

runner = CliRunner()
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory, _initialised_warehouse: Path) -> Path:
    folder = copy_warehouse(_initialised_warehouse, tmp_path_factory.mktemp("cli-analysis"))
    files = sorted((FIXTURES / "police-uk").glob("*.csv"))
    good = [f for f in files if "bad" not in f.name and "missing" not in f.name]
    assert good, "the police-uk fixture is missing"
    list(Hub(settings(data_dir=folder)).ingest("police-uk", good[:1]))
    return folder


@pytest.mark.slow
def test_hotspots_csv_has_the_documented_columns(data_dir: Path) -> None:
    result = runner.invoke(app, ["hotspots", "--data-dir", str(data_dir), "--format", "csv"])
    assert result.exit_code == 0, result.output
    header = result.output.splitlines()[0]
    assert header == "lsoa_code,lsoa_name,lad_code,count,gi_z,p_value,p_fdr,hot,class,note"


@pytest.mark.slow
def test_hotspots_geojson_parses(data_dir: Path) -> None:
    result = runner.invoke(app, ["hotspots", "--data-dir", str(data_dir), "--format", "geojson"])
    assert result.exit_code == 0
    doc = json.loads(result.output)
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) >= 900


def test_hotspots_refuses_both_a_measure_and_a_crime_type(data_dir: Path) -> None:
    result = runner.invoke(
        app,
        [
            "hotspots",
            "--data-dir",
            str(data_dir),
            "--measure",
            "local_sv_offences",
            "--crime-type",
            "Robbery",
        ],
    )
    # A usage error, named by the option the command line calls it.
    assert result.exit_code == 2 and "Error: give a measure or a crime type, not both" in result.output
    assert "--crime-type: A measure already says what it counts" in result.output


@pytest.mark.slow
def test_quality_lists_findings(data_dir: Path) -> None:
    result = runner.invoke(app, ["quality", "--data-dir", str(data_dir), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("source,month,field,check,severity,value,expected,message")


def test_trends_prints_the_monthly_series(data_dir: Path) -> None:
    result = runner.invoke(
        app, ["trends", "--data-dir", str(data_dir), "--measure", "police_uk_sv_proxy", "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "month,value,rolling_12_months,last_year,pct_change_vs_last_year"
    assert len(lines) >= 2


@pytest.mark.slow
def test_hotspots_table_says_which_lsoa_vintage_and_how_many_were_mapped(data_dir: Path) -> None:
    result = runner.invoke(app, ["hotspots", "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "On 2011 LSOA boundaries; no record needed mapping between LSOA vintages." in said
