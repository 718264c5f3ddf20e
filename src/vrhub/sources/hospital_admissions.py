"""Hospital admissions for assault, coded by ICD-10 (HES- or SUS-style extracts): one row per admission."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from vrhub.sources.context import IngestContext
from vrhub.sources.places import with_borough
from vrhub.sources.spec import Column, SourceSpec

# HES and SUS carry up to 20 diagnosis positions (DIAG_01 is the primary diagnosis, usually the injury);
# the external cause of an assault is often coded in a secondary one.
DIAGNOSES = tuple(f"diag_{i:02d}" for i in range(1, 21))
SHARP_OBJECT = "X99"  # ICD-10: assault by sharp object (any 4th character: place of occurrence)


def cause_group(code: ir.StringValue) -> ir.StringValue:
    """X99 sharp object; X93-X95 firearm; the rest of X85-Y09 other assault; anything else not assault."""
    three = code.substr(0, 3)
    return ibis.cases(
        (three == SHARP_OBJECT, "sharp_object"),
        (three.isin(["X93", "X94", "X95"]), "firearm"),
        ((three >= "X85") & (three <= "Y09"), "other_assault"),
        else_="not_assault",
    )


def sharp_object_any_position(t: ir.Table) -> ir.BooleanValue:
    """X99 in the cause column or in any diagnosis position: the Home Office's (and NHS Digital's) count of
    admissions for assault by a sharp object. An admission with X99 in several positions is one admission."""
    codes = [t.icd10_cause, *(t[c] for c in DIAGNOSES)]
    return ibis.or_(*[(code.substr(0, 3) == SHARP_OBJECT).fill_null(False) for code in codes])


def _derive(t: ir.Table, ctx: IngestContext) -> ir.Table:
    t = t.mutate(
        cause_group=cause_group(t.icd10_cause), sharp_object_any_position=sharp_object_any_position(t)
    )
    return with_borough(t, ctx)


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
        *(Column(c, "icd10_diagnosis", required=False, nullable=True) for c in DIAGNOSES),
    ),
    # One row is one admission (a spell, or its first episode as HES counts admissions): a reference seen
    # again is the same admission corrected, never a second one. Without its reference a row is identified
    # by its whole content.
    key=("admission_key",),
    derive=_derive,
)
