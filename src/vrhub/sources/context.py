"""What an ingest needs besides the file: the staging connection, the key, the definitions in force."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vrhub.pseudonymise import Pseudonymiser


@dataclass
class IngestContext:
    con: Any  # the Ibis DuckDB connection staging runs on (the warehouse itself when it is DuckDB)
    pseudonyms: Pseudonymiser  # the key, and the scheme the warehouse's pseudonyms use
    lookup: Any  # Ibis table: lsoa_lookup
    definition_version: str  # the definitions in force, recorded on the load
