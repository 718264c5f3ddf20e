"""The ingest, quarantine, loads, sql and init commands as a user types them; and the library beneath them
never needs the command line's (or a web framework's) packages."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import FIXTURES
from vrhub.cli import app

runner = CliRunner()
SUMMARY_KEYS = {
    "file",
    "source",
    "rows_read",
    "rows_loaded",
    "rows_quarantined",
    "duplicates_skipped",
    "rows_corrected",
}


def vrhub(data_dir: Path, *args: str | Path):
    return runner.invoke(app, [*map(str, args), "--data-dir", str(data_dir)])


def error_lines(result) -> tuple[str, str]:
    """(what, how to fix): the CLI prints `Error: <what>`, a blank line, `<how to fix>`."""
    text = result.stderr
    assert text.startswith("Error: "), text
    what, blank, hint = text.partition("\n\n")
    assert blank and hint.strip(), text
    return what.removeprefix("Error: "), hint.strip()


def load_count(data_dir: Path) -> int:
    return len(json.loads(vrhub(data_dir, "loads", "--format", "json").stdout))


@pytest.mark.slow
def test_ingest_json_prints_one_object_per_file_with_exactly_the_counts(data_dir: Path, key: bytes) -> None:
    good, bad = FIXTURES / "police-records" / "good.csv", FIXTURES / "police-records" / "bad.csv"
    result = vrhub(data_dir, "ingest", "police-records", good, bad, "--json")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    first, second = map(json.loads, lines)
    assert set(first) == set(second) == SUMMARY_KEYS
    assert first == {
        "file": str(good),
        "source": "police-records",
        "rows_read": 7,
        "rows_loaded": 7,
        "rows_quarantined": 0,
        "duplicates_skipped": 0,
        "rows_corrected": 0,
    }
    assert (second["rows_read"], second["rows_loaded"], second["rows_quarantined"]) == (9, 1, 8)
    again = json.loads(vrhub(data_dir, "ingest", "police-records", good, "--json").stdout)
    assert (again["rows_loaded"], again["duplicates_skipped"]) == (0, 7)


@pytest.mark.slow
def test_ingest_says_what_it_did_and_where_the_quarantined_rows_are(data_dir: Path, key: bytes) -> None:
    result = vrhub(data_dir, "ingest", "fire", FIXTURES / "fire" / "bad.csv")
    assert result.exit_code == 0, result.output
    assert "6 rows read, 1 loaded, 5 quarantined, 0 duplicates skipped" in result.stdout
    assert "incident_date: not a date (expected YYYY-MM-DD or DD/MM/YYYY) (first at row 3)" in result.stdout
    assert "see them with: vrhub quarantine --file bad.csv" in result.stdout
    again = vrhub(data_dir, "ingest", "fire", FIXTURES / "fire" / "bad.csv")
    assert "(already loaded: nothing added)" in again.stdout


@pytest.mark.slow
def test_quarantine_lists_rows_with_row_number_field_and_reason(data_dir: Path, key: bytes) -> None:
    path = FIXTURES / "ambulance" / "bad.csv"
    vrhub(data_dir, "ingest", "ambulance", path)
    vrhub(data_dir, "ingest", "fire", FIXTURES / "fire" / "good.csv")
    for name in ("bad.csv", str(path)):  # by name or by path
        result = vrhub(data_dir, "quarantine", "--file", name, "--format", "csv")
        assert result.exit_code == 0, result.output
        found = list(csv.DictReader(io.StringIO(result.stdout)))
        assert {"row_number", "field", "reason", "value", "raw_row", "file_name"} <= set(found[0])
        assert [(r["row_number"], r["field"]) for r in found] == [
            ("3", "call_datetime"),
            ("4", "category"),
            ("5", "age"),
            ("6", "(whole row)"),
            ("7", "lsoa_code"),
            ("8", "category"),
            ("9", "lsoa_code"),
        ]
        assert found[2]["reason"] == "age out of range or not a whole number (expected 0 to 120)"
        assert found[2]["value"] == "121"
    table = vrhub(data_dir, "quarantine")
    assert table.exit_code == 0 and "row_number" in table.stdout and "call_datetime" in table.stdout
    assert vrhub(data_dir, "quarantine", "--file", "good.csv", "--format", "csv").stdout.splitlines() == [
        "load_id,file_name,source,row_number,field,reason,value,raw_row"
    ]


@pytest.mark.slow
def test_loads_lists_every_file_with_its_counts(data_dir: Path, key: bytes) -> None:
    vrhub(data_dir, "ingest", "hospital-admissions", FIXTURES / "hospital-admissions" / "bad.csv")
    loads = json.loads(vrhub(data_dir, "loads", "--format", "json").stdout)
    assert [r["source"] for r in loads] == ["areas", "population", "population", "hospital-admissions"]
    last = loads[-1]
    assert (last["file_name"], last["rows_read"], last["rows_loaded"], last["rows_quarantined"]) == (
        "bad.csv",
        8,
        1,
        7,
    )
    assert len(last["sha256"]) == 64 and last["definition_version"]


@pytest.mark.slow
def test_sql_runs_a_query_and_prints_csv(data_dir: Path, key: bytes) -> None:
    vrhub(data_dir, "ingest", "police-records", FIXTURES / "police-records" / "good.csv")
    result = vrhub(
        data_dir,
        "sql",
        "SELECT lad_code, count(*) AS n FROM police_records WHERE lad_code IS NOT NULL GROUP BY 1 ORDER BY 1",
        "--format",
        "csv",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["lad_code,n", "E08000011,3", "E08000012,1", "E08000013,1"]
    with_cte = vrhub(data_dir, "sql", "WITH x AS (SELECT 1 AS a) SELECT a FROM x", "--format", "json")
    assert json.loads(with_cte.stdout) == [{"a": 1}]


@pytest.mark.slow
def test_a_table_into_a_pipe_keeps_its_width_and_an_empty_one_says_so(data_dir: Path, key: bytes) -> None:
    """Folded to a pipe's 80 columns a wide table breaks every value mid-word; into a file or a pager it
    keeps one line per row."""
    value = "a value far too long to fit in eighty columns " * 3
    result = vrhub(data_dir, "sql", f"SELECT '{value}' AS first_long_column_name, 42 AS answer")
    assert result.exit_code == 0, result.output
    [row] = [line for line in result.stdout.splitlines() if value in line]
    assert "42" in row and "first_long_column_name" in result.stdout
    assert vrhub(data_dir, "quarantine").stdout == "Quarantined rows: none.\n"
    assert vrhub(data_dir, "sql", "SELECT 1 AS x WHERE false").stdout == "No rows.\n"


def test_a_table_shows_a_count_held_as_a_float_as_a_count(data_dir: Path, key: bytes) -> None:
    """Other floats to six significant figures, NULL blank; CSV keeps every digit."""
    numbers = vrhub(data_dir, "sql", "SELECT 1557.0::DOUBLE AS n, 2/3 AS share, NULL::DOUBLE AS gap")
    [row] = [line for line in numbers.stdout.splitlines() if "1557" in line]
    assert [cell.strip() for cell in row.split("│")[1:-1]] == ["1557", "0.666667", ""]
    assert vrhub(data_dir, "sql", "SELECT 1557.0::DOUBLE AS n", "--format", "csv").stdout == "n\n1557.0\n"


@pytest.mark.parametrize(
    "statement",
    [
        "DELETE FROM loads",
        "DROP TABLE loads",
        "UPDATE loads SET rows_read = 0",
        "SELECT 1; DELETE FROM loads",
        "INSERT INTO loads SELECT * FROM loads",
        "COPY loads TO 'out.csv'",
        "ATTACH 'other.duckdb'",
        "CREATE TABLE x AS SELECT 1",
        "SET enable_external_access = true",
    ],
)
def test_sql_refuses_anything_but_a_query(data_dir: Path, statement: str) -> None:
    before = load_count(data_dir)
    result = vrhub(data_dir, "sql", statement)
    assert result.exit_code == 2, result.output
    what, hint = error_lines(result)
    assert "only a single SELECT" in what and "read-only" in hint
    assert load_count(data_dir) == before


def test_sql_reports_a_failed_query_and_cannot_read_files(data_dir: Path) -> None:
    result = vrhub(data_dir, "sql", "SELECT nope FROM loads")
    assert result.exit_code == 1
    what, _ = error_lines(result)
    assert "the query failed" in what and "nope" in what
    blocked = vrhub(data_dir, "sql", f"SELECT * FROM read_text('{FIXTURES / 'fire' / 'good.csv'}')")
    assert blocked.exit_code == 2 and "FIRE-0001" not in blocked.output
    assert error_lines(blocked)[0] == "the function read_text() is not allowed in vrhub sql"


@pytest.mark.slow
def test_a_file_without_a_required_column_exits_2_naming_file_and_columns(data_dir: Path, key: bytes) -> None:
    before = load_count(data_dir)
    path = FIXTURES / "hospital-admissions" / "missing_columns.csv"
    result = vrhub(data_dir, "ingest", "hospital-admissions", path)
    assert result.exit_code == 2
    what, hint = error_lines(result)
    assert what.startswith(
        f"{path}: refused, nothing loaded: missing required column(s) 'icd10_cause', 'lsoa_code'"
    )
    assert "the file has: admission_ref, nhs_number, admission_date, age, sex" in what
    assert "icd10_cause" in hint and "docs/data-formats.md" in hint
    assert load_count(data_dir) == before
    assert result.stdout == ""


@pytest.mark.slow
def test_a_refused_file_stops_the_run_after_what_loaded(data_dir: Path, key: bytes) -> None:
    good, missing = FIXTURES / "fire" / "good.csv", FIXTURES / "fire" / "missing_columns.csv"
    result = vrhub(data_dir, "ingest", "fire", good, missing, "--json")
    assert result.exit_code == 2
    assert json.loads(result.stdout.splitlines()[0])["rows_loaded"] == 4
    assert "'incident_date'" in error_lines(result)[0]


def test_unknown_source_and_missing_file(data_dir: Path, key: bytes) -> None:
    unknown = vrhub(data_dir, "ingest", "police", FIXTURES / "fire" / "good.csv")
    assert unknown.exit_code == 2
    what, hint = error_lines(unknown)
    assert what == "unknown source 'police'" and "police-records" in hint and "population" in hint
    missing = vrhub(data_dir, "ingest", "fire", FIXTURES / "fire" / "no-such-file.csv")
    assert missing.exit_code == 2 and "no such file" in error_lines(missing)[0]  # a usage error


@pytest.mark.slow
def test_init_twice_is_idempotent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VRHUB_WAREHOUSE", raising=False)
    folder = tmp_path / "fresh"
    first = vrhub(folder, "init")
    assert first.exit_code == 0 and "applied migration(s) 1" in first.stdout
    loads = json.loads(vrhub(folder, "loads", "--format", "json").stdout)
    second = vrhub(folder, "init")
    assert second.exit_code == 0 and "already up to date" in second.stdout
    assert json.loads(vrhub(folder, "loads", "--format", "json").stdout) == loads
    counts = vrhub(
        folder,
        "sql",
        "SELECT (SELECT count(*) FROM lsoa_lookup) AS areas, (SELECT count(*) FROM population) AS population",
        "--format",
        "json",
    )
    assert json.loads(counts.stdout) == [{"areas": 910 + 923, "population": 2 * 5 * 91}]


def test_commands_before_init_say_to_run_init(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VRHUB_WAREHOUSE", raising=False)
    for command in (["quarantine"], ["loads"], ["sql", "SELECT 1"]):
        result = vrhub(tmp_path / "nothing-here", *command)
        assert result.exit_code == 1
        what, hint = error_lines(result)
        assert what.startswith("no warehouse at") and "vrhub init" in hint


@pytest.mark.slow
def test_the_library_never_imports_typer_or_django() -> None:
    """The library is a library: only the shells (vrhub.cli, and the Django project vrhub.web with its apps,
    delivery among them) import typer or a web framework; the pipeline's modules import neither."""
    script = """
import importlib, pkgutil, sys
import vrhub
shells = {"vrhub.cli", "vrhub.__main__", "vrhub.web"}
names = []
for top in pkgutil.iter_modules(vrhub.__path__, "vrhub."):
    if top.name in shells:
        continue  # not even walked: walking a Django app imports its models
    names.append(top.name)
    if top.ispkg:
        package = importlib.import_module(top.name)
        names += [m.name for m in pkgutil.walk_packages(package.__path__, top.name + ".")]
for name in names:
    importlib.import_module(name)
print(len(names), sorted(m for m in sys.modules if m.split(".")[0] in ("typer", "django", "click")))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    count, found = done.stdout.split(" ", 1)
    assert int(count) > 20
    assert found.strip() == "[]"


@pytest.mark.slow
def test_with_json_a_refusal_is_json_on_standard_output(data_dir: Path, key: bytes) -> None:
    good = FIXTURES / "police-records" / "good.csv"
    missing = FIXTURES / "hospital-admissions" / "missing_columns.csv"
    result = vrhub(data_dir, "ingest", "hospital-admissions", missing, "--json")
    assert result.exit_code == 2
    [refusal] = [json.loads(line) for line in result.stdout.splitlines()]
    assert refusal["exit_code"] == 2 and refusal["error"].startswith(f"{missing}: refused, nothing loaded")
    assert "docs/data-formats.md" in refusal["hint"]
    # Files before the refused one keep their summaries, one object a line.
    both = vrhub(data_dir, "ingest", "police-records", good, missing, "--json")
    lines = [json.loads(line) for line in both.stdout.splitlines()]
    assert both.exit_code == 2 and lines[0]["rows_loaded"] == 7 and "error" in lines[1]
