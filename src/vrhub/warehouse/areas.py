"""The areas of the loaded area lookup."""

from __future__ import annotations

import pyarrow as pa

from vrhub.warehouse.connection import Warehouse


def boroughs(wh: Warehouse) -> pa.Table:
    """Each borough (lad_code, lad_name) of the lookup by code: the boroughs that exist, whether or not any
    records for them are loaded. A code the lookup names two ways (one vintage to the next) takes the first
    name alphabetically."""
    t = wh.table("lsoa_lookup")
    t = t.filter(t.lad_code.notnull() & t.lad_name.notnull())
    return wh.to_arrow(t.group_by("lad_code").aggregate(lad_name=t.lad_name.min()).order_by("lad_code"))
