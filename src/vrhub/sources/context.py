"""What an ingest needs besides the file: the staging connection, the key, the definitions in force."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from vrhub.pseudonymise import Pseudonymiser

# Areas above the lookup's that partners report figures for: the countries (England, Wales, England and
# Wales, Great Britain, the United Kingdom) and England's nine regions.
NATIONAL_AREAS = frozenset(
    {"E92000001", "W92000004", "K04000001", "K03000001", "K02000001"}
    | {f"E1200000{i}" for i in range(1, 10)}
)


@dataclass
class IngestContext:
    con: Any  # the Ibis DuckDB connection staging runs on (the warehouse itself when it is DuckDB)
    pseudonyms: Pseudonymiser  # the key, and the scheme the warehouse's pseudonyms use
    lookup: Any  # Ibis table: lsoa_lookup
    definition_version: str  # the definitions in force, recorded on the load
    _areas: frozenset[str] | None = field(default=None, repr=False)

    def area_codes(self) -> frozenset[str]:
        """Every area code the warehouse knows (its lookup's LSOAs, boroughs and force areas, and the
        countries and regions); empty when no lookup is loaded, where nothing can be checked."""
        if self._areas is None:
            found: set[str] = set()
            if self.lookup is not None:
                codes = self.lookup.select("lsoa_code", "lad_code", "pfa_code").to_pyarrow()
                for column in codes.columns:
                    found |= {c for c in column.to_pylist() if c}
            self._areas = frozenset(found | NATIONAL_AREAS) if found else frozenset()
        return self._areas
