"""Recording changes the quality checks found, and the measures they touch.

A finding names a source and a column. A measure is touched by it when the measure filters on that column
(`Measure.where`) or splits by it (`Measure.split_by`): a rise in ED assault method 'not specified' from 12%
to 32% moves every count of 'knife' attendances whatever happened on the ground. A comparison between two
periods is touched when the change began after the start of the earlier period and by the end of the later
one (a change that began before both is in both, and cancels out of the comparison).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from vrhub.measures import periods
from vrhub.quality.model import PROFILES

# Checks whose findings are changes in how a column is recorded, not in what happened.
RECORDING_CHECKS = ("category_drift", "completeness")
# A sentence names at most this many changes; the data-quality section lists them all.
NAMED = 1


@dataclass(frozen=True)
class RecordingChange:
    table: str  # the warehouse table (a measure's source), not the CLI's source name
    field: str
    period: str  # when it began: YYYY (against the year before) or YYYY-MM
    summary: str  # what moved, e.g. "ED assault method 'not specified' rose from 12% ... to 32% in 2021"
    # The check judged it a recording change rather than possibly a real shift (a catch-all category moved,
    # or a field stopped being filled): named first in a verdict.
    likely: bool = False


def recording_changes(findings: pd.DataFrame) -> list[RecordingChange]:
    """The findings (a `QualityReport.findings` frame) that are recording changes in a named column."""
    if findings.empty:
        return []
    table_of = {p.source: p.table for p in PROFILES.values()}
    rows = findings[
        findings["check"].isin(RECORDING_CHECKS)
        & findings["field"].notna()
        & findings["month"].notna()
        & (findings["severity"] != "info")
    ]
    return [
        RecordingChange(
            table_of.get(source, source),
            field,
            str(month),
            _summary(message),
            check == "completeness" or "likely a recording change" in message,
        )
        for source, field, month, check, message in rows[
            ["source", "field", "month", "check", "message"]
        ].itertuples(index=False)
    ]


def _summary(message: str) -> str:
    # Each check's message opens with what moved, then ": " and the test; the opening is what a verdict needs.
    return message.split(": ", 1)[0].rstrip(".")


def columns(measure: Any) -> set[str]:
    """The columns a measure's figure depends on by filter or split."""
    return set(measure.where or {}) | ({measure.split_by} if measure.split_by else set())


def _months(label: str) -> tuple[int, int] | None:
    """First and last month of a period as month numbers (year * 12 + month - 1)."""
    kind = periods.kind_of(label)
    if kind is None:
        return None
    year = periods.year_of(label)
    if kind == "year":
        return year * 12, year * 12 + 11
    if kind == "financial-year":
        return year * 12 + 3, year * 12 + 14
    if kind == "quarter":
        first = year * 12 + (int(label[-1]) - 1) * 3
        return first, first + 2
    month = year * 12 + int(label[5:7]) - 1
    return month, month


def touching(
    changes: list[RecordingChange], measure: Any, earlier: str | None = None, later: str | None = None
) -> list[RecordingChange]:
    """The changes that touch `measure`, and (given two periods) its comparison of `later` with `earlier`."""
    wanted = columns(measure)
    found = [c for c in changes if c.table == measure.source and c.field in wanted]
    if earlier is None or later is None:
        return found
    span, end = _months(earlier), _months(later)
    if span is None or end is None:
        return found
    return [c for c in found if (m := _months(c.period)) is not None and span[0] < m[0] <= end[1]]


def caveat(changes: list[RecordingChange]) -> str | None:
    """The changes in words for a verdict: the first few, and how many more the quality findings hold."""
    yearly = {(c.table, c.field, c.period, c.likely) for c in changes if len(c.period) == 4}
    # A month's shift inside a year already flagged against the year before is that same shift.
    kept = [
        c for c in changes if (c.table, c.field, c.period[:4], c.likely) not in yearly or len(c.period) == 4
    ]
    ordered = sorted(kept, key=lambda c: not c.likely)  # stable: the findings' own order within each
    summaries = list(dict.fromkeys(c.summary for c in ordered))
    if not summaries:
        return None
    text = "; ".join(summaries[:NAMED])
    more = len(summaries) - NAMED
    if more > 0:
        text += f" (and {more} more recording change{'s' if more > 1 else ''} in the data-quality findings)"
    return text
