"""What an ingest needs besides the file: the staging connection, the key, the definitions in force."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class IngestContext:
    con: Any  # the Ibis DuckDB connection staging runs on (the warehouse itself when it is DuckDB)
    key: bytes  # pseudonymisation key
    lookup: Any  # Ibis table: lsoa_lookup
    definition_version: str  # the definitions in force, recorded on the load
