"""Every command has help, and the commands that need no data say what they should."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer.main
from typer.testing import CliRunner

from vrhub.cli import app

runner = CliRunner()


def commands() -> list[list[str]]:
    group = typer.main.get_command(app)
    found = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None)
        found += [[name, sub] for sub in subcommands] if subcommands else [[name]]
    return found


@pytest.mark.parametrize("command", commands(), ids=" ".join)
def test_every_command_has_help(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output
    group = typer.main.get_command(app)
    target = group
    for part in command:
        target = target.commands[part]  # type: ignore[attr-defined]
    assert target.help and len(target.help) > 20


def test_definitions_show() -> None:
    result = runner.invoke(app, ["definitions", "show", "merseyside_local"])
    assert result.exit_code == 0
    assert "Arson endangering life" in result.output and "merseyside_local@" in result.output


def test_unknown_definition_is_an_error_with_advice() -> None:
    result = runner.invoke(app, ["definitions", "show", "nope"])
    assert result.exit_code == 2
    assert "Error: no definition named 'nope'" in result.output
    assert (
        "Known definitions: home_office, home_office_gun, home_office_hotspot, home_office_knife, "
        "merseyside_local, merseyside_offence_groups, police_uk_proxy." in result.output
    )


def test_measures_list_names_every_strategy_measure() -> None:
    result = runner.invoke(app, ["measures", "--list", "--format", "csv"])
    assert result.exit_code == 0
    for measure_id in ("local_sv_offences", "ho_knife_admissions_u25", "local_neet_16_17", "fire_callouts"):
        assert measure_id in result.output


# What makes `vrhub --help` take seconds: none of it may load before a command needs it.
HEAVY = ("pandas", "scipy", "ibis", "duckdb", "django", "weasyprint")


def _loaded_after(code: str) -> list[str]:
    """The heavy modules a fresh interpreter holds after running `code`."""
    probe = f"{code}\nimport sys\nprint('loaded:', *(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()[-1].split()[1:]


def test_importing_the_command_line_loads_no_heavy_library() -> None:
    assert _loaded_after("import vrhub.cli") == []


def test_importing_the_hub_loads_no_heavy_library() -> None:
    assert _loaded_after("import vrhub.hub") == []


@pytest.mark.slow
@pytest.mark.parametrize(
    "args", [["--help"], ["measures", "--help"], ["measures", "--no-such-option"], ["no-such-command"]]
)
def test_help_and_usage_errors_load_no_heavy_library(args: list[str]) -> None:
    code = (
        f"from vrhub.cli import app\ntry:\n    app({args!r}, prog_name='vrhub')\nexcept SystemExit:\n    pass"
    )
    assert _loaded_after(code) == []


@pytest.mark.slow
@pytest.mark.parametrize("args", [["--help"], ["measures", "--help"], ["delivery", "pack", "--help"]])
def test_python_m_vrhub_help_works(args: list[str]) -> None:
    done = subprocess.run([sys.executable, "-m", "vrhub", *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Usage: vrhub" in done.stdout


def test_the_ingest_help_names_every_source() -> None:
    from vrhub.sources import PERSON_SOURCES, REFERENCE_SOURCES, SOURCES

    group = typer.main.get_command(app)
    (source,) = [p for p in group.commands["ingest"].params if p.name == "source"]  # type: ignore[attr-defined]
    named = {
        name.strip(" .")
        for name in source.help.replace(" or ", ", ").replace("(with --agency)", "").split(",")
    }
    assert named == {*SOURCES, *REFERENCE_SOURCES, *PERSON_SOURCES}
