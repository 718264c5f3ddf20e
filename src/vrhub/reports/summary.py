"""The report's opening: what changed in the latest year and whether chance explains it, in words."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from vrhub.analysis.change import change_statistics
from vrhub.analysis.wording import describe_change
from vrhub.config import FORCE_CODE
from vrhub.measures import Catalogue
from vrhub.reports.reproduction import Values


@dataclass(frozen=True)
class Sentence:
    measure_id: str
    title: str
    text: str
    significant: bool
    small: bool


def latest_changes(values: Values, catalogue: Catalogue, measure_ids: list[str], year: str) -> list[Sentence]:
    before = str(int(year) - 1)
    rows = []
    for measure_id in measure_ids:
        now = values.get((measure_id, year, FORCE_CODE, ""))
        then = values.get((measure_id, before, FORCE_CODE, ""))
        if now is None or then is None:
            continue
        rows.append((measure_id, now, then))
    if not rows:
        return []
    stats = change_statistics(pd.Series([r[1] for r in rows]), pd.Series([r[2] for r in rows]))
    found = []
    for (measure_id, now, then), (_, row) in zip(rows, stats.iterrows(), strict=True):
        measure = catalogue.get(measure_id)
        text = describe_change(now, then, before, row, polarity=measure.polarity, unit=measure.unit)
        found.append(
            Sentence(measure_id, measure.title, text, bool(row["p_value"] < 0.05), bool(row["small_count"]))
        )
    # Significant changes first: those are what a steering group must hear.
    return sorted(found, key=lambda s: (not s.significant, s.small))
