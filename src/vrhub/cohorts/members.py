"""Who is in a cohort and from when: one row per linked person, `person_id` and `start_date`."""

from __future__ import annotations

from dataclasses import dataclass

import ibis.expr.types as ir

from vrhub.cohorts.linked import LINKED, linked_rows
from vrhub.cohorts.model import Cohort
from vrhub.warehouse import Warehouse


@dataclass(frozen=True)
class Members:
    people: ir.Table  # person_id, start_date
    records: int  # the source records the cohort's rule picks (or the intervention's participations)
    linked: int  # of those, the records the linkage placed with a person


def members(wh: Warehouse, cohort: Cohort, links: ir.Table) -> Members:
    """Each person's first qualifying record starts them: a second knife crime or a second exclusion adds
    no second membership, so the comparison is per person, not per record."""
    if cohort.rule is not None:
        source = cohort.rule.source
        rows = cohort.rule.rows(wh.table(cohort.rule.table))
        date = cohort.rule.date
    else:
        source = "participants"
        t = wh.table(LINKED[source].table)
        rows = t.filter(t.intervention == cohort.intervention)
        date = LINKED[source].date
    joined = linked_rows(wh, source, rows, links)
    people = joined.group_by("person_id").aggregate(start_date=joined[date].cast("date").min())
    return Members(people, _count(wh, rows), _count(wh, joined))


def interventions(wh: Warehouse) -> list[str]:
    """The interventions with participants in the warehouse, each a cohort."""
    table = LINKED["participants"].table
    if not wh.has_table(table):
        return []
    t = wh.table(table)
    return sorted(wh.to_arrow(t.select("intervention").distinct()).column(0).to_pylist())


def _count(wh: Warehouse, t: ir.Table) -> int:
    return int(wh.to_arrow(t.count().as_table()).column(0)[0].as_py())
