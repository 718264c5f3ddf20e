"""What the warehouse tells those above it: records of a table have changed.

Storage knows nothing of measures, yet counts derived from the records (the measures' `measure_counts`)
must never disagree with them. So a writer announces each change on the warehouse it wrote through, inside
its transaction, and whoever derives something from the records listens (the hub wires the measures' counts
in); the listeners bring their figures up to date in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ibis.expr.types as ir


@dataclass(frozen=True)
class RecordsChanged:
    """Records of `table` were added or rewritten. `load_id` names the load that added them (None: not one
    load, e.g. a migration rewrote them, so everything derived is made afresh). `staged` may hold the
    rows the load added, as stored, and `classified` the (definition, column) pairs it classified them by,
    so that a listener need not read them back."""

    table: str
    load_id: int | None = None
    staged: ir.Table | None = None
    classified: tuple[tuple[str, str], ...] = ()
