"""A source is a spec: its columns, how each is parsed and checked, and how rows are keyed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from vrhub.sources.context import IngestContext
    from vrhub.warehouse import Warehouse


@dataclass(frozen=True)
class Column:
    """One input column. `kind` names a parser in `vrhub.sources.values`."""

    name: str
    kind: str = "text"
    required: bool = True  # the file must have this column
    nullable: bool = False  # a blank value is allowed
    target: str | None = None  # column in the warehouse table (default: same name)
    choices: tuple[str, ...] = ()
    # National codes taken as well as the choices, each as the choice it means: (code, choice) pairs, and
    # the file they come from (named in the reason a row with neither is quarantined).
    codes: tuple[tuple[str, str], ...] = ()
    codes_from: str = ""
    # A date that may lie after the day of loading (a spell's planned end); any other is quarantined.
    future_allowed: bool = False

    @property
    def store_as(self) -> str:
        return self.target or self.name


@dataclass(frozen=True)
class RowCheck:
    """A check across columns. `condition` gets the header and returns SQL that is true for a bad row
    (or None when the file lacks the columns it needs)."""

    field: str
    reason: str
    condition: Callable[..., str | None]
    # The condition needs what the warehouse knows (the areas of its lookup): it is called with the header
    # and the ingest's context.
    needs_context: bool = False


@dataclass(frozen=True)
class SourceSpec:
    name: str  # as typed on the command line: police-records
    table: str  # warehouse table
    title: str
    columns: tuple[Column, ...]
    # Columns (warehouse names) that identify a record (its source key). A row whose content is already
    # loaded is a duplicate; a row of a later load with the same key and other content is a correction, and
    # supersedes the stored version (kept in the table's history). Within one file a key stands once.
    # Empty, or a key column NULL (and no `key_fallback`): the row has no record key, the whole row
    # identifies it, and identical rows within a file are distinct events.
    key: tuple[str, ...] = ()
    # Added to the key where one of its columns is NULL (a victim with no person reference is told apart by
    # age and sex), so such rows keep a record key.
    key_fallback: tuple[str, ...] | None = None
    # Adds derived columns (borough, classification...) to the typed rows; runs in the database.
    derive: Callable[[ir.Table, IngestContext], ir.Table] | None = field(default=None, compare=False)
    # (definition name, column): the columns `derive` fills with each definition's classification of a
    # row. Counting a load's rows reads them instead of classifying the rows again.
    classified: tuple[tuple[str, str], ...] = ()
    checks: tuple[RowCheck, ...] = ()
    encoding: str = "utf-8"
    # Tried when the file is not valid in `encoding` and no --encoding was given.
    fallback_encoding: str | None = None
    # Reference data: a row restates what is stored under these columns of the table (deletes and
    # replaces it) instead of adding to it; a row identical to the stored one is a duplicate.
    replace_on: tuple[str, ...] = ()
    # File columns holding a postcode district: a unit postcode found there (or anywhere in a rejected
    # line) is held in the quarantine as its district only.
    postcodes: tuple[str, ...] = ()
    # Run in a load's transaction after it has stored its rows (an areas file places the records loaded
    # before it covered their LSOA).
    after_load: Callable[[Warehouse], object] | None = field(default=None, compare=False)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)
