"""police.uk street-level crime files, as downloaded."""

from __future__ import annotations

import ibis.expr.types as ir

from vrhub.definitions import add_classifications
from vrhub.sources.context import IngestContext
from vrhub.sources.places import with_borough
from vrhub.sources.reading import Header, quote_literal
from vrhub.sources.spec import Column, RowCheck, SourceSpec
from vrhub.sources.staging import raw_value

CRIME_TYPES = (
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
)


# police.uk's outcome categories, current and historical; a value outside them next to a filled Context
# is the mark of an unquoted comma that split the outcome in two.
OUTCOMES = (
    "Action to be taken by another organisation",
    "Awaiting court outcome",
    "Court case unable to proceed",
    "Court result unavailable",
    "Defendant found not guilty",
    "Defendant sent to Crown Court",
    "Formal action is not in the public interest",
    "Further action is not in the public interest",
    "Further investigation is not in the public interest",
    "Investigation complete; no suspect identified",
    "Local resolution",
    "Offender deprived of property",
    "Offender fined",
    "Offender given a caution",
    "Offender given a drugs possession warning",
    "Offender given absolute discharge",
    "Offender given community sentence",
    "Offender given conditional discharge",
    "Offender given penalty notice",
    "Offender given suspended prison sentence",
    "Offender ordered to pay compensation",
    "Offender otherwise dealt with",
    "Offender sent to prison",
    "Status update unavailable",
    "Suspect charged as part of another case",
    "Unable to prosecute suspect",
    "Under investigation",
    "Awaiting court result",
    "Court case unable to proceed",
)


def _split_outcome(header: Header) -> str | None:
    outcome, context = header.find("Last outcome category"), header.find("Context")
    if outcome is None or context is None:
        return None
    known = ", ".join(quote_literal(o) for o in OUTCOMES)
    return f"{raw_value(context)} IS NOT NULL AND {raw_value(outcome)} NOT IN ({known})"


def _crime_without_id(header: Header) -> str | None:
    crime_id, crime_type = header.find("Crime ID"), header.find("Crime type")
    if crime_id is None or crime_type is None:
        return None
    asb = quote_literal("Anti-social behaviour")
    return f"{raw_value(crime_id)} IS NULL AND coalesce({raw_value(crime_type)}, '') <> {asb}"


def _derive(t: ir.Table, ctx: IngestContext) -> ir.Table:
    t = with_borough(t, ctx)
    return add_classifications(t, SPEC.classified)


SPEC = SourceSpec(
    name="police-uk",
    table="police_uk_crimes",
    title="police.uk street-level crime (open data)",
    columns=(
        # Crime IDs are public identifiers of crimes, not people; blank on anti-social behaviour rows.
        Column("Crime ID", "text", nullable=True, target="crime_id"),
        Column("Month", "month", target="month"),
        Column("Reported by", "text", target="reported_by"),
        Column("Falls within", "text", target="falls_within"),
        Column("Longitude", "number", nullable=True, target="longitude"),
        Column("Latitude", "number", nullable=True, target="latitude"),
        Column("Location", "text", nullable=True, target="location"),
        Column("LSOA code", "lsoa", nullable=True, target="lsoa_code"),
        Column("LSOA name", "text", nullable=True, target="lsoa_name"),
        Column("Crime type", "exact_choice", choices=CRIME_TYPES, target="crime_type"),
        Column("Last outcome category", "text", nullable=True, target="last_outcome_category"),
        Column("Context", "text", required=False, nullable=True, target="context"),
    ),
    # A crime's id is its key: police.uk republishes months with updated outcomes, which supersede. Rows
    # with no id (anti-social behaviour) are identified by the whole row: identical ones are distinct
    # events, and the ordinal keeps a re-export's rows matching.
    key=("crime_id",),
    checks=(
        # police.uk leaves the Crime ID blank on anti-social behaviour only. A crime without it is
        # quarantined, not loaded: with no key, the same crime in a republished month (updated outcomes)
        # could not supersede it and would count twice; in quarantine it is listed, to fix and reload.
        RowCheck(
            "Crime ID",
            "blank on a crime that is not anti-social behaviour: police.uk leaves it blank on anti-social "
            "behaviour only, and without it the crime cannot be matched when its month is republished",
            _crime_without_id,
        ),
        RowCheck(
            "Last outcome category",
            "not a police.uk outcome, and Context is filled: an unquoted comma split the outcome in two",
            _split_outcome,
        ),
    ),
    derive=_derive,
    classified=(("police_uk_proxy", "sv_proxy"),),
)
