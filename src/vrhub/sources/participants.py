"""Intervention participants, from delivery: one row per person and intervention they took part in.

A cohort of an intervention's participants starts each person's follow-up at their start date. The
participant reference is pseudonymised like every other identifier; it reaches the police, ED and education
records only through `person_links` (the linkage's pseudonymous person ids).
"""

from __future__ import annotations

import ibis.expr.types as ir

from vrhub.sources.context import IngestContext
from vrhub.sources.places import with_borough
from vrhub.sources.spec import Column, RowCheck, SourceSpec
from vrhub.sources.spells import dates_in_order


def _derive(t: ir.Table, ctx: IngestContext) -> ir.Table:
    return with_borough(t, ctx)


SPEC = SourceSpec(
    name="participants",
    table="participants",
    title="Intervention participants (delivery)",
    columns=(
        Column("participant_ref", "identifier", target="participant_key"),
        Column("intervention", "text"),
        Column("start_date", "date"),
        Column("end_date", "date", required=False, nullable=True, future_allowed=True),
        Column("lsoa_code", "lsoa", required=False, nullable=True),
        Column("age", "age", nullable=True),
        Column("sex", "sex", nullable=True),
    ),
    # One participation per person and intervention: a later file restating it (an end date, a corrected
    # start) supersedes it.
    key=("participant_key", "intervention"),
    checks=(RowCheck("end_date", "end_date before start_date", dates_in_order("start_date", "end_date")),),
    derive=_derive,
)
