"""Figures partners report as aggregates: school absence, exclusions, NEET, reoffending, programme counts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from vrhub.sources.reading import Header
from vrhub.sources.spec import Column, RowCheck, SourceSpec
from vrhub.sources.staging import raw_value

if TYPE_CHECKING:
    from vrhub.sources.context import IngestContext


def _area_code(header: Header) -> str | None:
    code = header.find("area_code")
    return None if code is None else f"NOT regexp_full_match(upper({raw_value(code)}), '[EWKN][0-9]{{8}}')"


def _unknown_area(header: Header, ctx: IngestContext) -> str | None:
    """A well-formed code the warehouse does not know (a typo, another force's borough) would make a figure
    no one can find: it is quarantined, not loaded."""
    code = header.find("area_code")
    known = ctx.area_codes()
    if code is None or not known:
        return None
    listed = ", ".join(f"'{c}'" for c in sorted(known) if c.isalnum())
    value = f"upper({raw_value(code)})"
    return f"regexp_full_match({value}, '[EWKN][0-9]{{8}}') AND {value} NOT IN ({listed})"


SPEC = SourceSpec(
    name="indicators",
    table="indicators",
    title="Reported indicators (aggregate figures)",
    columns=(
        Column("indicator_id", "text"),
        Column("area_code", "upper"),
        Column("period", "period"),
        Column("value", "number"),
        Column("unit", "text"),
        Column("note", "text", required=False, nullable=True),
    ),
    # A later file may restate a figure: the restatement supersedes it (the history keeps the old value).
    key=("indicator_id", "area_code", "period"),
    checks=(
        RowCheck("area_code", "not an ONS area code (expected e.g. E08000012)", _area_code),
        RowCheck(
            "area_code",
            "an area code the warehouse does not know (not in its area lookup, nor a country or region)",
            _unknown_area,
            needs_context=True,
        ),
    ),
)
