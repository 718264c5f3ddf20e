"""The comparison group: pseudo start dates, each person as they stood then, who is matched to whom, and
the balance before and after, on the population of `small.py` (worked there by hand)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from tests.cohorts import small
from vrhub.cohorts.outcomes import CohortOutcomes
from vrhub.hub import Hub

NAVIGATORS = "participants:Navigators"


@pytest.fixture(scope="module")
def result(small_hub: Hub) -> CohortOutcomes:
    return small_hub.cohort_outcomes(NAVIGATORS, "6,12,24", person_level=True)


def test_each_member_is_matched_to_the_one_person_of_their_stratum(result: CohortOutcomes) -> None:
    people = result.people[result.people["outcome"] == "offending"]
    pairs = {(row.pair, row.person_id) for row in people.itertuples() if row.group == "comparison"}
    assert pairs == {("M1", "C1"), ("M2", "C2")}
    # The comparison group starts on the cohort's one start date; M3, like no one, is left out.
    assert set(pd.to_datetime(people["start_date"]).dt.date.astype(str)) == {small.START}
    assert set(people["person_id"]) == {"M1", "M2", "C1", "C2"}
    summary = result.summary
    assert (summary["members"], summary["matched"], summary["comparison_pool"]) == (3, 2, 4)


def test_the_balance_table_by_hand(result: CohortOutcomes) -> None:
    """Before: the cohort (M1-M3) against the whole pool (C1-C4). Band 16-17: 1/3 against 2/4, SMD
    (1/3 - 1/2) / sqrt((1/3 x 2/3 + 1/2 x 1/2) / 2) = -0.343. Contacts: means 1/3 (sample variance 1/3) and
    (1 + 0 + 3 + 0) / 4 = 1 (variance 2), SMD (1/3 - 1) / sqrt((1/3 + 2) / 2) = -0.617. Sefton, where
    no member lives: 0 against 1/4, SMD -1/4 / sqrt(3/32) = -0.816. After: M1, M2 against C1, C2,
    alike in every covariate: every SMD 0."""
    b = result.balance.set_index(["covariate", "level"])
    band = b.loc[("age_band", "16-17")]
    assert (band["cohort"], band["comparison_before"]) == pytest.approx((1 / 3, 1 / 2))
    assert band["smd_before"] == pytest.approx((1 / 3 - 1 / 2) / math.sqrt((2 / 9 + 1 / 4) / 2))
    contacts = b.loc[("contacts_12m", "mean")]
    assert (contacts["cohort"], contacts["comparison_before"]) == pytest.approx((1 / 3, 1))
    assert contacts["smd_before"] == pytest.approx((1 / 3 - 1) / math.sqrt((1 / 3 + 2) / 2))
    assert b.loc[("borough", "E08000014"), "smd_before"] == pytest.approx(-0.25 / math.sqrt(3 / 32))
    assert b.loc[("borough", "E08000015"), "cohort"] == pytest.approx(1 / 3)  # M3's Wirral
    assert (b["smd_after"] == 0).all()
    assert b.loc[("contacts_12m", "mean"), "cohort_matched"] == pytest.approx(0.5)


def test_ages_are_carried_from_the_nearest_record_with_one(result: CohortOutcomes) -> None:
    """C2's one record (1 May 2017, aged 16) is 2 years and 31 days before the start: 18 then, so C2 is
    in M2's band 18-20 and matched to her, where an age read off the record as it stands would not be."""
    assert "C2" in set(result.people["person_id"])


@pytest.mark.slow
def test_the_same_seed_gives_the_same_comparison_and_the_aggregate_view_hides_small_numbers(
    small_hub: Hub,
) -> None:
    first = small_hub.cohort_outcomes(NAVIGATORS, "6", seed=7)
    again = small_hub.cohort_outcomes(NAVIGATORS, "6", seed=7)
    assert first.estimates.equals(again.estimates) and first.people is None
    # Three members and two matched: counts of 1 to 7, hidden; and the shares they would give back.
    assert (first.summary["members"], first.summary["matched"]) == ("*", "*")
    assert (first.balance["cohort"].iloc[:-1] == "*").all()
