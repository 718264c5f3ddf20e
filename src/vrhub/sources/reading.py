"""Reading a CSV file into a staging table of raw text, with structurally broken rows set aside.

DuckDB reads the file in parallel; rows with too many or too few fields (an unquoted comma, a cut line)
go to its rejects table with their line numbers instead of failing the whole read.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vrhub.errors import InputRefused
from vrhub.sources.spec import SourceSpec

_DUCKDB_ENCODINGS = {"utf-8": "utf-8", "utf8": "utf-8", "latin-1": "latin-1", "latin1": "latin-1",
                     "iso-8859-1": "latin-1", "utf-16": "utf-16"}


@dataclass
class Header:
    names: list[str]  # as written in the file
    newline: str  # DuckDB's new_line option
    by_key: dict[str, str]  # normalised name -> name in the file

    def find(self, name: str) -> str | None:
        return self.by_key.get(normalise(name))


def normalise(name: str) -> str:
    return " ".join(name.strip().lower().replace("_", " ").split())


def read_header(path: Path, encoding: str) -> Header:
    try:
        with path.open("rb") as handle:
            head = handle.read(1 << 16)
    except OSError as exc:
        raise InputRefused(f"{path}: cannot be read ({exc.strerror})", "Check the path and permissions.") from exc
    if not head.strip():
        raise InputRefused(f"{path}: the file is empty", "Export the file again with its header row.")
    try:
        text = head.decode("utf-8-sig" if encoding.lower().startswith("utf") else encoding, errors="strict")
    except UnicodeDecodeError as exc:
        # Only the last character of the chunk may be cut in two; anything else is the wrong encoding.
        if exc.start < len(head) - 4:
            raise InputRefused(
                f"{path}: not valid {encoding} text (byte {exc.start} cannot be decoded)",
                "It's often worth trying: --encoding latin-1 (files saved by Excel on Windows).",
            ) from exc
        text = head[: exc.start].decode("utf-8-sig")
    newline = "\\n" if "\n" in text else ("\\r" if "\r" in text else "\\n")
    first = text.splitlines()[0] if text.splitlines() else ""
    names = next(csv.reader(io.StringIO(first)), [])
    by_key: dict[str, str] = {}
    for name in names:
        by_key.setdefault(normalise(name), name)
    return Header(names=names, newline=newline, by_key=by_key)


def check_columns(path: Path, spec: SourceSpec, header: Header) -> list[str]:
    """The required columns the file lacks."""
    return [c.name for c in spec.columns if c.required and header.find(c.name) is None]


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def stage_raw(con: Any, path: Path, header: Header, encoding: str, prefix: str) -> tuple[str, str]:
    """Create `{prefix}_raw` (`__seq` plus every header column as text) and `{prefix}_rejects`."""
    enc = _DUCKDB_ENCODINGS.get(encoding.lower())
    if enc is None:
        raise InputRefused(
            f"{path}: encoding {encoding!r} is not supported for this source",
            "Save the file as UTF-8, or use --encoding latin-1.",
        )
    # Duplicate or blank header names would clash: number them so every field is still read.
    names, seen = [], set()
    for i, name in enumerate(header.names):
        unique = name if name and name not in seen else f"{name or 'column'}__{i + 1}"
        seen.add(unique)
        names.append(unique)
    columns = "{" + ", ".join(f"{_sq(n)}: 'VARCHAR'" for n in names) + "}"
    raw, rejects = f"{prefix}_raw", f"{prefix}_rejects"
    con.raw_sql(
        f"""CREATE TEMP TABLE {raw} AS
        SELECT row_number() OVER () AS __seq, *
        FROM read_csv({_sq(str(path))}, columns = {columns}, auto_detect = false, header = true,
                      delim = ',', quote = '"', escape = '"', new_line = '{header.newline}',
                      encoding = '{enc}', ignore_errors = true, store_rejects = true,
                      rejects_table = '{rejects}', rejects_scan = '{prefix}_scans',
                      null_padding = false, parallel = true)"""
    )
    return raw, rejects


def _sq(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


quote_ident = _q
quote_literal = _sq
