"""Ambulance service call-outs for violence."""

from __future__ import annotations

import ibis.expr.types as ir

from vrhub.sources.context import IngestContext
from vrhub.sources.places import with_borough
from vrhub.sources.spec import Column, SourceSpec

CATEGORIES = ("assault", "stabbing", "shooting", "sexual_assault", "other_violence")


def _derive(t: ir.Table, ctx: IngestContext) -> ir.Table:
    return with_borough(t, ctx)


SPEC = SourceSpec(
    name="ambulance",
    table="ambulance_callouts",
    title="Ambulance call-outs for violence",
    columns=(
        Column("incident_ref", "identifier", required=False, nullable=True, target="incident_key"),
        Column("call_datetime", "datetime", target="call_at"),
        Column("category", "choice", choices=CATEGORIES),
        Column("age", "age", nullable=True),
        Column("sex", "sex", nullable=True),
        Column("lsoa_code", "lsoa", nullable=True),
    ),
    key=("incident_key",),  # without its reference a row is identified by its whole content
    derive=_derive,
)
