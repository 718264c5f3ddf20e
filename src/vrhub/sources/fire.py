"""Fire and rescue service incidents: deliberate fires, arson and violence-related call-outs."""

from __future__ import annotations

import ibis.expr.types as ir

from vrhub.sources.context import IngestContext
from vrhub.sources.places import with_borough
from vrhub.sources.spec import Column, SourceSpec

INCIDENT_TYPES = ("deliberate_primary", "deliberate_secondary", "arson_endangering_life", "violence_related")


def _derive(t: ir.Table, ctx: IngestContext) -> ir.Table:
    return with_borough(t, ctx)


SPEC = SourceSpec(
    name="fire",
    table="fire_incidents",
    title="Fire and rescue incidents",
    columns=(
        Column("incident_ref", "identifier", required=False, nullable=True, target="incident_key"),
        Column("incident_date", "date"),
        Column("incident_type", "choice", choices=INCIDENT_TYPES),
        Column("lsoa_code", "lsoa", nullable=True),
    ),
    key=("incident_key",),  # without its reference a row is identified by its whole content
    derive=_derive,
)
