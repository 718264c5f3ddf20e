"""Every error vrhub raises for a user to act on. The CLI prints `Error: <what>`, a blank line, then
`<how to fix>`."""

from __future__ import annotations


class VrhubError(Exception):
    """An error a user can fix. `hint` says how."""

    exit_code = 1

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class InputRefused(VrhubError):
    """A whole file was refused before anything loaded (missing columns, unreadable, wrong encoding)."""

    exit_code = 2


class UnknownSource(VrhubError):
    exit_code = 2


class UnknownMeasure(VrhubError):
    exit_code = 2


class DefinitionError(VrhubError):
    """A definition or measure YAML file is malformed."""

    exit_code = 2


class WarehouseError(VrhubError):
    pass


class ReadOnlySql(VrhubError):
    exit_code = 2


class PseudonymKeyError(VrhubError):
    """The pseudonym key is missing, too short, or not the one the warehouse's pseudonyms were made with."""
