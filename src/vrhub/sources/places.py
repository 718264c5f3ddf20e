"""Map LSOA codes to boroughs. Both LSOA vintages (2011 and 2021) are in the shipped lookup; unmapped codes
are kept and marked out-of-area, never dropped.

A lookup of one vintage only (a partnership that loaded ONS's 2021 lookup) would put every record coded to
a retired 2011 LSOA out of area, so the borough figures and trends would lose them while the force total
kept them. Such a 2011 code takes the borough of its best-fit 2021 LSOA (`vrhub.geography.best_fit`).
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from vrhub.geography.best_fit import load_best_fit
from vrhub.sources.context import IngestContext
from vrhub.warehouse import Warehouse
from vrhub.warehouse.events import RecordsChanged
from vrhub.warehouse.tables import SCHEMAS


def with_borough(t: ir.Table, ctx: IngestContext, lsoa: ir.StringValue | None = None) -> ir.Table:
    """Adds `lsoa_code` (when given an expression), `lad_code` and `out_of_area`."""
    if lsoa is not None:
        t = t.mutate(lsoa_code=lsoa)
    direct = ctx.lookup.select(__lsoa="lsoa_code", __lad="lad_code").distinct(on="__lsoa")
    fit = ibis.memtable(load_best_fit()[["lsoa11_code", "lsoa21_code"]])
    via = fit.join(direct, fit.lsoa21_code == direct.__lsoa).select(
        __lsoa=fit.lsoa11_code, __lad=direct.__lad
    )
    lookup = direct.union(via.anti_join(direct, "__lsoa"))
    # Materialised, the small lookup is the join's build side; left as an expression DuckDB may hash the
    # millions of staged rows instead (measured: 17 GB peak at 10M rows, 3.6 GB after).
    lookup = ctx.con.create_table("__lsoa_lad", lookup, temp=True, overwrite=True)
    joined = t.left_join(lookup, t.lsoa_code == lookup.__lsoa)
    return joined.mutate(
        lad_code=joined.__lad, out_of_area=joined.lsoa_code.notnull() & joined.__lad.isnull()
    ).drop("__lsoa", "__lad")


def place_loaded(wh: Warehouse) -> list[str]:
    """Records loaded out of area whose LSOA the lookup now covers (an areas file loaded after them) take
    its borough, as a record loaded now would: one UPDATE per record table, in the caller's transaction.
    Returns the tables changed, whose derived counts the caller has made again."""
    tables = [n for n, schema in SCHEMAS.items() if "out_of_area" in schema and not n.endswith("_history")]
    fit = pa.Table.from_pandas(load_best_fit()[["lsoa11_code", "lsoa21_code"]], preserve_index=False)
    wh.con.create_table("__best_fit", fit, temp=True, overwrite=True)
    # As `with_borough` places them: the lookup's own codes, then a retired 2011 code by its best-fit
    # 2021 LSOA. One borough per code (the first by code, if a code is named in two), so the update is
    # deterministic.
    wh.execute("DROP TABLE IF EXISTS __placing")
    wh.execute(
        """CREATE TEMP TABLE __placing AS
           WITH direct AS (SELECT lsoa_code AS lsoa, min(lad_code) AS lad FROM lsoa_lookup
                           WHERE lad_code IS NOT NULL GROUP BY lsoa_code)
           SELECT lsoa, lad FROM direct
           UNION ALL
           SELECT f.lsoa11_code, min(d.lad) FROM __best_fit f JOIN direct d ON f.lsoa21_code = d.lsoa
           WHERE f.lsoa11_code NOT IN (SELECT lsoa FROM direct) GROUP BY f.lsoa11_code"""
    )
    changed = []
    for table in tables:
        if not wh.has_table(table):
            continue
        waiting = f"FROM {table} WHERE out_of_area AND lsoa_code IN (SELECT lsoa FROM __placing)"
        found = wh.con.sql(f"SELECT count(*) AS n {waiting}").to_pyarrow()["n"][0].as_py()
        if not found:
            continue
        wh.execute(
            f"""UPDATE {table} SET lad_code = p.lad, out_of_area = false FROM __placing p
                WHERE {table}.out_of_area AND {table}.lsoa_code = p.lsoa"""
        )
        wh.records_changed(RecordsChanged(table))
        changed.append(table)
    wh.execute("DROP TABLE IF EXISTS __placing")
    wh.execute("DROP TABLE IF EXISTS __best_fit")
    return changed
