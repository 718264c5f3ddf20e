"""Turn a definition into an Ibis boolean expression over a record table (ingest and measures share it)."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from vrhub.definitions.model import Definition, get_definition


def predicate(definition: Definition, table: ir.Table) -> ir.BooleanValue:
    """True where a row meets the definition; false (never null) elsewhere."""
    clauses = []
    for rule in definition.rules:
        parts: list[ir.BooleanValue] = []
        if rule.offence_codes:
            parts.append(table.offence_code.isin([code for code, _ in rule.offence_codes]))
        if rule.any_flag:
            flags = [table[flag].fill_null(False) for flag in rule.any_flag]
            parts.append(ibis.or_(*flags))
        if rule.crime_types:
            parts.append(table.crime_type.isin(list(rule.crime_types)))
        clauses.append(ibis.and_(*parts))
    return ibis.or_(*clauses).fill_null(False)


def add_classifications(table: ir.Table, classified: tuple[tuple[str, str], ...]) -> ir.Table:
    """`table` with a column per (definition name, column) pair, true where a row meets the definition."""
    return table.mutate(**{column: predicate(get_definition(name), table) for name, column in classified})


def describe(definition: Definition) -> str:
    """The definition in words and codes, for `vrhub definitions show` and the report."""
    lines = [f"{definition.title}", f"version {definition.label}", ""]
    if definition.proxy:
        lines += ["PROXY: not a definition of serious violence; labelled as a proxy wherever shown.", ""]
    lines += [definition.description, "", f"Source: {definition.source}", ""]
    for rule in definition.rules:
        condition = f" (only when {' or '.join(rule.any_flag)} involved)" if rule.any_flag else ""
        lines.append(f"{rule.label}{condition}:")
        for code, label in rule.offence_codes:
            lines.append(f"  {code:>5}  {label}")
        for crime_type in rule.crime_types:
            lines.append(f"         {crime_type}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
