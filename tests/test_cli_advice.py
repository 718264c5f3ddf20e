"""How a command words a library error: the parameter the library names, as the command types it."""

from __future__ import annotations

from typing import Annotated

import typer
from typer.testing import CliRunner

from vrhub.cli.advice import friendly
from vrhub.errors import BadValue, VrhubError


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.command()
    @friendly
    def export(
        fmt: Annotated[str, typer.Option("--format", "-f")] = "json",
        quarter: Annotated[str, typer.Option()] = "2021-Q4",
        source: Annotated[str, typer.Argument()] = "fire",
    ) -> None:
        if fmt != "json":
            raise BadValue(f"unknown format '{fmt}'", "Use one of: json, csv.", parameter="format", value=fmt)
        if quarter != "2021-Q4":
            raise BadValue(f"'{quarter}' is not a quarter", "Write it as 2021-Q4.", parameter="quarter")
        if source != "fire":
            raise BadValue(f"no source '{source}'", "Use fire.", parameter="source")
        raise VrhubError("nothing to do", "Load a file first.", parameter="nowhere")

    return app


def _said(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(_app(), list(args))
    return result.exit_code, result.output


def test_a_parameter_is_named_by_the_flag_the_command_gives_it() -> None:
    # The library says "format"; the command holds it in `fmt` and types it --format.
    assert _said("--format", "xml") == (
        2,
        "Error: unknown format 'xml'\n\n--format: Use one of: json, csv.\n",
    )
    assert _said("--quarter", "2021-Q5") == (
        2,
        "Error: '2021-Q5' is not a quarter\n\n--quarter: Write it as 2021-Q4.\n",
    )


def test_an_argument_is_named_in_capitals_and_an_unknown_parameter_not_at_all() -> None:
    assert _said("police") == (2, "Error: no source 'police'\n\nSOURCE: Use fire.\n")
    assert _said() == (1, "Error: nothing to do\n\nLoad a file first.\n")
