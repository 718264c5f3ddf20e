"""Emergency department assault attendances: the NHS ISTV minimum data set (ISB 1594) plus local fields."""

from __future__ import annotations

import ibis.expr.types as ir

from vrhub.sources.context import IngestContext
from vrhub.sources.places import with_borough
from vrhub.sources.spec import Column, SourceSpec

ASSAULT_METHODS = (
    "fists",
    "feet",
    "body_parts",
    "knife",
    "other_sharp",
    "blunt_object",
    "glass_bottle",
    "firearm",
    "other",
    "not_specified",
)
LOCATION_TYPES = (
    "street",
    "licensed_premises",
    "home",
    "public_transport",
    "school",
    "workplace",
    "other",
    "not_specified",
)


def _derive(t: ir.Table, ctx: IngestContext) -> ir.Table:
    # Where the assault happened places it; the patient's home is the fall-back ISTV extracts allow.
    return with_borough(t, ctx, lsoa=t.incident_lsoa.fill_null(t.home_lsoa))


SPEC = SourceSpec(
    name="ed-attendances",
    table="ed_attendances",
    title="Emergency department assault attendances (ISTV)",
    columns=(
        Column("attendance_ref", "identifier", required=False, nullable=True, target="attendance_key"),
        Column("site_code", "upper"),
        Column("arrival_datetime", "datetime", required=False, nullable=True, target="arrival_at"),
        Column("assault_datetime", "datetime", target="assault_at"),
        Column("assault_method", "choice", choices=ASSAULT_METHODS),
        Column("assault_method_other", "text", required=False, nullable=True),
        Column("location_type", "choice", choices=LOCATION_TYPES),
        Column("location_description", "text", required=False, nullable=True),
        Column("age", "age", nullable=True),
        Column("sex", "sex", nullable=True),
        Column("incident_lsoa", "lsoa", required=False, nullable=True),
        Column("home_lsoa", "lsoa", required=False, nullable=True),
        Column("admitted", "flag"),
        Column("police_informed", "flag", required=False, nullable=True),
    ),
    key=("attendance_key",),  # without its reference a row is identified by its whole content
    derive=_derive,
)
