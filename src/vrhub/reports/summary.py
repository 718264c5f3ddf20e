"""The report's opening: what changed in the latest year and whether chance explains it, in words."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from vrhub.config import FORCE_CODE
from vrhub.measures import Catalogue
from vrhub.quality.recording import RecordingChange, caveat, touching
from vrhub.reports import parts
from vrhub.reports.reproduction import Values
from vrhub.stats.change import change_statistics
from vrhub.stats.wording import describe_change


@dataclass(frozen=True)
class Sentence:
    measure_id: str
    title: str
    text: str
    significant: bool
    small: bool
    recording_change: bool = False  # a recording change may explain it (the verdict says so)


def latest_changes(
    values: Values,
    catalogue: Catalogue,
    measure_ids: list[str],
    year: str,
    partial: parts.Partial | None = None,
    changes: list[RecordingChange] | None = None,
) -> list[Sentence]:
    """One sentence per measure on `year` against the year before: per month of data where either is a part
    year, and with any recording change between the two years in place of the verdict."""
    before = str(int(year) - 1)
    rows = []
    for measure_id in measure_ids:
        now = values.get((measure_id, year, FORCE_CODE, ""))
        then = values.get((measure_id, before, FORCE_CODE, ""))
        if now is None or then is None:
            continue
        source = catalogue.get(measure_id).source
        rows.append(
            (
                measure_id,
                now,
                then,
                parts.months(partial, source, year),
                parts.months(partial, source, before),
            )
        )
    if not rows:
        return []
    # Months of data as the exposure: the rate per month is compared, so a part year is like for like.
    stats = change_statistics(
        pd.Series([r[1] for r in rows]),
        pd.Series([r[2] for r in rows]),
        [r[3] or 12 for r in rows],
        [r[4] or 12 for r in rows],
    )
    found = []
    for (measure_id, now, then, m_now, m_then), (_, row) in zip(rows, stats.iterrows(), strict=True):
        measure = catalogue.get(measure_id)
        why = caveat(touching(changes or [], measure, before, year))
        text = describe_change(
            now,
            then,
            before,
            row,
            polarity=measure.polarity,
            unit=measure.unit,
            months=(m_now, m_then),
            caveat=why,
        )
        found.append(
            Sentence(
                measure_id,
                measure.title,
                text,
                bool(row["p_value"] < 0.05),
                bool(row["small_count"]),
                why is not None and bool(row["p_value"] < 0.05),
            )
        )
    # Significant changes first: those are what a steering group must hear.
    return sorted(found, key=lambda s: (not s.significant, s.small))
