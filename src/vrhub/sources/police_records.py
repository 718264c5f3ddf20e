"""A force's crime extract: one row per crime and person involved."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from vrhub.definitions import add_classifications
from vrhub.definitions.offences import offences
from vrhub.sources.context import IngestContext
from vrhub.sources.places import with_borough
from vrhub.sources.spec import Column, SourceSpec


def _derive(t: ir.Table, ctx: IngestContext) -> ir.Table:
    groups = ibis.memtable({"__code": list(offences()), "__group": [o.group for o in offences().values()]})
    t = t.left_join(groups, t.offence_code == groups.__code).drop("__code").rename(offence_group="__group")
    t = with_borough(t, ctx)
    return add_classifications(t, SPEC.classified)


SPEC = SourceSpec(
    name="police-records",
    table="police_records",
    title="Police recorded crime extract (one row per crime and person)",
    columns=(
        Column("crime_ref", "identifier", target="crime_key"),
        Column("recorded_date", "date"),
        Column("committed_date", "date"),
        Column("offence_code", "offence_code", choices=tuple(offences())),
        Column("knife_flag", "flag", target="knife"),
        Column("firearm_flag", "flag", target="firearm"),
        Column("domestic_flag", "flag", target="domestic"),
        Column("lsoa_code", "lsoa", nullable=True),
        Column("person_role", "choice", choices=("victim", "suspect", "none")),
        Column("person_ref", "identifier", required=False, nullable=True, target="person_key"),
        Column("age", "age", nullable=True),
        Column("sex", "sex", nullable=True),
    ),
    # A crime and a person in it; a person without a reference is told apart by age and sex, as before
    # the person reference made versions possible.
    key=("crime_key", "person_role", "person_key"),
    key_fallback=("age", "sex"),
    derive=_derive,
    classified=(("merseyside_local", "sv_local"), ("home_office", "sv_home_office")),
)
