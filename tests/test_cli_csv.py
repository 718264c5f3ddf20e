"""`--format csv` from the command line: text a partner typed reaches a spreadsheet as words, never as a
formula; numbers (a negative change among them) stay numbers, and JSON is data, unchanged."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vrhub.cli import app

runner = CliRunner()

# A fire file whose every data row is quarantined for a value a partner could type.
EVIL = (
    "incident_ref,incident_date,incident_type,lsoa_code\n"
    "FIRE-0201,2019-03-02,+cmd|' /C calc'!A0,E01006412\n"
    "FIRE-0202,2019-03-02,deliberate_primary,@SUM(1)\n"
    "FIRE-0203,-2+3,deliberate_primary,E01006412\n"
    "FIRE-0204,2019-03-02,\t=1,E01006412\n"
    "FIRE-0205,-5,deliberate_primary,E01006412\n"
)


def vrhub(data_dir: Path, *args: str | Path):
    result = runner.invoke(app, [*map(str, args), "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.slow
def test_quarantine_and_loads_csv_quote_what_a_partner_typed(
    data_dir: Path, key: bytes, tmp_path: Path
) -> None:
    path = tmp_path / "=HYPERLINK(1).csv"
    path.write_text(EVIL, encoding="utf-8")
    vrhub(data_dir, "ingest", "fire", path)

    rows = list(csv.DictReader(io.StringIO(vrhub(data_dir, "quarantine", "--format", "csv"))))
    assert [(r["row_number"], r["field"], r["value"]) for r in rows] == [
        ("2", "incident_type", "'+cmd|' /C calc'!A0"),
        ("3", "lsoa_code", "'@SUM(1)"),
        ("4", "incident_date", "'-2+3"),
        ("5", "incident_type", "'\t=1"),
        ("6", "incident_date", "-5"),  # a plain number stays one
    ]
    assert {r["file_name"] for r in rows} == {"'=HYPERLINK(1).csv"}
    assert all(r["raw_row"].startswith("{") for r in rows)  # JSON text: nothing to quote

    loads = list(csv.DictReader(io.StringIO(vrhub(data_dir, "loads", "--format", "csv"))))
    assert loads[-1]["file_name"] == "'=HYPERLINK(1).csv"

    # JSON is data for programs, not a spreadsheet: it keeps exactly what was typed.
    found = json.loads(vrhub(data_dir, "quarantine", "--format", "json"))
    assert found[0]["value"] == "+cmd|' /C calc'!A0" and found[0]["file_name"] == "=HYPERLINK(1).csv"


def test_sql_csv_quotes_text_and_keeps_negative_numbers(data_dir: Path) -> None:
    query = "SELECT '=1+1' AS formula, '-12.5' AS text_number, -12.5::DOUBLE AS change, '@SUM(1)' AS at_sign"
    assert vrhub(data_dir, "sql", query, "--format", "csv") == (
        "formula,text_number,change,at_sign\n'=1+1,-12.5,-12.5,'@SUM(1)\n"
    )
