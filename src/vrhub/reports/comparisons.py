"""The engine's comparison of a period with an earlier one, read off its result row for the report.

The report states the change, rate ratio, interval, p-value and small-count flag the measures engine gives
(`vrhub measures`, its CSV and the API), never its own: where two periods hold different calendar months the
engine compared the months both hold (like for like), and where they hold none in common it left the
figures blank with the reason, in the row's `notes`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from vrhub.config import FORCE_CODE

Rows = dict[tuple[str, str], Mapping[str, Any]]  # (measure_id, period) -> the force-wide row, no breakdown

# The engine's notes (measures.engine._like_for_like), one reason each between '; '.
_LIKE_FOR_LIKE = re.compile(r"^change on (?P<other>\S+) like for like: on (?P<on>.+)$")
_NOT_COMPARED = re.compile(r"^no change on (?P<other>\S+): (?P<why>.+)$")


@dataclass(frozen=True)
class Comparison:
    against: str  # the period compared with
    pct: float | None
    rate_ratio: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    small: bool  # the engine's flag: a count the row's figures rest on is under SMALL_COUNT
    like_for_like: str | None = None  # the months compared, e.g. "Apr-Dec of both, 9 months"
    blank: str | None = None  # why the engine gave no change (no calendar month in common)

    @property
    def stats(self) -> dict[str, Any]:
        """As `stats.wording.describe_change` reads a comparison."""
        return {"pct_change": self.pct, "p_value": self.p_value, "small_count": self.small}


def force_rows(rows: Iterable[Mapping[str, Any]]) -> Rows:
    """The engine's force-wide rows with no breakdown, by measure and period (a later row wins, as in
    `reproduction.index`)."""
    return {
        (r["measure_id"], r["period"]): r
        for r in rows
        if r["area_code"] == FORCE_CODE and not r.get("breakdown")
    }


def compared(row: Mapping[str, Any], against: str, baseline: bool = False) -> Comparison:
    """The row's change on `against`: the previous period's columns, or the baseline's (`*_vs_baseline`)."""
    suffix = "_vs_baseline" if baseline else ""
    ratio = number(row.get("rate_ratio" + suffix))
    pct = number(row.get(f"change_vs_{'baseline' if baseline else 'previous'}_pct"))
    if ratio is not None and pct is not None:
        # The ratio the change is worked from, to 4 decimal places: the change is rounded to 0.1, and a
        # display rounding that again to a whole per cent would round twice (26.46 -> 26.5 -> 27).
        pct = (ratio - 1) * 100
    like, blank = None, None
    for reason in str(row.get("notes") or "").split("; "):
        found = _LIKE_FOR_LIKE.match(reason)
        if found and found["other"] == against:
            like = found["on"]
        found = _NOT_COMPARED.match(reason)
        if found and found["other"] == against:
            blank = found["why"]
    return Comparison(
        against,
        pct,
        ratio,
        number(row.get("ci_low" + suffix)),
        number(row.get("ci_high" + suffix)),
        number(row.get("p_value" + suffix)),
        bool(number(row.get("small_count"))),
        like,
        blank,
    )


def number(value: Any) -> float | None:
    """A figure as a float, or None where it is missing: None, NaN, '' or text that is no number."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number
