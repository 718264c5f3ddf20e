"""People across sources: the linkage's `person_links` (source reference -> pseudonymous person id) laid
over the record tables, so that a person's police, ED, education and delivery records read as one history.

Only pseudonyms meet here: `person_links.source_key` is a source's reference pseudonymised exactly as its
table stores it (police_records.person_key, ed_attendances.attendance_key...), and person ids carry no
identifier. The linkage (people, vault, clusters) writes the table; cohorts only read it.
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from vrhub.errors import VrhubError
from vrhub.sources import SOURCES
from vrhub.warehouse import Warehouse

LINKS = "person_links"


@dataclass(frozen=True)
class LinkedSource:
    source: str  # the vrhub source name, as person_links.source holds it
    key: str  # the column person_links.source_key matches
    date: str  # the column dating a record (a timestamp is read as its day)
    # Whether a record is a contact with services, counted in the 12 months before a start for matching.
    # Taking part in an intervention is what is being compared, not a contact.
    contact: bool = True

    @property
    def table(self) -> str:
        return SOURCES[self.source].table


LINKED = {
    s.source: s
    for s in (
        LinkedSource("police-records", "person_key", "committed_date"),
        LinkedSource("ed-attendances", "attendance_key", "assault_at"),
        LinkedSource("education-records", "pupil_key", "start_date"),
        LinkedSource("participants", "participant_key", "start_date", contact=False),
    )
}


class NoLinkedPeople(VrhubError):
    exit_code = 2


def links(wh: Warehouse) -> ir.Table:
    """(source, source_key, person_id): each linked reference's person in the latest run that placed it.
    A reference a run placed in two clusters (which a linkage should not do) takes the first id, so no
    record is counted twice."""
    # The table is there from migration 8 on; until a linkage run fills it, no one is linked.
    if not wh.has_table(LINKS) or wh.to_arrow(wh.table(LINKS).limit(1)).num_rows == 0:
        raise NoLinkedPeople(
            "no linked people in the warehouse (no linkage run yet, or every people record purged since)",
            "Load the people records and link them first: vrhub ingest people FILE --agency NAME, then "
            "vrhub link run (see docs/cohorts.md, 'Linked people').",
        )
    t = wh.table(LINKS)
    latest = t.group_by(["source", "source_key"]).aggregate(__run=t.run_id.max())
    t = t.join(
        latest, [t.source == latest.source, t.source_key == latest.source_key, t.run_id == latest.__run]
    )
    return t.group_by(["source", "source_key"]).aggregate(person_id=t.person_id.min())


def event_date(t: ir.Table, column: str) -> ir.DateValue:
    return t[column].cast("date")


def linked_rows(wh: Warehouse, source: str, rows: ir.Table, people: ir.Table | None = None) -> ir.Table:
    """`rows` of a source's table with their `person_id` and `event_date`, linked rows only. `people` (the
    result of `links`) may be passed to reuse it."""
    spec = LINKED[source]
    people = links(wh) if people is None else people
    mine = people.filter(people.source == source)
    joined = rows.join(mine, rows[spec.key] == mine.source_key)
    return joined.mutate(event_date=event_date(joined, spec.date))


def person_events(wh: Warehouse, people: ir.Table | None = None) -> ir.Table:
    """Every linked record as one row: person_id, source, event_date, age, sex, lad_code, contact."""
    people = links(wh) if people is None else people
    parts = []
    for spec in LINKED.values():
        if not wh.has_table(spec.table):
            continue
        rows = linked_rows(wh, spec.source, wh.table(spec.table), people)
        parts.append(
            rows.select(
                "person_id",
                source=ibis.literal(spec.source),
                event_date=rows.event_date,
                age=rows.age.cast("int32"),
                sex=rows.sex,
                lad_code=rows.lad_code,
                contact=ibis.literal(spec.contact),
            )
        )
    return ibis.union(*parts)


def data_end(wh: Warehouse, source: str) -> object:
    """The latest date a source's records reach: where follow-up in it is censored."""
    spec = LINKED[source]
    t = wh.table(spec.table)
    return wh.to_arrow(event_date(t, spec.date).max().as_table()).column(0)[0].as_py()
