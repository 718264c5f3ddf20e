"""SQL that turns the raw text table into typed rows with their problems listed, and keys them; and what
names a staged file's temporary tables."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vrhub.pseudonymise import Pseudonymiser
from vrhub.sources import held, values
from vrhub.sources.identifiers import identifier_sql, is_identifier
from vrhub.sources.reading import Header, normalise, quote_ident, quote_literal
from vrhub.sources.spec import Column, SourceSpec

if TYPE_CHECKING:
    from vrhub.sources.context import IngestContext

_SQL_TYPES = {
    "date": "DATE",
    "month": "DATE",
    "datetime": "TIMESTAMP",
    "flag": "BOOLEAN",
    "age": "INTEGER",
    "number": "DOUBLE",
    "count": "BIGINT",
}
_PROBLEM_TYPE = "STRUCT(field VARCHAR, reason VARCHAR, value VARCHAR)"


def problem_sql(field: str, reason: str, value: str) -> str:
    return f"{{'field': {quote_literal(field)}, 'reason': {quote_literal(reason)}, 'value': {value}}}"


def raw_value(column: str) -> str:
    """SQL for a raw value trimmed, with a blank as NULL: `nullif(trim(v), '')`, computed only where it can
    change the value. DuckDB's trim removes Unicode space separators (the space, U+00A0, U+2000-U+200A...),
    so a value needs it only if it starts or ends with a space, is empty, or holds a non-ASCII character;
    skipping the copy for every other value took a sixth off the typing step."""
    v = quote_ident(column)
    needs = f"{v} LIKE ' %' OR {v} LIKE '% ' OR {v} = '' OR strlen({v}) <> length({v})"
    return f"(CASE WHEN {needs} THEN nullif(trim({v}), '') ELSE {v} END)"


def column_sql(
    col: Column, pseudonyms: Pseudonymiser, v: str, typed: str
) -> tuple[str, list[tuple[str, str]]]:
    """(typed expression, (condition, problem) pairs) for one column: `v` names its trimmed raw value,
    `typed` the typed value in the conditions."""
    if is_identifier(col.kind):
        hashed, checks = identifier_sql(col, pseudonyms, v, typed)
        return hashed, [(when, problem_sql(col.name, reason, value)) for when, reason, value in checks]
    parsed = values.parse(col.kind, v, col.choices)
    if col.codes:
        # A code stands for its choice: one CASE over the code list, after the choices themselves.
        cases = " ".join(f"WHEN {quote_literal(c.upper())} THEN {quote_literal(w)}" for c, w in col.codes)
        parsed = f"coalesce({parsed}, CASE upper({v}) {cases} END)"
    problems = []
    if not col.nullable:
        problems.append((f"{v} IS NULL", problem_sql(col.name, "missing value", "NULL::VARCHAR")))
    if col.kind != "text":
        reason = values.reason(col.kind, col.choices if len(col.choices) <= 12 else ())
        if col.codes:
            reason += f", nor a code listed in {col.codes_from}"
        problems.append((f"{v} IS NOT NULL AND {typed} IS NULL", problem_sql(col.name, reason, v)))
    for when, why in values.implausible_dates(col.kind, typed, col.future_allowed):
        problems.append((when, problem_sql(col.name, why, v)))
    return parsed, problems


def typed_sql(
    spec: SourceSpec, header: Header, raw: str, pseudonyms: Pseudonymiser, ctx: IngestContext | None = None
) -> str:
    """Typed rows and the list of their problems, in three steps: trim each raw value, parse it, then
    list the problems. Each value is trimmed and parsed once, and the list is built only for rows with a
    problem; checking and listing every row as one expression cost a third of the whole ingest.
    A column absent from the file is NULL."""
    trimmed, parsed, items, problems = ["r.*"], ["*"], ["__seq"], []
    for i, col in enumerate(spec.columns):
        source = header.find(col.name)
        if source is None:
            absent = f"CAST(NULL AS {_SQL_TYPES.get(col.kind, 'VARCHAR')})"
            items.append(f"{absent} AS {quote_ident(col.store_as)}")
            continue
        v, typed = f"__raw_{i}", f"__typed_{i}"
        expr, col_problems = column_sql(col, pseudonyms, v, typed)
        trimmed.append(f"{raw_value(source)} AS {v}")
        parsed.append(f"{expr} AS {typed}")
        items.append(f"{typed} AS {quote_ident(col.store_as)}")
        problems += col_problems
    for check in spec.checks:
        if check.needs_context and ctx is None:
            continue
        condition = check.condition(header, ctx) if check.needs_context else check.condition(header)
        source = header.find(check.field)
        if condition is not None and source is not None:
            problems.append((condition, problem_sql(check.field, check.reason, raw_value(source))))
    problem_list = f"CAST([] AS {_PROBLEM_TYPE}[])"
    if problems:
        listed = ", ".join(f"CASE WHEN {when} THEN {problem} END" for when, problem in problems)
        any_problem = " OR ".join(f"coalesce({when}, false)" for when, _ in problems)
        problem_list = (
            f"CASE WHEN {any_problem} THEN list_filter([{listed}], lambda p: p IS NOT NULL) "
            f"ELSE {problem_list} END"
        )
    rows = f"SELECT {', '.join(trimmed)} FROM {raw} r WHERE NOT __blank"
    return (
        f"SELECT {', '.join(items)}, {problem_list} AS __problems "
        f"FROM (SELECT {', '.join(parsed)} FROM ({rows}))"
    )


def keyed_sql(spec: SourceSpec, typed: str) -> str:
    """Adds `row_key` (the row's content) and `record_key` (its source key, or NULL) to typed rows."""
    if spec.replace_on:
        # Reference data: a row is its key; a repeated key in a file is a duplicate.
        return f"SELECT *, {_hash(list(spec.key))} AS row_key, NULL::VARCHAR AS record_key FROM {typed}"
    keys = f"{row_key_sql(spec, '__seq')} AS row_key, {record_key_sql(spec)} AS record_key"
    return f"SELECT *, {keys} FROM {typed}"


def _hash(names: list[str], extra: list[str] | None = None) -> str:
    parts = [f"coalesce(CAST({quote_ident(n)} AS VARCHAR), '')" for n in names] + (extra or [])
    return f"sha256(concat_ws(chr(31), {', '.join(parts)}))"


def content_columns(spec: SourceSpec) -> list[str]:
    return [c.store_as for c in spec.columns]


def row_key_sql(spec: SourceSpec, order: str, within: str = "") -> str:
    """The content key: a hash of every column, and (for a row that may have no record key) of its ordinal
    among identical rows of its file, so that two identical rows are two events (two assaults at the same
    place and minute) while a second load of the same rows still matches. `within` adds to the partition
    (the load, when keys are made again over stored rows); `order` orders identical rows."""
    names = content_columns(spec)
    if not _may_lack_record_key(spec):
        return _hash(names)
    partition = ", ".join([*([within] if within else []), *(quote_ident(n) for n in names)])
    ordinal = f"CAST(row_number() OVER (PARTITION BY {partition} ORDER BY {order}) AS VARCHAR)"
    # A row with a record key is that record whatever its place: identical copies are one record.
    return _hash(names, [f"CASE WHEN ({record_key_sql(spec)}) IS NULL THEN {ordinal} END"])


def _may_lack_record_key(spec: SourceSpec) -> bool:
    if not spec.key:
        return True
    nullable = {c.store_as for c in spec.columns if c.nullable}
    return spec.key_fallback is None and any(k in nullable for k in spec.key)


def record_key_sql(spec: SourceSpec) -> str:
    if not spec.key:
        return "NULL::VARCHAR"
    complete = " AND ".join(f"{quote_ident(k)} IS NOT NULL" for k in spec.key)
    if spec.key_fallback is None:
        return f"CASE WHEN {complete} THEN {_hash(list(spec.key))} END"
    fallback = _hash([*spec.key, *spec.key_fallback])
    return f"CASE WHEN {complete} THEN {_hash(list(spec.key))} ELSE {fallback} END"


def _identifier_positions(spec: SourceSpec, header: Header) -> list[int]:
    """Positions (from 1) of the columns whose values the quarantine keeps only as pseudonyms: every column
    but the spec's plain ones, by normalised name. A second copy of an identifier spelt otherwise
    ('CRIME_REF' beside 'crime_ref') holds identifiers too; a column vrhub does not know may hold anything
    (an identifier under a misspelt name, a person's name or address)."""
    plain = {normalise(c.name) for c in spec.columns if not is_identifier(c.kind)}
    return [i + 1 for i, name in enumerate(header.names) if normalise(name) not in plain]


def _may_hold_identifier(position: int, identifiers: list[int], width: int, fields: str) -> str:
    """SQL: may column `position` of a staged row hold an identifier? Yes at an identifier's own position;
    and to its right when the row has hidden extra fields (`fields` > the header's `width`): an unquoted
    comma shifts what follows it right. `fields` NULL (unknown) counts as any shift."""
    if position in identifiers:
        return "true"
    earlier = [p for p in identifiers if p < position]
    if not earlier:
        return "false"
    return f"coalesce({fields} - {width}, {position}) >= {position - max(earlier)}"


def _identifier_kinds(spec: SourceSpec, header: Header) -> dict[int, str]:
    """Column kind of each identifier column of the spec, by its position (from 1) in the file."""
    kinds = {normalise(c.name): c.kind for c in spec.columns if is_identifier(c.kind)}
    return {i + 1: kinds[normalise(n)] for i, n in enumerate(header.names) if normalise(n) in kinds}


def _has_nhs_numbers(spec: SourceSpec) -> bool:
    return any(c.kind == "nhs_number" for c in spec.columns)


def _postcode(spec: SourceSpec, name: str) -> bool:
    return normalise(name) in {normalise(p) for p in spec.postcodes}


def raw_json_sql(spec: SourceSpec, header: Header, pseudonyms: Pseudonymiser, fields: str = "NULL") -> str:
    """The raw row as JSON for the quarantine, with every value that may be an identifier replaced by its
    pseudonym (see `_may_hold_identifier`), hashed from the form its loaded key is hashed from, and a unit
    postcode reduced to its district (see `held`)."""
    identifiers = _identifier_positions(spec, header)
    kinds = _identifier_kinds(spec, header)
    nhs = _has_nhs_numbers(spec)
    pairs = []
    for position, name in enumerate(header.columns, start=1):
        value = quote_ident(name)
        if _postcode(spec, header.names[position - 1]):
            value = held.district_sql(value)
        if identifiers:
            maybe = _may_hold_identifier(position, identifiers, len(header.names), fields)
            if maybe != "false":
                raw = raw_value(name)
                own = held.comparable_sql(kinds[position], raw) if position in kinds else None
                form = held.loose_sql(raw, nhs)
                if own is not None and own != form:
                    # Its own value when the row is not shifted (`fields` no wider than the header).
                    unshifted = f"coalesce({fields}, 0) <= {len(header.names)}"
                    form = f"CASE WHEN {unshifted} THEN {own} ELSE {form} END"
                value = f"CASE WHEN {maybe} THEN {pseudonyms.sql(form)} ELSE {value} END"
        pairs.append(f"{quote_literal(name)}, {value}")
    return f"json_object({', '.join(pairs)})" if pairs else "'{}'"


def problem_value_sql(
    spec: SourceSpec, header: Header, pseudonyms: Pseudonymiser, fields: str = "NULL"
) -> str:
    """A problem's value (`p.value` of the problem `p`) for the quarantine: hashed where it may be a
    (shifted) identifier, from its column's comparable form; a unit postcode reduced to its district."""
    value = "p.value"
    postcodes = [c.name for c in spec.columns if _postcode(spec, c.name)]
    if postcodes:
        named = ", ".join(map(quote_literal, postcodes))
        reduced = held.district_sql("p.value", held.REDUCED)
        value = f"CASE WHEN p.field IN ({named}) THEN {reduced} ELSE p.value END"
    identifiers = _identifier_positions(spec, header)
    if not identifiers:
        return value
    width = len(header.names)
    cases = []
    for name in {c.name for c in spec.columns} | {check.field for check in spec.checks}:
        found = header.find(name)
        if found is not None:
            maybe = _may_hold_identifier(header.names.index(found) + 1, identifiers, width, fields)
            cases.append(f"WHEN {quote_literal(name)} THEN {maybe}")
    if not cases:
        return value
    maybe = f"CASE p.field {' '.join(cases)} ELSE true END"
    forms = " ".join(
        f"WHEN {quote_literal(c.name)} THEN {held.comparable_sql(c.kind, 'p.value')}"
        for c in spec.columns
        if is_identifier(c.kind)
    )
    loose = held.loose_sql("p.value", _has_nhs_numbers(spec))
    form = f"CASE p.field {forms} ELSE {loose} END" if forms else loose
    return f"CASE WHEN {maybe} THEN {pseudonyms.sql(form)} ELSE {value} END"


def rejected_line_sql(spec: SourceSpec, header: Header, pseudonyms: Pseudonymiser) -> str:
    """A rejected line, with every field that may hold an identifier replaced by its pseudonym, and a unit
    postcode anywhere in a file with postcodes reduced to its district.

    A rejected line has more or fewer fields than the header, so an identifier may have moved: with k fields
    too many (an unquoted comma, or a quoted one, as the line is split on every comma) it is at its own
    position or up to k after it; with k too few, up to k before it. Every field in that range is hashed.
    """
    positions = _identifier_positions(spec, header)
    other = held.district_sql("x") if spec.postcodes else "x"
    if not positions:
        if not spec.postcodes:
            return "csv_line"
        return f"array_to_string(list_transform(string_split(csv_line, ','), lambda x: {other}), ',')"
    shift = f"(len(string_split(csv_line, ',')) - {len(header.names)})"
    moved = " OR ".join(
        f"i BETWEEN {p} + least(0, {shift}) AND {p} + greatest(0, {shift})" for p in positions
    )
    hashed = pseudonyms.sql(held.loose_sql("trim(x)", _has_nhs_numbers(spec)))
    return (
        "array_to_string(list_transform(string_split(csv_line, ','), "
        f"lambda x, i: CASE WHEN ({moved}) AND trim(x) <> '' THEN coalesce({hashed}, x) ELSE {other} END), "
        "',')"
    )


@dataclass(frozen=True)
class Staged:
    """A file staged for loading: its temporary tables are named `{prefix}_...`."""

    path: Path
    header: Header
    prefix: str
    rejects: str  # DuckDB's table of the lines it could not split into the header's fields
    numbers: str  # SQL mapping `__seq` to the row number a spreadsheet shows


def count_rows(con: Any, from_where: str) -> int:
    return con.sql(f"SELECT count(*) AS n {from_where}").to_pyarrow()["n"][0].as_py()
