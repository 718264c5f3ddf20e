"""Person-time for one outcome: from each person's start to their first outcome record after it, or to the
last date the outcome's source reaches (censored there), built in SQL over the linked records.

An outcome on the start date itself is not counted: the start is often the record that put the person in
the cohort (a knife crime's victim is not "again" a victim that day), and a same-day record cannot be told
to fall before or after it.
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from vrhub.cohorts.linked import data_end, linked_rows
from vrhub.cohorts.model import Outcome
from vrhub.warehouse import Warehouse


def follow(
    wh: Warehouse, people: pd.DataFrame, outcome: Outcome, horizons: Sequence[float], links: ir.Table
) -> tuple[pd.DataFrame, object]:
    """`people` (person_id, start_date, ...) with `time` (days to the first outcome or to the censoring
    date), `event` (1 for an outcome, 0 censored), `reach` (days from the start to the censoring date: how
    far the data follow the person, outcome or not) and `events_<i>` (outcome records within horizon i, in
    days), and the date follow-up is censored at. People whose start is not before it have no follow-up
    and are left out."""
    rule = outcome.rule
    end = data_end(wh, rule.source)
    if end is None:
        return people.iloc[0:0], None
    records = linked_rows(wh, rule.source, rule.rows(wh.table(rule.table)), links)
    records = records.select(__person=records.person_id, __date=records.event_date)
    starts = ibis.memtable(
        people[["person_id", "start_date"]].assign(start_date=lambda f: pd.to_datetime(f.start_date).dt.date)
    )
    starts = starts.mutate(start_date=starts.start_date.cast("date"))
    end_literal = ibis.literal(end, "date")
    j = starts.left_join(
        records,
        [
            starts.person_id == records.__person,
            records.__date > starts.start_date,
            records.__date <= end_literal,
        ],
    )
    days = j.__date.delta(j.start_date, unit="day")
    per = j.group_by(["person_id", "start_date"]).aggregate(
        first=days.min(),
        censor=end_literal.delta(j.start_date.min(), unit="day"),
        **{f"events_{i}": (days <= h).sum().fill_null(0).cast("int64") for i, h in enumerate(horizons)},
    )
    got = wh.to_arrow(per).to_pandas()
    got = got[got["censor"] > 0]
    got["event"] = got["first"].notna().astype("int64")
    got["time"] = np.where(got["event"] == 1, got["first"], got["censor"]).astype("float64")
    got["reach"] = got["censor"].astype("float64")
    got = got.drop(columns=["first", "censor", "start_date"])
    return people.merge(got, on="person_id", how="inner"), end
