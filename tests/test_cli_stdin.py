"""`-` as a file name reads standard input: the load, its quarantined rows and its messages name it
`<stdin>`, and nothing of the spooled copy is left behind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import FIXTURES
from vrhub.cli import app

runner = CliRunner()


def vrhub(folder: Path, *args: str, given: bytes):
    return runner.invoke(app, [*args, "--data-dir", str(folder)], input=given)


def rows(folder: Path, query: str) -> list[dict]:
    result = runner.invoke(app, ["sql", query, "--format", "json", "--data-dir", str(folder)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.slow
def test_a_dash_reads_standard_input_and_names_the_load_stdin(data_dir: Path, key: bytes) -> None:
    bad = (FIXTURES / "fire" / "bad.csv").read_bytes()
    result = vrhub(data_dir, "ingest", "fire", "-", given=bad)
    assert result.exit_code == 0, result.output
    # bad.csv: six rows on lines 2-7; only the first (line 2) is sound
    assert result.stdout.splitlines()[0] == (
        "<stdin>: 6 rows read, 1 loaded, 5 quarantined, 0 duplicates skipped"
    )
    assert "vrhub quarantine --file '<stdin>'" in result.stdout
    assert rows(data_dir, "SELECT file_name, rows_read, rows_loaded FROM loads WHERE source = 'fire'") == [
        {"file_name": "<stdin>", "rows_read": 6, "rows_loaded": 1}
    ]
    held = rows(data_dir, "SELECT DISTINCT file_name, row_number FROM quarantine ORDER BY row_number")
    assert held == [{"file_name": "<stdin>", "row_number": n} for n in (3, 4, 5, 6, 7)]
    assert not list(data_dir.glob(".stdin-*"))  # the spooled copy is gone


@pytest.mark.slow
def test_stdin_beside_files_with_json_and_a_refusal_naming_stdin(data_dir: Path, key: bytes) -> None:
    good = FIXTURES / "fire" / "good.csv"
    missing = (FIXTURES / "fire" / "missing_columns.csv").read_bytes()
    result = vrhub(data_dir, "ingest", "fire", str(good), "-", "--json", given=missing)
    assert result.exit_code == 2
    first, refusal = (json.loads(line) for line in result.stdout.splitlines())
    assert first["file"] == str(good) and first["rows_loaded"] == 4
    assert refusal["error"].startswith("<stdin>: refused, nothing loaded: missing required column(s)")
    assert refusal["exit_code"] == 2
    assert result.stderr.startswith("Error: <stdin>: refused, nothing loaded")
    assert ".stdin-" not in result.stderr


def test_stdin_can_be_read_once(data_dir: Path) -> None:
    result = vrhub(data_dir, "ingest", "fire", "-", "-", given=b"")
    assert result.exit_code == 2 and "'-' given twice" in result.stderr
