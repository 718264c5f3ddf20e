"""Part periods (a year with fewer months of data than it spans) as every output marks them.

The engine reports them per source as `MeasureResult.partial` ({source: {period: months}}) and, per row, in
a `months` column. A change on a part period is the engine's, over the calendar months both periods hold
(like for like: `reports.comparisons`), never one of the totals.
"""

from __future__ import annotations

from typing import Any

from vrhub.measures import periods

Partial = dict[str, dict[str, int]]


def months(partial: Partial | None, source: str, period: str | None, row: Any = None) -> int | None:
    """Months of data in `period` of `source`: the row's own `months` where the engine gives it, else the
    source's part periods, else the whole span of the period. None for a period that is not a date span."""
    if row is not None and hasattr(row, "get"):
        given = row.get("months")
        if given is not None and given == given:  # not NaN
            return int(given)
    kind = periods.kind_of(str(period)) if period else None
    if kind is None:
        return None
    return (partial or {}).get(source, {}).get(str(period), periods.months_in(kind))


def is_part(partial: Partial | None, source: str, period: str | None, row: Any = None) -> bool:
    found = months(partial, source, period, row)
    kind = periods.kind_of(str(period)) if period else None
    return found is not None and kind is not None and found < periods.months_in(kind)


def label(period: str, months_of_data: int | None) -> str:
    """`2018 (9 months of data)` for a part period, the period alone otherwise."""
    kind = periods.kind_of(period)
    if months_of_data is None or kind is None or months_of_data >= periods.months_in(kind):
        return period
    return f"{period} ({months_of_data} month{'s' if months_of_data != 1 else ''} of data)"
