"""Notes for measures that filter on a patient's age, sex or admission when some records lack it.

The ISTV minimum data set (ISB 1594) has no age, sex or admitted column, so a file in that shape loads
with those values NULL. A measure of patients under 25 cannot count such an attendance, and a reader must
be told how many it left out rather than read the count as complete."""

from __future__ import annotations

from dataclasses import replace

import ibis
import pandas as pd

from vrhub.config import FORCE_CODE
from vrhub.measures import periods
from vrhub.measures.catalogue import EVENT_DATE, Measure
from vrhub.measures.expressions import row_filter
from vrhub.warehouse import Warehouse
from vrhub.warehouse.history import as_at

# Columns a record may lack because its file had no such column (see vrhub.sources.ed_attendances).
OPTIONAL = ("age", "sex", "admitted")
_WORDS = {"age": "age", "sex": "sex", "admitted": "whether admitted"}


def needs(m: Measure) -> list[str]:
    return [c for c in OPTIONAL if c in m.where]


def notes(
    wh: Warehouse, data: pd.DataFrame, meta: dict[str, Measure], kind: str, as_at_load: int | None
) -> pd.Series:
    """For each row of `data` (measure_id, period, area_code), the note on the records its measure could
    not count because a column it filters on is not recorded; '' where there are none."""
    none = pd.Series("", index=data.index, dtype="object")
    wanted = [m for m in meta.values() if m.source in EVENT_DATE and needs(m)]
    if not wanted or data.empty:
        return none
    found = []
    for source in sorted({m.source for m in wanted}):
        t = as_at(wh, source, as_at_load)
        month = t[EVENT_DATE[source]].cast("date").truncate("M").name("month")
        # One pass: per measure and column, the records it would count but for the missing value.
        counts = {
            f"{m.id}\x1f{c}": ibis.ifelse(
                row_filter(replace(m, where={k: v for k, v in m.where.items() if k != c}), t) & t[c].isnull(),
                1,
                0,
            ).sum()
            for m in wanted
            if m.source == source
            for c in needs(m)
        }
        df = wh.to_arrow(t.group_by([month, t.lad_code.name("lad_code")]).aggregate(**counts)).to_pandas()
        if df.empty:
            continue
        df["period"] = periods.labels(kind, df["month"])
        long = df.drop(columns="month").melt(id_vars=["period", "lad_code"], var_name="key", value_name="n")
        force = long.groupby(["key", "period"], as_index=False)["n"].sum().assign(lad_code=FORCE_CODE)
        long = pd.concat([long.dropna(subset=["lad_code"]), force], ignore_index=True)
        found.append(long.groupby(["key", "period", "lad_code"], as_index=False)["n"].sum())
    if not found:
        return none
    held = pd.concat(found, ignore_index=True)
    held = held[held["n"] > 0]
    if held.empty:
        return none
    key = held["key"].str.split("\x1f", n=1, expand=True)
    held = held.assign(measure_id=key[0], column=key[1]).rename(columns={"lad_code": "area_code"})
    unit = held["measure_id"].map(lambda i: meta[i].unit)
    held["note"] = (
        held["column"].map(_WORDS)
        + " not recorded for "
        + held["n"].map("{:,.0f}".format)
        + " such "
        + unit
        + " (a file without the "
        + held["column"]
        + " column, as the ISTV minimum data set sends, or left"
        " blank): not counted here"
    )
    joined = held.groupby(["measure_id", "period", "area_code"], as_index=False)["note"].agg("; ".join)
    keys = ["measure_id", "period", "area_code"]
    matched = data[keys].merge(joined, on=keys, how="left")["note"].fillna("")
    return pd.Series(matched.to_numpy(), index=data.index, dtype="object")
