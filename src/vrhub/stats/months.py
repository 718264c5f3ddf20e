"""Runs of calendar months with no data inside a series: one rule for `vrhub quality` (a source's coverage)
and `vrhub trends` (the "no data" lines), so the two never disagree on a gap."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


def month_gaps(months: Iterable[str | pd.Period]) -> list[tuple[str, str, int]]:
    """(first missing month, last missing month, months missing) for each run of months absent between the
    first and the last of `months` ('YYYY-MM' or monthly Periods, any order, repeats allowed)."""
    present = sorted({pd.Period(m, "M") for m in months})
    gaps = []
    for before, after in zip(present, present[1:], strict=False):
        missing = (after - before).n - 1
        if missing > 0:
            gaps.append((str(before + 1), str(after - 1), missing))
    return gaps


def gap_text(gap: tuple[str, str, int]) -> str:
    """'2014-05 to 2019-08 (64 months)', or '2020-04' for one month."""
    first, last, n = gap
    return first if n == 1 else f"{first} to {last} ({n} months)"
