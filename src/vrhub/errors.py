"""Every error vrhub raises for a user to act on. The CLI prints `Error: <what>`, a blank line, then
`<how to fix>`.

An error about one input names it: `parameter` (measure, area, period, by, definition), `value` (what was
given) and a `hint` worded for no interface in particular. Each interface words the parameter its own way
(the CLI as its option, `--period`; the API as the query or path parameter; the pages as the form field),
so the library never writes command-line flags into a hint that the web would have to rewrite."""

from __future__ import annotations

from collections.abc import Iterable


class VrhubError(Exception):
    """An error a user can fix. `hint` says how; `parameter` and `value` name the input at fault, if one."""

    exit_code = 1

    def __init__(
        self, message: str, hint: str = "", *, parameter: str | None = None, value: object = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.parameter = parameter
        self.value = None if value is None else str(value)


def one_of(choices: Iterable[str]) -> str:
    """The neutral hint for a value outside a fixed set."""
    return f"Use one of: {', '.join(choices)}."


class BadValue(VrhubError):
    """A value outside what the parameter takes (a period kind, a breakdown), or a combination the data
    cannot answer (a breakdown a source does not record)."""

    exit_code = 2


class InputRefused(VrhubError):
    """A whole file was refused before anything loaded (missing columns, unreadable, wrong encoding)."""

    exit_code = 2


class UnknownSource(VrhubError):
    exit_code = 2


class UnknownMeasure(VrhubError):
    exit_code = 2


class UnknownArea(VrhubError):
    exit_code = 2

    @classmethod
    def among(cls, code: str, areas: Iterable[tuple[str, str]]) -> UnknownArea:
        """A mistyped area code, with the areas there are (code, name), force first, in the hint."""
        known = ", ".join(f"{c} {n}" for c, n in areas)
        return cls(
            f"no area '{code}' in the warehouse",
            f"Use the force area or a borough: {known}.",
            parameter="area",
            value=code,
        )


class DefinitionError(VrhubError):
    """A definition or measure YAML file is malformed."""

    exit_code = 2


class UnknownDefinition(DefinitionError):
    """No definition of that name is in force (installed or in the partnership's folder)."""


class WarehouseError(VrhubError):
    pass


class WarehouseInUse(WarehouseError):
    """Another process (a load, or `vrhub serve`) holds the DuckDB file: a reader may turn to the snapshot."""


class ReadOnlySql(VrhubError):
    exit_code = 2


class PseudonymKeyError(VrhubError):
    """The pseudonym key is missing, too short, or not the one the warehouse's pseudonyms were made with."""
