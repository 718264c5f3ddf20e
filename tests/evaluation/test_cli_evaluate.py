"""`vrhub evaluate place` as a user runs it, on police.uk rows with a planted fall."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vrhub.cli import app

runner = CliRunner()
CRIME = "Violence and sexual offences"


@pytest.fixture
def loaded(
    planted_warehouse: tuple[Path, list[str]], monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, list[str]]:
    monkeypatch.delenv("VRHUB_WAREHOUSE", raising=False)
    return planted_warehouse


def evaluate(folder: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["evaluate", "place", "--data-dir", str(folder), *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.slow
def test_csv_has_one_row_per_design_and_json_everything(loaded: tuple[Path, list[str]]) -> None:
    folder, treated = loaded
    code, stdout, _ = evaluate(folder, "--lsoas", ",".join(treated), "--start", "2021-01", "--format", "csv")
    assert code == 0, stdout
    lines = stdout.splitlines()
    assert lines[0].startswith("method,effect,effect_low,effect_high,effect_pct,pct_low,pct_high,per_month")
    assert [line.split(",")[0] for line in lines[1:]] == [
        "synthetic control",
        "difference-in-differences",
        "interrupted time series",
    ]
    code, stdout, _ = evaluate(
        folder, "--lsoas", ",".join(treated), "--start", "2021-01", "--crime-type", CRIME, "-f", "json"
    )
    doc = json.loads(stdout)
    assert code == 0 and set(doc) == {
        "estimates",
        "monthly",
        "weights",
        "placebos",
        "metadata",
        "notes",
        "warnings",
    }
    assert doc["metadata"]["treated"] == treated and len(doc["monthly"]) == 36


@pytest.mark.slow
def test_table_says_the_fit_the_warnings_and_the_assumptions(
    loaded: tuple[Path, list[str]], tmp_path: Path
) -> None:
    folder, treated = loaded
    listed = tmp_path / "treated.csv"
    listed.write_text("lsoa_code\n" + "\n".join(treated) + "\n", encoding="utf-8")
    chart = tmp_path / "place.svg"
    code, stdout, stderr = evaluate(
        folder, "--lsoas-file", str(listed), "--start", "2021-01", "--donors", "force", "--chart", str(chart)
    )
    assert code == 0, stderr
    assert "3 treated LSOAs, 2021-01 to 2021-12 (12 months)" in stdout and "synthetic control" in stdout
    assert "Synthetic control:" in stderr and "(force)" in stderr and "No spill-over" in stderr
    assert chart.read_text(encoding="utf-8").startswith("<svg")
    # Every p-value reads as three decimals or "<0.001", never as a bare 0 (the planted fall's checks have
    # p-values far below 0.001).
    rows = [line for line in stdout.splitlines() if line.startswith("│")]
    p_values = [row.split("│")[-2].strip() for row in rows]
    assert len(p_values) == 3 and "<0.001" in p_values, p_values
    assert all(p == "<0.001" or re.fullmatch(r"[01]\.\d{3}", p) for p in p_values), p_values


def test_a_chart_of_another_format_is_refused_before_the_work(
    loaded: tuple[Path, list[str]], tmp_path: Path
) -> None:
    folder, treated = loaded
    chart = tmp_path / "place.jpg"
    code, stdout, stderr = evaluate(
        folder, "--lsoas", treated[0], "--start", "2021-01", "--chart", str(chart)
    )
    assert code == 2 and "Traceback" not in stderr
    assert "is not a .png or .svg file" in stderr and "--chart: Name the chart file .png" in stderr
    # Refused before the evaluation: no table, no file.
    assert stdout == "" and not chart.exists()


def test_a_last_month_before_the_start_is_named_as_such(loaded: tuple[Path, list[str]]) -> None:
    folder, treated = loaded
    code, _, stderr = evaluate(folder, "--lsoas", treated[0], "--start", "2020-01", "--to", "2019-06")
    assert code == 2 and "Traceback" not in stderr
    assert "the last month, 2019-06, is before the first month after the start, 2020-01" in stderr
    assert "--to: Give a last month of 2020-01 or later" in stderr and "no whole month" not in stderr
    # A start part-way through January leaves January out: a last month of January is before February.
    code, _, stderr = evaluate(folder, "--lsoas", treated[0], "--start", "2020-01-15", "--to", "2020-01")
    assert (
        code == 2 and "the last month, 2020-01, is before the first month after the start, 2020-02" in stderr
    )


def test_bad_input_is_named_as_its_option(loaded: tuple[Path, list[str]], tmp_path: Path) -> None:
    folder, treated = loaded
    code, _, stderr = evaluate(folder, "--start", "2021-01")
    assert code == 2 and "--lsoas: Name them comma-separated" in stderr
    code, _, stderr = evaluate(folder, "--lsoas", "E01999999", "--start", "2021-01")
    assert code == 2 and "Error: LSOA 'E01999999' is not one of the area's 2011 LSOAs" in stderr
    assert "--lsoas: Give LSOA codes" in stderr
    code, _, stderr = evaluate(folder, "--lsoas", treated[0], "--start", "2019-06")
    assert (
        code == 2 and "only 5 whole months before 2019-06" in stderr and "--start: Load at least 12" in stderr
    )
    code, _, stderr = evaluate(folder, "--lsoas", treated[0], "--start", "2021-01", "--donors", "region")
    assert code == 2 and "--donors: Use one of: borough, force" in stderr
    code, _, stderr = evaluate(folder, "--lsoas", treated[0], "--start", "2021-01", "--format", "xml")
    assert code == 2 and "--format: Use one of: table, csv, json" in stderr
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{treated[0]}\nnot a code\n", encoding="utf-8")
    code, _, stderr = evaluate(folder, "--lsoas-file", str(bad), "--start", "2021-01")
    assert code == 2 and "bad.csv, row 2, column 1: 'not a code' is not an LSOA code" in stderr
