"""Exit statuses a script can act on: 2 for a usage error (a bad option or argument value, in every command
family, like Click's own), 1 for a problem with the data or the warehouse; `vrhub --version`."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import FIXTURES
from tests.web.test_error_shapes import CASES
from vrhub.cli import app

runner = CliRunner()

# (command line, the option or argument the advice names, words of the error). Cases that exited 1 before
# are marked "was 1".
USAGE = [
    (["loads", "-f", "xml"], "--format", "unknown format 'xml'"),  # was 1
    (["quarantine", "--format", "xml"], "--format", "unknown format 'xml'"),  # was 1
    (["definitions", "show", "--effect"], "--effect", "--effect needs a definition name"),  # was 1
    (["ingest", "fire", "no-such-file.csv"], "FILES", "no-such-file.csv: no such file"),  # was 1
    (["hotspots", "--measure", "local_absence_primary"], "--measure", "is a reported indicator"),  # was 1
    (["hotspots", "--crime-type", "Nonsense"], "--crime-type", "'Nonsense' is not a police.uk crime type"),
    (["hotspots", "--from", "2019-13"], "--from", "'2019-13' is not a month"),
    (["report", "--edition", "secret"], "--edition", "unknown edition 'secret'"),
    (["export", "table", "nope", "--out", "x.parquet"], "NAME", "no table 'nope'"),
    (["export", "areas", "--level", "nope", "--out", "x.gpkg"], "--level", "no level 'nope'"),
    (["delivery", "check", "--today", "yesterday"], "--today", "'yesterday' is not a date"),
    (["ingest", "people", str(FIXTURES / "fire" / "good.csv")], "--agency", "need the agency"),
    # and every error of the shared shapes (measures, trends, definitions, cohorts):
    *[(args, option, value) for _, value, args, option, *_ in CASES],
]


def vrhub(folder: Path, *args: str):
    return runner.invoke(app, [*args, "--data-dir", str(folder)])


@pytest.mark.parametrize(("args", "named", "words"), USAGE, ids=[" ".join(c[0][:3]) for c in USAGE])
def test_a_bad_option_value_is_a_usage_error_in_every_command_family(
    data_dir: Path, key: bytes, args: list[str], named: str | None, words: str
) -> None:
    result = vrhub(data_dir, *args)
    assert result.exit_code == 2, result.output
    what, _, advice = result.stderr.partition("\n\n")
    assert what.startswith("Error: ") and words in what
    if named:
        assert advice.startswith(f"{named}: "), result.stderr


def test_a_data_or_warehouse_problem_stays_exit_1(data_dir: Path, tmp_path: Path) -> None:
    failed = vrhub(data_dir, "sql", "SELECT nope FROM loads")
    assert failed.exit_code == 1 and "the query failed" in failed.stderr
    nothing = vrhub(tmp_path / "nothing-here", "loads")
    assert nothing.exit_code == 1 and "no warehouse at" in nothing.stderr


def test_version_prints_the_installed_version_and_exits_0() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"vrhub {version('vrhub')}\n"
