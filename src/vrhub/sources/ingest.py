"""Load one file: refuse it whole, or account for every row as loaded, quarantined or a duplicate.

The whole load is one transaction: a failure or a killed process leaves the warehouse as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa

from vrhub.errors import InputRefused
from vrhub.sources.context import IngestContext
from vrhub.sources.reading import Header, check_columns, read_header, stage_raw
from vrhub.sources.spec import SourceSpec
from vrhub.sources.staging import keyed_sql, raw_json_sql, rejected_line_sql, typed_sql
from vrhub.warehouse import Warehouse
from vrhub.warehouse.tables import SCHEMAS

Progress = Callable[[str], None]
_counter = itertools.count(1)

_STRUCTURAL = {
    "TOO MANY COLUMNS": "row has more fields than the header (an unquoted comma in a value?)",
    "MISSING COLUMNS": "row has fewer fields than the header",
    "INVALID UNICODE": "row is not valid text in the file's encoding (try --encoding latin-1)",
    "UNQUOTED VALUE": "a quote character inside an unquoted value",
    "LINE SIZE OVER MAXIMUM": "row is longer than the maximum line size",
}


@dataclass
class LoadSummary:
    file: str
    source: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    duplicates_skipped: int = 0
    load_id: int | None = None
    already_loaded: bool = False
    problems: list[dict[str, Any]] = field(default_factory=list)  # field, reason, rows, first_row

    def as_json(self) -> dict[str, Any]:
        keys = ("file", "source", "rows_read", "rows_loaded", "rows_quarantined", "duplicates_skipped")
        return {k: v for k, v in asdict(self).items() if k in keys}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _previous_load(wh: Warehouse, source: str, sha: str) -> dict[str, Any] | None:
    loads = wh.table("loads")
    rows = wh.to_arrow(loads.filter((loads.source == source) & (loads.sha256 == sha)).limit(1)).to_pylist()
    return rows[0] if rows else None


def ingest_file(
    wh: Warehouse,
    spec: SourceSpec,
    path: Path,
    ctx: IngestContext,
    encoding: str | None = None,
    progress: Progress | None = None,
) -> LoadSummary:
    note = progress or (lambda _stage: None)
    encoding = encoding or spec.encoding
    summary = LoadSummary(file=str(path), source=spec.name)
    header = read_header(path, encoding)
    missing = check_columns(path, spec, header)
    note("checking")
    sha = file_sha256(path)
    if not missing:
        previous = _previous_load(wh, spec.name, sha)
        if previous:
            summary.rows_read = summary.duplicates_skipped = previous["rows_read"]
            summary.load_id, summary.already_loaded = previous["load_id"], True
            return summary
    prefix = f"stage{next(_counter)}"
    con = ctx.con
    try:
        note("reading")
        raw, rejects = stage_raw(con, path, header, encoding, prefix)
        con.raw_sql(f"CREATE TEMP TABLE {prefix}_typed AS {keyed_sql(spec, f'({typed_sql(spec, header, raw, ctx.key)})')}")
        problems = _problem_counts(con, prefix, rejects)
        if missing:
            raise InputRefused(_refusal(path, spec, header, missing, problems), _refusal_hint(spec, missing))
        summary.problems = problems
        note("loading")
        with wh.transaction():
            _load(wh, spec, path, ctx, header, prefix, rejects, sha, summary)
    finally:
        for suffix in ("typed", "raw", "rejects", "scans"):
            con.raw_sql(f"DROP TABLE IF EXISTS {prefix}_{suffix}")
    return summary


def _problem_counts(con: Any, prefix: str, rejects: str) -> list[dict[str, Any]]:
    rows = con.sql(
        f"""SELECT p.field, p.reason, count(*) AS rows, min(__seq) + 1 AS first_row
            FROM (SELECT __seq, unnest(__problems) AS p FROM {prefix}_typed) GROUP BY ALL
            UNION ALL
            SELECT coalesce(column_name, '(whole row)'), CAST(error_type AS VARCHAR), count(DISTINCT line), min(line)
            FROM {rejects} GROUP BY ALL ORDER BY rows DESC"""
    ).to_pyarrow().to_pylist()
    for row in rows:
        row["reason"] = _STRUCTURAL.get(row["reason"], row["reason"])
    return rows


def _refusal(path: Path, spec: SourceSpec, header: Header, missing: list[str], problems: list[dict]) -> str:
    lines = [f"{path}: refused, nothing loaded: missing required column(s) {', '.join(map(repr, missing))}"]
    lines.append(f"  the file has: {', '.join(header.names)}")
    for p in problems:
        lines.append(f"  also: {p['rows']:,} row(s) with '{p['field']}': {p['reason']} (first at row {p['first_row']})")
    return "\n".join(lines)


def _refusal_hint(spec: SourceSpec, missing: list[str]) -> str:
    return (
        f"A {spec.name} file needs the columns {', '.join(c.name for c in spec.columns if c.required)}. "
        "See docs/data-formats.md; if this is not a " + spec.name + " file, choose the right source."
    )


def _row_numbers_sql(con: Any, prefix: str, rejects: str) -> str:
    """`__seq -> row_number` (the header is row 1). Rejected lines take numbers between good rows."""
    if con.sql(f"SELECT count(*) AS n FROM {rejects}").to_pyarrow()["n"][0].as_py() == 0:
        return f"SELECT __seq, __seq + 1 AS row_number FROM {prefix}_typed"
    return f"""
        WITH total AS (SELECT (SELECT count(*) FROM {prefix}_typed)
                              + (SELECT count(DISTINCT line) FROM {rejects}) AS n),
        lines AS (SELECT range AS line FROM range(2, (SELECT n FROM total) + 2)
                  WHERE range NOT IN (SELECT line FROM {rejects}))
        SELECT row_number() OVER (ORDER BY line) AS __seq, line AS row_number FROM lines"""


def _load(
    wh: Warehouse, spec: SourceSpec, path: Path, ctx: IngestContext, header: Header,
    prefix: str, rejects: str, sha: str, summary: LoadSummary,
) -> None:
    con = ctx.con
    load_id = _next_load_id(wh)
    numbers = _row_numbers_sql(con, prefix, rejects)
    target = wh.table(spec.table)
    existing = target.select("row_key") if wh.is_duckdb else ibis.memtable(wh.to_arrow(target.select("row_key")))
    con.create_table(f"{prefix}_existing", existing.distinct(), temp=True, overwrite=True) if not wh.is_duckdb else None
    existing_sql = f"{prefix}_existing" if not wh.is_duckdb else spec.table
    con.raw_sql(
        f"""CREATE OR REPLACE TEMP TABLE {prefix}_good AS
            SELECT t.*, (row_number() OVER (PARTITION BY t.row_key ORDER BY t.__seq) > 1
                         OR t.row_key IN (SELECT row_key FROM {existing_sql})) AS __duplicate
            FROM {prefix}_typed t WHERE len(t.__problems) = 0"""
    )
    good = con.table(f"{prefix}_good")
    fresh = good.filter(~good.__duplicate)
    if spec.derive is not None:
        fresh = spec.derive(fresh, ctx)
    schema = SCHEMAS[spec.table]
    fresh = fresh.mutate(load_id=ibis.literal(load_id, "int64"))
    rows = fresh.select([fresh[name].cast(dtype).name(name) for name, dtype in schema.items()])
    wh.insert(spec.table, rows if wh.is_duckdb else con.to_pyarrow(rows))

    quarantine = con.sql(
        f"""SELECT {load_id}::BIGINT AS load_id, {_lit(path.name)} AS file_name, {_lit(spec.name)} AS source,
                   n.row_number::BIGINT AS row_number, p.field, p.reason, p.value, r.raw_row
            FROM (SELECT __seq, unnest(__problems) AS p FROM {prefix}_typed WHERE len(__problems) > 0) t
            JOIN ({numbers}) n USING (__seq)
            JOIN (SELECT __seq, {raw_json_sql(spec, header, ctx.key)} AS raw_row FROM {prefix}_raw) r USING (__seq)
            UNION ALL
            SELECT {load_id}, {_lit(path.name)}, {_lit(spec.name)}, line::BIGINT,
                   coalesce(column_name, '(whole row)'), CAST(error_type AS VARCHAR), NULL,
                   to_json({rejected_line_sql(spec, header, ctx.key)})::VARCHAR
            FROM (SELECT DISTINCT ON (line) * FROM {rejects})"""
    )
    quarantine = quarantine.mutate(
        reason=ibis.cases(*[(quarantine.reason == k, v) for k, v in _STRUCTURAL.items()], else_=quarantine.reason)
    )
    wh.insert("quarantine", quarantine if wh.is_duckdb else con.to_pyarrow(quarantine))

    counts = con.sql(
        f"""SELECT (SELECT count(*) FROM {prefix}_typed) AS staged,
                   (SELECT count(DISTINCT line) FROM {rejects}) AS rejected,
                   (SELECT count(*) FROM {prefix}_typed WHERE len(__problems) > 0) AS bad,
                   (SELECT count(*) FILTER (WHERE __duplicate) FROM {prefix}_good) AS duplicates"""
    ).to_pyarrow().to_pylist()[0]
    summary.rows_read = counts["staged"] + counts["rejected"]
    summary.rows_quarantined = counts["bad"] + counts["rejected"]
    summary.duplicates_skipped = counts["duplicates"]
    summary.rows_loaded = summary.rows_read - summary.rows_quarantined - summary.duplicates_skipped
    summary.load_id = load_id
    record = {
        "load_id": [load_id], "file_name": [path.name], "file_path": [str(path.resolve())], "sha256": [sha],
        "source": [spec.name], "rows_read": [summary.rows_read], "rows_loaded": [summary.rows_loaded],
        "rows_quarantined": [summary.rows_quarantined], "duplicates_skipped": [summary.duplicates_skipped],
        "loaded_at": [dt.datetime.now(dt.UTC).replace(tzinfo=None)],
        "definition_version": [ctx.definition_version],
    }
    wh.insert("loads", pa.table(record, schema=SCHEMAS["loads"].to_pyarrow()))
    con.raw_sql(f"DROP TABLE IF EXISTS {prefix}_good")
    con.raw_sql(f"DROP TABLE IF EXISTS {prefix}_existing")


def _next_load_id(wh: Warehouse) -> int:
    current = wh.table("loads").load_id.max().to_pyarrow().as_py()
    return (current or 0) + 1


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
