"""What is wrong with a file, in words a person can act on: a refusal of the whole file, the row number a
spreadsheet shows for each staged row, how many rows have each problem, and the quarantine rows that keep
every rejected row with its row number, field and reason."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import ibis

from vrhub.errors import InputRefused
from vrhub.sources.context import IngestContext
from vrhub.sources.reading import Header, quote_literal, records_sql, scan_lines, shown
from vrhub.sources.spec import SourceSpec
from vrhub.sources.staging import Staged, count_rows, problem_value_sql, raw_json_sql, rejected_line_sql

STRUCTURAL = {
    "TOO MANY COLUMNS": "row has more fields than the header (an unquoted comma in a value?)",
    "MISSING COLUMNS": "row has fewer fields than the header",
    "INVALID UNICODE": "row is not valid text in the file's encoding (try --encoding windows-1252)",
    "INVALID ENCODING": "row is not valid text in the file's encoding (try --encoding windows-1252)",
    "UNQUOTED VALUE": "a quote character inside an unquoted value",
    "LINE SIZE OVER MAXIMUM": "row is longer than the maximum line size",
}


def check_structure(con: Any, path: Path, header: Header, raw: str, rejects: str) -> None:
    """Refuse a file whose rows cannot be told apart: nothing would be accounted for properly."""
    runaway = (
        con.sql(
            f"""SELECT min(line) AS line FROM {rejects}
            WHERE error_type = 'UNQUOTED VALUE'
              AND regexp_matches(rtrim(csv_line, chr(13) || chr(10)), '[\\r\\n]')"""
        )
        .to_pyarrow()["line"][0]
        .as_py()
    )
    if runaway is not None:
        raise InputRefused(
            f"{path}: refused, nothing loaded: row {runaway} opens a quoted value that is never closed, so "
            "the rows after it cannot be told apart",
            f'Fix the quote (") at row {runaway}: a value holding a quote must be quoted whole, with the '
            'quote doubled (""); then load the file again.',
        )
    if header.has_rows and count_rows(con, f"FROM {raw}") + count_rows(con, f"FROM {rejects}") == 0:
        raise InputRefused(
            f"{path}: refused, nothing loaded: no row could be read, though the file has lines after the "
            "header",
            "Check the file has one kind of line ending throughout and is comma-separated "
            "(open it in a spreadsheet and save it as CSV again).",
        )


def number_rows(con: Any, source: Path, header: Header, encoding: str, prefix: str, rejects: str) -> str:
    """SQL mapping `__seq -> row_number` as a spreadsheet shows the file (the header is row 1).

    Blank lines and values running over several lines shift the rows after them, and rejected lines take
    numbers between staged rows; when any row is quarantined the file is scanned again to place them.
    """
    raw = f"{prefix}_raw"
    simple = f"SELECT __seq, __seq + 1 AS row_number, NULL::BIGINT AS fields FROM {raw}"
    rejected = count_rows(con, f"FROM {rejects}")
    if not rejected and not count_rows(con, f"FROM {prefix}_typed WHERE len(__problems) > 0"):
        return simple
    numbers = f"{prefix}_numbers"
    try:
        lines = scan_lines(con, source, header, encoding, prefix)
    except Exception:  # a line DuckDB cannot scan as plain text: number rows as if one per line
        lines = None
    # One record per line, unless the count shows values running over several lines.
    for multiline in (False, True):
        if lines is None:
            break
        con.raw_sql(
            f"""CREATE OR REPLACE TEMP TABLE {numbers} AS
                SELECT row_number() OVER (ORDER BY record) AS __seq, record AS row_number, fields
                FROM ({records_sql(lines, multiline)})
                WHERE NOT blank AND record > 1 AND record NOT IN (SELECT line FROM {rejects})"""
        )
        if count_rows(con, f"FROM {numbers}") == count_rows(con, f"FROM {raw}"):
            return f"SELECT * FROM {numbers}"
    if not rejected:
        return simple
    return f"""
        WITH total AS (SELECT (SELECT count(*) FROM {raw})
                              + (SELECT count(DISTINCT line) FROM {rejects}) AS n),
        lines AS (SELECT range AS line FROM range(2, (SELECT n FROM total) + 2)
                  WHERE range NOT IN (SELECT line FROM {rejects}))
        SELECT row_number() OVER (ORDER BY line) AS __seq, line AS row_number, NULL::BIGINT AS fields
        FROM lines"""


def problem_counts(con: Any, prefix: str, rejects: str, numbers: str) -> list[dict[str, Any]]:
    rows = (
        con.sql(
            f"""SELECT p.field, p.reason, count(*) AS rows, min(n.row_number)::BIGINT AS first_row
            FROM (SELECT __seq, unnest(__problems) AS p FROM {prefix}_typed WHERE len(__problems) > 0)
            JOIN ({numbers}) n USING (__seq) GROUP BY ALL
            UNION ALL
            SELECT coalesce(column_name, '(whole row)'), CAST(error_type AS VARCHAR), count(DISTINCT line),
                   min(line)::BIGINT
            FROM ({_first_reject(rejects)}) GROUP BY ALL ORDER BY rows DESC, first_row"""
        )
        .to_pyarrow()
        .to_pylist()
    )
    for row in rows:
        row["reason"] = STRUCTURAL.get(row["reason"], row["reason"])
    return rows


def _first_reject(rejects: str) -> str:
    """One error per rejected line: DuckDB lists a short row once per missing column; the first is kept."""
    return f"SELECT DISTINCT ON (line) * FROM {rejects} ORDER BY line, column_idx"


def refusal(path: Path, spec: SourceSpec, header: Header, missing: list[str], problems: list[dict]) -> str:
    lines = [f"{path}: refused, nothing loaded: missing required column(s) {_names(missing, repr)}"]
    lines.append(f"  the file has: {', '.join(map(shown, header.names))}")
    for p in problems:
        lines.append(
            f"  also: {p['rows']:,} row(s) with '{p['field']}': {p['reason']} (first at row {p['first_row']})"
        )
    return "\n".join(lines)


def _names(names: list[str], show: Callable[[str], str] = str) -> str:
    """`a, b, c`; a long run (a population file's 91 age columns) is shortened to its ends and count."""
    if len(names) <= 12:
        return ", ".join(map(show, names))
    first, last = ", ".join(map(show, names[:6])), ", ".join(map(show, names[-2:]))
    return f"{first}, ..., {last} ({len(names)} columns)"


def refusal_hint(spec: SourceSpec, missing: list[str]) -> str:
    return (
        f"{'An' if spec.name[0] in 'aeiou' else 'A'} {spec.name} file needs the columns "
        f"{_names([c.name for c in spec.columns if c.required])}. "
        "See docs/data-formats.md; if this is not a " + spec.name + " file, choose the right source."
    )


def stage_quarantine(spec: SourceSpec, ctx: IngestContext, staged: Staged) -> None:
    """`{prefix}_quarantine`: every problem of every bad row, and every rejected line, with its row number,
    field and reason (the load adds its `load_id`)."""
    con, path, header, prefix = ctx.con, staged.path, staged.header, staged.prefix
    numbers, rejects = staged.numbers, staged.rejects
    quarantine = con.sql(
        f"""SELECT {quote_literal(path.name)} AS file_name, {quote_literal(spec.name)} AS source,
                   n.row_number::BIGINT AS row_number, p.field, p.reason,
                   {problem_value_sql(spec, header, ctx.pseudonyms, "n.fields")} AS value,
                   r.raw_row
            FROM (SELECT __seq, unnest(__problems) AS p FROM {prefix}_typed WHERE len(__problems) > 0) t
            JOIN ({numbers}) n USING (__seq)
            JOIN (SELECT __seq, {raw_json_sql(spec, header, ctx.pseudonyms, "nn.__fields")} AS raw_row
                  FROM {prefix}_raw
                  JOIN (SELECT __seq, fields AS __fields FROM ({numbers})) nn USING (__seq)) r
              USING (__seq)
            UNION ALL
            SELECT {quote_literal(path.name)}, {quote_literal(spec.name)}, line::BIGINT,
                   coalesce(column_name, '(whole row)'), CAST(error_type AS VARCHAR), NULL,
                   to_json({rejected_line_sql(spec, header, ctx.pseudonyms)})::VARCHAR
            FROM ({_first_reject(rejects)})"""
    )
    quarantine = quarantine.mutate(
        reason=ibis.cases(
            *[(quarantine.reason == k, v) for k, v in STRUCTURAL.items()], else_=quarantine.reason
        )
    )
    con.create_table(f"{prefix}_quarantine", quarantine, temp=True, overwrite=True)
