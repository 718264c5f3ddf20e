"""Which follow-ups the data cover, so a partial period is never read as a whole one.

A person's reach is the time from their start to the last date the outcome's source reaches: how far the
records follow them, whether or not the outcome came first. Kaplan-Meier's S(t) is defined only up to the
longest time observed; past it the product-limit has no one left to say anything about. So a follow-up of
m months has figures only where, in every group compared, someone's reach is at least m months: otherwise
the people "with the outcome by m months" are those by the end of the data, a shorter period shown as m
months (and the groups' proportions, their difference and the hazard ratio at m would claim the same).

The aggregate view asks for more than one person: a month that fewer than `AGGREGATE_MINIMUM` of a group
are followed to, while others of it are not, is blank too: the estimate there rests on the 1 to 7 still
followed (a small number under the disclosure rules), each Kaplan-Meier step a fraction of them. The
analyst's person-level view keeps the definition's own floor, one person, since every time it rests on is
shown beside it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from vrhub.cohorts.survival import DAYS_PER_MONTH
from vrhub.reports.disclosure import HIGH

AGGREGATE_MINIMUM = HIGH + 1  # the first count the small-number rules show
PERSON_LEVEL_MINIMUM = 1
GROUP_NAMES = {"cohort": "cohort", "comparison": "comparison group"}


def whole_months(days: float) -> int:
    """Days as the whole months they complete: a follow-up is never said to be longer than it was."""
    return int(math.floor(days / DAYS_PER_MONTH + 1e-9))


def observed(reach: np.ndarray) -> tuple[int | None, int | None]:
    """The longest and the median follow-up of a group, in whole months (None for no one)."""
    reach = np.asarray(reach, dtype="float64")
    if not len(reach):
        return None, None
    return whole_months(float(reach.max())), whole_months(float(np.median(reach)))


def beyond(reach: Mapping[str, np.ndarray], months: int, horizon: float, minimum: int) -> str | None:
    """Why a follow-up of `months` (`horizon` days) has no figures, or None where every group in `reach`
    has at least `minimum` people followed that long."""
    for group, days in reach.items():
        days = np.asarray(days, dtype="float64")
        longest, _ = observed(days)
        name = GROUP_NAMES.get(group, group)
        if longest is None or longest < months:
            return f"beyond the longest follow-up observed: {longest or 0} months ({name})"
        followed = int((days >= horizon).sum())
        # A group followed whole to the month is covered, however small: its size is the small-number
        # rules' to hide, not a partial period.
        if followed < min(minimum, len(days)):
            return (
                f"too few followed this long: fewer than {minimum} of the {name} followed to {months} "
                f"months (the longest observed: {longest} months)"
            )
    return None
