"""Figures partners report as aggregates: school absence, exclusions, NEET, reoffending, programme counts."""

from __future__ import annotations

from vrhub.sources.reading import Header
from vrhub.sources.spec import Column, RowCheck, SourceSpec
from vrhub.sources.staging import raw_value


def _area_code(header: Header) -> str | None:
    code = header.find("area_code")
    return None if code is None else f"NOT regexp_full_match(upper({raw_value(code)}), '[EWKN][0-9]{{8}}')"


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
    checks=(RowCheck("area_code", "not an ONS area code (expected e.g. E08000012)", _area_code),),
)
