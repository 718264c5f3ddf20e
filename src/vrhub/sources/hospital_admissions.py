"""Hospital admissions for assault, coded by ICD-10 external cause (HES-style extracts)."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from vrhub.sources.context import IngestContext
from vrhub.sources.places import with_borough
from vrhub.sources.spec import Column, SourceSpec


def cause_group(code: ir.StringValue) -> ir.StringValue:
    """X99 sharp object; X93-X95 firearm; the rest of X85-Y09 other assault; anything else not assault."""
    three = code.substr(0, 3)
    return ibis.cases(
        (three == "X99", "sharp_object"),
        (three.isin(["X93", "X94", "X95"]), "firearm"),
        ((three >= "X85") & (three <= "Y09"), "other_assault"),
        else_="not_assault",
    )


def _derive(t: ir.Table, ctx: IngestContext) -> ir.Table:
    return with_borough(t.mutate(cause_group=cause_group(t.icd10_cause)), ctx)


SPEC = SourceSpec(
    name="hospital-admissions",
    table="hospital_admissions",
    title="Hospital admissions for assault (ICD-10 external cause)",
    columns=(
        Column("admission_ref", "identifier", required=False, nullable=True, target="admission_key"),
        Column("nhs_number", "nhs_number", required=False, nullable=True, target="nhs_number_key"),
        Column("admission_date", "date"),
        Column("icd10_cause", "icd10"),
        Column("age", "age", nullable=True),
        Column("sex", "sex", nullable=True),
        Column("lsoa_code", "lsoa", nullable=True),
    ),
    key=("admission_key",),  # without its reference a row is identified by its whole content
    derive=_derive,
)
