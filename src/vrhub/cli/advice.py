"""What every command shares in what it says: the consoles, library errors turned into advice, and tables
printed in one shape."""

from __future__ import annotations

import functools
import json
import math
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from rich.console import Console

from vrhub.errors import BadValue, VrhubError, one_of

if TYPE_CHECKING:
    import pyarrow as pa

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

F = TypeVar("F", bound=Callable[..., Any])
USAGE = 2  # Click's status for a usage error


def friendly(fn: F) -> F:
    """Library errors become `Error: <what>`, a blank line, `<how to fix>`, and the error's exit status. An
    error about one input says which of this command's options or arguments it was (`--period: ...`): the
    library names the parameter, the command knows how it is typed.

    An error naming an option or argument of this command is a usage error and exits 2, as Click's own do
    (a bad value, a file that is not there): a script tells "I called it wrongly" from "the data or the
    warehouse is wrong" (exit 1, or the error's own status) by the status alone. The library cannot decide
    this, since the same error is a usage error here and a 422 or a form error elsewhere."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except VrhubError as exc:
            name = worded(fn, exc.parameter)
            err.print(f"Error: {exc.message}", markup=False, highlight=False)
            if exc.hint:
                err.print("")
                err.print(f"{name}: {exc.hint}" if name else exc.hint, markup=False, highlight=False)
            raise typer.Exit(USAGE if name else exc.exit_code) from None

    return wrapper  # type: ignore[return-value]


def worded(fn: Callable[..., Any], parameter: str | None) -> str | None:
    """How `fn` (a command) types `parameter`: its option's flag, its argument's metavar, or None."""
    import typing

    from typer.models import ArgumentInfo, OptionInfo

    if parameter is None:
        return None
    flag = "--" + parameter.replace("_", "-")
    for name, hint in typing.get_type_hints(fn, include_extras=True).items():
        for info in getattr(hint, "__metadata__", ()):
            # Written in Annotated, an option's first flag stands where its default would.
            decls = [getattr(info, "default", None), *(getattr(info, "param_decls", None) or ())]
            flags = [d for d in decls if isinstance(d, str) and d.startswith("--")]
            # By the command's own name for it, or by its flag: `fmt` is typed `--format`.
            if name != parameter and flag not in flags:
                continue
            if isinstance(info, OptionInfo):
                return flags[0] if flags else flag
            if isinstance(info, ArgumentInfo):
                return parameter.upper()
    return None


def status(fn: Callable[..., Any], exc: VrhubError) -> int:
    """The exit status of `exc` raised by the command `fn` (see `friendly`)."""
    return USAGE if worded(fn, exc.parameter) else exc.exit_code


def emit(table: pa.Table, fmt: str, title: str | None = None) -> None:
    """Print an Arrow table as a terminal table, CSV or JSON: one shape for every command. The CSV goes
    through vrhub.spreadsheet, so text a spreadsheet would run as a formula is written with a leading '."""
    if fmt == "csv":
        from vrhub import spreadsheet

        spreadsheet.write_table_csv(table, sys.stdout)
    elif fmt == "json":
        sys.stdout.write(json.dumps(table.to_pylist(), default=str, indent=1) + "\n")
    elif fmt == "table" and table.num_rows == 0:
        out.print(f"{title}: none." if title else "No rows.")
    elif fmt == "table":
        from rich.measure import Measurement
        from rich.table import Table

        shown = Table(title=title, show_lines=False)
        for name in table.column_names:
            shown.add_column(name, overflow="fold")
        for row in table.to_pylist():
            shown.add_row(*[_cell(v) for v in row.values()])
        if out.is_terminal:
            out.print(shown)
        else:
            # Into a file or a pipe the table keeps its natural width: folded to 80 columns it is unreadable.
            natural = Measurement.get(out, out.options.update_width(100_000), shown).maximum
            Console(soft_wrap=True, width=natural, file=out.file).print(shown)
    else:
        raise BadValue(
            f"unknown format '{fmt}'", one_of(("table", "csv", "json")), parameter="fmt", value=fmt
        )


def _cell(value: Any) -> str:
    """A value as a person reads it in a table: a count held as a float (a column with gaps) without its
    '.0', other floats to six significant figures; CSV and JSON keep every digit."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.6g}"
    return str(value)
