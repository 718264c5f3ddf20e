"""The cohorts there are: the rule cohorts (shipped, or a partnership's folder of its own) and one cohort
per intervention with participants in the warehouse."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from vrhub.cohorts import privacy
from vrhub.cohorts.linked import NoLinkedPeople, links
from vrhub.cohorts.members import interventions, members
from vrhub.cohorts.model import Cohort, CohortError, builtin_cohorts, folder_cohorts, participants_cohort
from vrhub.warehouse import Warehouse


def all_cohorts(wh: Warehouse, folder: Path | None = None) -> dict[str, Cohort]:
    """Rule cohorts (a folder's replace shipped ones of the same name), then the interventions'."""
    found = {**builtin_cohorts(), **(folder_cohorts(folder) if folder else {})}
    for name in interventions(wh):
        cohort = participants_cohort(name)
        found[cohort.name] = cohort
    return found


def get_cohort(wh: Warehouse, name: str, folder: Path | None = None) -> Cohort:
    known = all_cohorts(wh, folder)
    if name not in known:
        raise CohortError(
            f"no cohort named '{name}'",
            f"Known cohorts: {', '.join(known)}." if known else "No cohorts are defined.",
            parameter="name",
            value=name,
        )
    return known[name]


def cohort_table(wh: Warehouse, folder: Path | None = None, person_level: bool = False) -> pd.DataFrame:
    """name, kind, title, source, members (linked people; rounded and small numbers hidden unless
    `person_level`), description. Members is empty where no one is linked yet."""
    cohorts = all_cohorts(wh, folder)
    try:
        people = links(wh)
    except NoLinkedPeople:
        people = None
    rows = []
    for c in cohorts.values():
        count = None
        if people is not None and (c.rule is None or wh.has_table(c.rule.table)):
            found = members(wh, c, people).people
            count = int(wh.to_arrow(found.count().as_table()).column(0)[0].as_py())
        rows.append(
            {
                "name": c.name,
                "kind": c.kind,
                "title": c.title,
                "source": c.rule.source if c.rule else "participants",
                "members": count,
                "description": c.description,
            }
        )
    table = pd.DataFrame(rows, columns=["name", "kind", "title", "source", "members", "description"])
    if not person_level and table["members"].notna().any():
        shown = privacy.protect_counts(
            table.assign(members=table["members"].astype("float64")), ["members"], []
        )
        table["members"] = shown["members"].where(table["members"].notna(), None)
    return table
