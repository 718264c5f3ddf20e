"""Event measures counted at load, so that a measures request reads a few thousand rows, not every record.

`measure_counts` holds, for each event measure of the shipped catalogue and each breakdown, exactly the
rows `expressions.grouped` gives over the source's records: one count per month x borough x breakdown
value. A request therefore gets the same figures from it as from a scan, distinct crimes included (each
count is of one cell's records; nothing is added across loads). `measure_count_specs` lists the counts
that are complete. Each is named by a signature of everything its value depends on: the measure's filter
and counting unit, the text of its definition, the breakdown, and the code that turns them into SQL.
Change any of these and the signature changes, so requests scan the records until a load recounts.

A load recounts only the month x borough cells it added rows to, from all the records in those cells.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

import ibis.expr.types as ir
import pyarrow as pa

from vrhub.definitions import get_definition
from vrhub.measures.catalogue import EVENT_DATE, Measure, builtin_catalogue
from vrhub.measures.expressions import Classified, grouped
from vrhub.warehouse import Warehouse
from vrhub.warehouse.events import RecordsChanged
from vrhub.warehouse.tables import SCHEMAS, history_table

COUNTS, SPECS = "measure_counts", "measure_count_specs"
ROWS = "__rows"


@functools.cache
def _code() -> str:
    """The code a count's SQL comes from: editing it must not leave counts made by the old code in use."""
    from vrhub.definitions import classify
    from vrhub.measures import catalogue, expressions

    digest = hashlib.sha256()
    for module in (expressions, classify, catalogue):
        digest.update(Path(module.__file__ or "").read_bytes())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()


def signature(source: str, measure: Measure | None, extra: str | None) -> str:
    """Names one count; `measure` None is the rows per cell, from which the engine tells which months
    have data."""
    spec: list = [_code(), source, extra]
    if measure is not None:
        definition = get_definition(measure.definition).sha256 if measure.definition else None
        spec += [definition, measure.where, measure.person, measure.count, measure.split_by]
    return hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()


def extras(source: str, measures: Iterable[Measure]) -> dict[str | None, list[Measure]]:
    """The breakdowns each measure is counted by: none, and the catalogue's breakdowns of the measure (age
    band and sex where its source records them), for plain measures; its own split for a split measure."""
    out: dict[str | None, list[Measure]] = {}
    for m in measures:
        extras_of: list[str | None] = [m.split_by] if m.split_by else [None, *m.breakdowns]
        for extra in extras_of:
            out.setdefault(extra, []).append(m)
    return out


def complete(wh: Warehouse, source: str) -> set[str]:
    """Signatures whose counts are complete; none in a warehouse older than the counts."""
    if not wh.has_table(SPECS):
        return set()
    specs = wh.table(SPECS)
    rows = wh.to_arrow(specs.filter(specs.source == source).select("sig"))
    return set(rows["sig"].to_pylist())


def counted(wh: Warehouse, source: str, measures: list[Measure], extra: str | None) -> ir.Table:
    """What `grouped` would return, read from the counts (every signature must be complete)."""
    c = wh.table(COUNTS)
    rows_sig = signature(source, None, extra)
    sigs = {m.id: signature(source, m, extra) for m in measures}
    c = c.filter((c.source == source) & c.sig.isin([rows_sig, *sigs.values()]))
    keys = ["month", "lad_code", *(["breakdown"] if extra else [])]
    metrics = {mid: c.value.sum(where=c.sig == sig).fill_null(0) for mid, sig in sigs.items()}
    metrics[ROWS] = c.value.sum(where=c.sig == rows_sig).fill_null(0)
    return c.group_by(keys).aggregate(**metrics)


def recount(wh: Warehouse, event: RecordsChanged) -> None:
    """The warehouse's listener: records changed, so the counts made from them are brought up to date."""
    refresh(wh, event.table, event.load_id, event.staged, event.classified)


def refresh(
    wh: Warehouse,
    source: str,
    load_id: int | None = None,
    staged: ir.Table | None = None,
    classified: Classified = (),
) -> None:
    """Bring the counts of `source` up to date: recount the cells `load_id` added rows to, count what is
    not counted yet over every record, forget counts no shipped measure uses. Without a `load_id`, count
    everything afresh. `staged` may hold the rows `load_id` added, as stored: when the source holds that
    load alone they are all its records, and are counted from there, reading the definitions'
    classifications from its `classified` columns (made by this load, with the definitions as they
    stand)."""
    if not wh.has_table(COUNTS) or source not in EVENT_DATE:
        return
    plan = extras(source, [m for m in builtin_catalogue().measures.values() if m.source == source])
    wanted = {signature(source, None, e) for e in plan}
    wanted |= {signature(source, m, e) for e, ms in plan.items() for m in ms}
    if load_id is None and _empty(wh, source):
        # Nothing to count (a new warehouse): every count is complete as it stands, with no rows. Skipping
        # the grouping queries takes seconds off `vrhub init`.
        _forget(wh, source, None)
        for extra, members in plan.items():
            _store(wh, source, extra, None, members, rows=True, complete_now=True)
        return
    have = complete(wh, source)
    _forget(wh, source, None if load_id is None else sorted(have - wanted))
    have = set() if load_id is None else have & wanted
    t = wh.table(source)
    alone = load_id is not None and not _other_loads(wh, source, load_id)
    if alone:
        # The source holds this load alone (the first load): count it whole, with no cells to pick out.
        _forget(wh, source, None)
        have = set()
        t = t if staged is None else staged
    classified = classified if alone and staged is not None else ()
    cells = _cells(wh, source, load_id) if have else None
    for extra, members in plan.items():
        rows_sig = signature(source, None, extra)
        new = [m for m in members if signature(source, m, extra) not in have]
        old = [m for m in members if signature(source, m, extra) in have]
        if new or rows_sig not in have:
            _store(
                wh, source, extra, t, new, rows=rows_sig not in have, complete_now=True, classified=classified
            )
        if cells and (old or rows_sig in have):
            sigs = [signature(source, m, extra) for m in old] + [rows_sig] * (rows_sig in have)
            _delete_cells(wh, source, sigs, cells)
            _store(
                wh,
                source,
                extra,
                _in_cells(wh, t, source, cells),
                old,
                rows=rows_sig in have,
                complete_now=False,
            )
    if cells:
        wh.execute(f"DROP TABLE IF EXISTS {cells}")


def _month(t: ir.Table, source: str) -> ir.DateValue:
    return t[EVENT_DATE[source]].cast("date").truncate("M")


def _forget(wh: Warehouse, source: str, sigs: list[str] | None) -> None:
    """Drop the counts with these signatures (all of the source's, for None)."""
    if sigs == []:
        return
    only = "" if sigs is None else f" AND sig IN ({', '.join(_lit(s) for s in sigs)})"
    for table in (COUNTS, SPECS):
        wh.execute(f"DELETE FROM {table} WHERE source = {_lit(source)}{only}")


def _empty(wh: Warehouse, source: str) -> bool:
    found = wh.table(source).limit(1).count().as_table()
    return not wh.to_arrow(found).column(0)[0].as_py()


def _other_loads(wh: Warehouse, source: str, load_id: int | None) -> bool:
    t = wh.table(source)
    found = t.filter(t.load_id != load_id).limit(1).count().as_table()
    return bool(wh.to_arrow(found).column(0)[0].as_py())


def _cells(wh: Warehouse, source: str, load_id: int | None) -> str | None:
    """A temporary table of the month x borough cells the load added rows to or took rows from."""
    t = wh.table(source)
    added = t.filter(t.load_id == load_id).select(month=_month(t, source), lad_code=t.lad_code)
    if wh.has_table(history_table(source)):
        # A correction takes its record out of the cell it was in, which may not be the one it goes to.
        old = wh.table(history_table(source))
        gone = old.filter(old.superseded_by == load_id)
        gone = gone.select(month=_month(gone, source), lad_code=gone.lad_code)
        added = added.union(gone)
    added = added.distinct()
    name = f"__cells_{source}"
    wh.con.create_table(name, added, temp=True, overwrite=True)
    if not wh.to_arrow(wh.table(name).count().as_table()).column(0)[0].as_py():
        wh.execute(f"DROP TABLE IF EXISTS {name}")
        return None
    return name


def _in_cells(wh: Warehouse, t: ir.Table, source: str, cells: str) -> ir.Table:
    c = wh.table(cells)
    month = _month(t, source)
    return t.semi_join(c, [month.identical_to(c.month), t.lad_code.identical_to(c.lad_code)])


def _delete_cells(wh: Warehouse, source: str, sigs: list[str], cells: str) -> None:
    if not sigs:
        return
    wh.execute(
        f"""DELETE FROM {COUNTS} WHERE source = {_lit(source)}
              AND sig IN ({", ".join(_lit(s) for s in sigs)})
              AND EXISTS (SELECT 1 FROM {cells} c WHERE c.month IS NOT DISTINCT FROM {COUNTS}.month
                                                   AND c.lad_code IS NOT DISTINCT FROM {COUNTS}.lad_code)"""
    )


def _store(
    wh: Warehouse,
    source: str,
    extra: str | None,
    t: ir.Table | None,
    measures: list[Measure],
    rows: bool,
    complete_now: bool,
    classified: Classified = (),
) -> None:
    """Count `measures` (and the rows, with `rows`) over `t` and add the counts, in the long layout;
    `t` None holds no records, so there is nothing to add and only the completeness is recorded."""
    if not measures and not rows:
        return
    # Two measures with the same filter and unit (a Home Office and a local name for one count) share a
    # signature, and are counted once.
    unique = {signature(source, m, extra): m for m in reversed(measures)}
    named = {sig: m.id for sig, m in unique.items()}
    if rows:
        named[signature(source, None, extra)] = ROWS
    columns = list(named.items())
    if t is not None:
        wide = wh.to_arrow(
            grouped(t, source, list(unique.values()), extra, by_crime=True, classified=classified)
        )
        _add_counts(wh, source, extra, wide, columns)
    if complete_now:
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        specs = {
            "source": [source] * len(columns),
            "sig": [sig for sig, _ in columns],
            "counts": [f"{column}{'' if extra is None else ' by ' + extra}" for _, column in columns],
            "counted_at": [now] * len(columns),
        }
        wh.insert(SPECS, pa.table(specs, schema=SCHEMAS[SPECS].to_pyarrow()))


def _add_counts(
    wh: Warehouse, source: str, extra: str | None, wide: pa.Table, columns: list[tuple[str, str]]
) -> None:
    """`grouped`'s wide rows, one column per count, into the counts' long layout."""
    n = wide.num_rows
    if not n:
        return
    breakdown = wide["breakdown"].cast(pa.string()) if extra else pa.nulls(n, pa.string())
    parts = [
        pa.table(
            {
                "source": pa.array([source] * n, pa.string()),
                "sig": pa.array([sig] * n, pa.string()),
                "month": wide["month"].cast(pa.date32()),
                "lad_code": wide["lad_code"].cast(pa.string()),
                "breakdown": breakdown,
                "value": wide[column].cast(pa.int64()),
            }
        )
        for sig, column in columns
    ]
    wh.insert(COUNTS, pa.concat_tables(parts).cast(SCHEMAS[COUNTS].to_pyarrow()))


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
