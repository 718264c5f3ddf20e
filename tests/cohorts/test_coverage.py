"""Which follow-ups the data cover (cohorts/coverage.py), worked by hand in days (a month is 30.4375)."""

from __future__ import annotations

import numpy as np

from vrhub.cohorts.coverage import AGGREGATE_MINIMUM, beyond, observed, whole_months


def test_follow_up_is_told_in_the_whole_months_it_completes() -> None:
    # 200 days: past 6 months (182.6), short of 7 (213.1); the median, 61 days, past 2 months (60.9).
    assert observed(np.array([31.0, 61.0, 200.0])) == (6, 2)
    assert whole_months(365.25) == 12 and whole_months(365.0) == 11
    assert observed(np.array([])) == (None, None)


def test_a_month_beyond_the_longest_follow_up_of_either_group_has_no_figures() -> None:
    cohort, comparison = np.array([31.0, 61.0, 200.0]), np.array([100.0, 400.0])
    assert beyond({"cohort": cohort}, 6, 6 * 30.4375, 1) is None
    assert (
        beyond({"cohort": cohort}, 7, 7 * 30.4375, 1)
        == "beyond the longest follow-up observed: 6 months (cohort)"
    )
    # The comparison group's longest, 400 days, is 13 months: at 12 the cohort's 6 is what fails.
    assert beyond({"cohort": comparison, "comparison": cohort}, 12, 365.25, 1) == (
        "beyond the longest follow-up observed: 6 months (comparison group)"
    )


def test_too_few_followed_to_a_month_is_blank_unless_the_whole_group_is() -> None:
    """At 2 months (60.9 days) two of the three are followed (61 and 200 days): fewer than 3 while the
    third is not, so too few for a floor of 3; a group of two followed whole is covered, however small."""
    cohort = np.array([31.0, 61.0, 200.0])
    assert beyond({"cohort": cohort}, 2, 2 * 30.4375, 3) == (
        "too few followed this long: fewer than 3 of the cohort followed to 2 months (the longest observed: "
        "6 months)"
    )
    assert beyond({"cohort": cohort}, 2, 2 * 30.4375, 2) is None
    assert beyond({"cohort": np.array([400.0, 579.0])}, 12, 365.25, AGGREGATE_MINIMUM) is None
    assert AGGREGATE_MINIMUM == 8
