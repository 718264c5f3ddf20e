"""Changes as the dashboard's tables show them: the engine's, read off its rows, and a part period marked.

Every change shown is the measures engine's (`reports.comparisons.compared`), so a page says what
`vrhub measures`, its CSV and /api/measures say: where two periods hold different calendar months the engine
compared the months both hold (like for like), and where they hold none in common it gave no change, with
the reason. `compared` works the percentage from the engine's unrounded rate ratio, so `format_change`
rounds it once (26.46% is +26%; the engine's 0.1-rounded 26.5 would show +27%).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from vrhub.measures import periods
from vrhub.measures.catalogue import Measure
from vrhub.reports import parts
from vrhub.reports.comparisons import Comparison, compared
from vrhub.web.dashboard.tables import index


def add(
    rows: list[dict[str, Any]], frame: pd.DataFrame, measure: Measure, partial: parts.Partial
) -> list[dict[str, Any]]:
    """Set, on each row (period, area_code, breakdown), `months` (where a part period), the engine's
    `change_vs_previous_pct` and `change_vs_baseline_pct` of that row in `frame`, and `change_notes`: how
    each change was compared where not on the whole periods (like for like, or why there is none)."""
    if not rows:
        return rows
    own = index(frame[frame["measure_id"] == measure.id])
    for row in rows:
        period = str(row.get("period") or "")
        if not periods.kind_of(period):
            continue
        engine = own.get((measure.id, period, str(row.get("area_code")), str(row.get("breakdown") or "")))
        if engine is None:
            continue
        base_period = periods.in_baseline_year(period, measure.baseline)
        previous = compared(engine, periods.previous(period))
        # The baseline against itself is no change to show.
        baseline = compared(engine, base_period, baseline=True) if base_period != period else None
        counted = measure.unit != "percent"
        part = counted and parts.is_part(partial, measure.source, period, engine)
        row["months"] = parts.months(partial, measure.source, period, engine) if part else None
        row["change_vs_previous_pct"] = previous.pct
        row["change_vs_baseline_pct"] = baseline.pct if baseline else None
        row["change_notes"] = [n for n in (note(previous), note(baseline) if baseline else None) if n]
    return rows


def note(change: Comparison) -> str | None:
    """`on 2018 like for like: Apr-Dec of both, 9 months`, or why there is no change on it."""
    if change.blank:
        return f"no change on {change.against}: {change.blank}"
    if change.like_for_like and change.pct is not None:
        return f"on {change.against} like for like: {change.like_for_like}"
    return None


def part_periods(measure: Measure, partial: parts.Partial) -> list[str]:
    """`2018 (9 months of data)` for each part period of the measure's source, oldest first."""
    found = partial.get(measure.source, {})
    return [parts.label(p, found[p]) for p in sorted(found)]
