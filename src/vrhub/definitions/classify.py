"""Turn a definition into an Ibis boolean expression over a record table (ingest and measures share it)."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from vrhub.definitions.model import Definition, get_definition
from vrhub.definitions.offences import group_codes


def predicate(definition: Definition, table: ir.Table) -> ir.BooleanValue:
    """True where a row meets the definition; false (never null) elsewhere."""
    meets = rules_met(definition, table)
    if definition.exclude_flags:
        return meets & ~excluded(definition, table)
    return meets


def excluded(definition: Definition, table: ir.Table) -> ir.BooleanValue:
    """True where a row carries a flag the definition excludes (a record with the flag unrecorded stays)."""
    if not definition.exclude_flags:
        return ibis.literal(False)
    return ibis.or_(*[table[flag].fill_null(False) for flag in definition.exclude_flags])


def rules_met(definition: Definition, table: ir.Table) -> ir.BooleanValue:
    """True where a row meets one of the definition's rules, before its exclusions."""
    clauses = []
    for rule in definition.rules:
        parts: list[ir.BooleanValue] = []
        if rule.offence_codes or rule.offence_groups:
            parts.append(table.offence_code.isin(rule.all_codes()))
        if rule.any_flag:
            flags = [table[flag].fill_null(False) for flag in rule.any_flag]
            parts.append(ibis.or_(*flags))
        if rule.crime_types:
            parts.append(table.crime_type.isin(list(rule.crime_types)))
        clauses.append(ibis.and_(*parts))
    return ibis.or_(*clauses).fill_null(False)


def exclusion_effect(definition: Definition, table: ir.Table, date: str = "committed_date") -> ir.Table:
    """Per year, the distinct crimes that meet the definition's rules, how many its exclusions remove and
    how many it counts: what a reader needs to see the exclusion's size (the local definition leaves out
    domestic abuse)."""
    meets = rules_met(definition, table)
    out = excluded(definition, table)
    t = table.mutate(year=table[date].year())
    return (
        t.group_by("year")
        .aggregate(
            meet_rules=t.crime_key.nunique(where=meets),
            excluded=t.crime_key.nunique(where=meets & out),
            counted=t.crime_key.nunique(where=meets & ~out),
        )
        .order_by("year")
    )


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
        for group in rule.offence_groups:
            lines.append(f"  every offence in the ONS group {group} ({len(group_codes(group))} codes)")
        for code, label in rule.offence_codes:
            lines.append(f"  {code:>5}  {label}")
        for crime_type in rule.crime_types:
            lines.append(f"         {crime_type}")
        lines.append("")
    if definition.exclude_flags:
        lines.append(f"Excludes every record flagged {' or '.join(definition.exclude_flags)}.")
    return "\n".join(lines).rstrip() + "\n"
