"""What the cohort and linkage pages read, asked of the Hub (the calls `vrhub cohort` and `vrhub link` make)
and kept per warehouse generation (figures.cached), so a page view never recomputes a comparison.

The person-level view is never cached: each one is computed for, and audited against, the analyst asking."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from vrhub.cohorts.outcomes import CohortOutcomes, parse_follow_up
from vrhub.web import figures
from vrhub.web.warehouse import hub

DEFAULT_FOLLOW_UP = "6,12,24"
CURVE_POINTS = 60  # at most this many points on a curve, so a long follow-up costs no more than five years


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts of Python values, None for a blank (NaN)."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def cohorts() -> list[dict[str, Any]]:
    """Every cohort with its members as published (rounded, small numbers hidden)."""
    return figures.cached(("cohorts",), lambda: records(hub().cohorts()))


def follow_up(text: str | None) -> tuple[int, ...]:
    """The months asked for, checked by the library (a bad list is its BadValue for `follow_up`)."""
    return parse_follow_up(text or DEFAULT_FOLLOW_UP)


def curve_months(months: Sequence[int]) -> tuple[int, ...]:
    """Every month up to the longest asked for (every few, beyond CURVE_POINTS of them), and those asked."""
    longest = max(months)
    step = math.ceil(longest / CURVE_POINTS)
    return tuple(sorted({*range(step, longest + 1, step), *months}))


def outcomes(name: str, months: Sequence[int]) -> CohortOutcomes:
    """The published outcomes at every point of the curve. The estimates at the months asked for are the
    same rows a call for those months alone gives: each follow-up is estimated on its own, and the hazard
    ratio runs to the longest, which both calls share."""
    points = curve_months(months)
    return figures.cached(("cohort-outcomes", name, points), lambda: hub().cohort_outcomes(name, points))


def person_level(name: str, months: Sequence[int]) -> CohortOutcomes:
    return hub().cohort_outcomes(name, tuple(months), person_level=True)


def link_quality() -> Any:
    return figures.cached(("link-quality",), lambda: hub().link_quality())


def link_runs() -> list[dict[str, Any]]:
    return figures.cached(("link-runs",), lambda: hub().link_runs())
