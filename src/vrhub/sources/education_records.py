"""Pupil-level education records: exclusions, suspensions, persistent absence, elective home education,
alternative provision, children missing education and NEET spells, one row per pupil and event.

They let a cohort be drawn from children outside mainstream education (the strategy's "tracking of
individuals outside mainstream services") and NEET be followed as an outcome. The pupil reference is
pseudonymised like every other identifier; linked to other agencies' records only through `person_links`.
"""

from __future__ import annotations

import ibis.expr.types as ir

from vrhub.sources.context import IngestContext
from vrhub.sources.places import with_borough
from vrhub.sources.reading import Header
from vrhub.sources.spec import Column, RowCheck, SourceSpec
from vrhub.sources.spells import dates_in_order
from vrhub.sources.staging import raw_value

EVENT_TYPES = (
    "permanent_exclusion",
    "suspension",
    "persistent_absence",
    "elective_home_education",
    "alternative_provision",
    "missing_education",
    "neet",
)


def _postcode_district(header: Header) -> str | None:
    """A district is a postcode's outward half (L8, CH41, WA10): a full postcode here would carry more of
    a pupil's address than the record needs, and anything else is no place."""
    column = header.find("postcode_district")
    if column is None:
        return None
    value = f"upper({raw_value(column)})"
    return f"NOT regexp_full_match({value}, '[A-Z]{{1,2}}[0-9][0-9A-Z]?')"


def _derive(t: ir.Table, ctx: IngestContext) -> ir.Table:
    return with_borough(t, ctx)


SPEC = SourceSpec(
    name="education-records",
    table="education_records",
    title="Education records (pupil level: exclusions, absence, home education, NEET)",
    columns=(
        Column("pupil_ref", "identifier", target="pupil_key"),
        Column("event_type", "choice", choices=EVENT_TYPES),
        Column("start_date", "date"),
        Column("end_date", "date", required=False, nullable=True, future_allowed=True),
        Column("provider", "text", required=False, nullable=True),
        Column("lsoa_code", "lsoa", required=False, nullable=True),
        Column("postcode_district", "upper", required=False, nullable=True),
        Column("age", "age", nullable=True),
        Column("sex", "sex", nullable=True),
    ),
    # A pupil's event of a kind begins once; a later extract restating it (its end date filled in) is a
    # correction of the same record.
    key=("pupil_key", "event_type", "start_date"),
    checks=(
        RowCheck(
            "postcode_district",
            "not a postcode district (expected the outward code, e.g. L8 or CH41)",
            _postcode_district,
        ),
        RowCheck("end_date", "end_date before start_date", dates_in_order("start_date", "end_date")),
    ),
    derive=_derive,
    postcodes=("postcode_district",),
)
