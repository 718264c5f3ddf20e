"""Changes as the dashboard's tables show them: computed from the figures, per month of data, and a part
period marked.

The engine's change columns are rounded to 0.1, and a second rounding to a whole percent can differ from
the sentence written from the counts (26.46% is +26%; its 26.5 would show +27%). So every change shown is
computed here from the unrounded figures and rounded once, by `wording.format_change`. A period with fewer
months of data than it spans is compared per month of data, never on its total.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from vrhub.measures import periods
from vrhub.measures.catalogue import Measure
from vrhub.reports import parts
from vrhub.web.dashboard.tables import clean, index


def add(
    rows: list[dict[str, Any]], frame: pd.DataFrame, measure: Measure, partial: parts.Partial
) -> list[dict[str, Any]]:
    """Set, on each row (period, area_code, breakdown, value), `months` (where a part period),
    `change_vs_previous_pct` and `change_vs_baseline_pct` from the figures in `frame`, per month of data."""
    if not rows:
        return rows
    own = index(frame[frame["measure_id"] == measure.id])
    counted = measure.unit != "percent"  # a share is not a count: months of data do not scale it

    def look(period: str, area: str, breakdown: str) -> tuple[float | None, int | None]:
        row = own.get((measure.id, period, area, breakdown))
        value = clean(row.get("value")) if row else None
        return value, parts.months(partial, measure.source, period, row) if counted else None

    for row in rows:
        period = str(row.get("period") or "")
        if not periods.kind_of(period):
            continue
        area, breakdown = str(row.get("area_code")), str(row.get("breakdown") or "")
        now, m_now = look(period, area, breakdown)
        before = look(periods.previous(period), area, breakdown)
        base_period = periods.in_baseline_year(period, measure.baseline)
        # The baseline against itself is no change to show.
        base = look(base_period, area, breakdown) if base_period != period else (None, None)
        part = parts.is_part(partial, measure.source, period, own.get((measure.id, period, area, breakdown)))
        row["months"] = m_now if part else None
        row["change_vs_previous_pct"] = parts.per_month_change(now, before[0], m_now, before[1])
        row["change_vs_baseline_pct"] = parts.per_month_change(now, base[0], m_now, base[1])
    return rows


def part_periods(measure: Measure, partial: parts.Partial) -> list[str]:
    """`2018 (9 months of data)` for each part period of the measure's source, oldest first."""
    found = partial.get(measure.source, {})
    return [parts.label(p, found[p]) for p in sorted(found)]
