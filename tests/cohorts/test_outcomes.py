"""`cohort outcomes` on the population of `small.py`, worked by hand: who is followed, for how long, what
counts as an outcome, the estimates at each follow-up, and what the aggregate view hides."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from vrhub.cohorts.outcomes import CohortOutcomes
from vrhub.cohorts.survival import DAYS_PER_MONTH
from vrhub.errors import BadValue, VrhubError
from vrhub.hub import Hub

NAVIGATORS = "participants:Navigators"


@pytest.fixture(scope="module")
def analyst(small_hub: Hub) -> CohortOutcomes:
    return small_hub.cohort_outcomes(NAVIGATORS, "6,12,24", person_level=True)


def test_person_time_runs_from_the_day_after_the_start_to_the_first_outcome_or_the_data_s_end(
    analyst: CohortOutcomes,
) -> None:
    """M1 offends 92 days after the start; C1's offence on the start day itself is not counted, their next
    is 427 days after; M2 and C2 are censored at the police records' end, 31 December 2020, 579 days on."""
    people = analyst.people
    offending = people[people["outcome"] == "offending"].set_index("person_id")
    assert offending.loc[["M1", "C1", "M2", "C2"], "time"].tolist() == [92, 427, 579, 579]
    assert offending.loc[["M1", "C1", "M2", "C2"], "event"].tolist() == [1, 1, 0, 0]
    assert str(analyst.summary["data_end_offending"]) == "2020-12-31"


def test_the_estimates_at_each_follow_up(analyst: CohortOutcomes) -> None:
    """Cohort (M1, M2): by 6 months (182.6 days) M1's first offence (day 92), so with the outcome 1 of 2,
    KM 1/2; by 12 months still 1 person but 2 offences (days 92 and 274). Comparison (C1, C2): no one by
    12 months. Everyone's follow-up ends at the police records' end, 579 days on (19 whole months), short
    of 24 months (730.5 days): no figure at 24 months, and it says why. The risk difference at 12 months
    is 1/2 - 0."""
    e = analyst.estimates[analyst.estimates["outcome"] == "offending"].set_index("follow_up_months")
    assert e["cohort_people"].tolist() == [2, 2, 2] and e["comparison_people"].tolist() == [2, 2, 2]
    assert e.loc[[6, 12], "cohort_with_outcome"].tolist() == [1, 1]
    assert e.loc[[6, 12], "cohort_events"].tolist() == [1, 2]
    assert e.loc[[6, 12], "comparison_with_outcome"].tolist() == [0, 0]
    assert e.loc[[6, 12], "cohort_followed"].tolist() == [2, 2]
    assert e.loc[6, "cohort_proportion"] == pytest.approx(0.5) and e.loc[12, "comparison_proportion"] == 0
    assert e.loc[12, "risk_difference"] == pytest.approx(0.5)
    assert 24 * DAYS_PER_MONTH > 579 > 12 * DAYS_PER_MONTH
    assert e.loc[24, "follow_up_note"] == "beyond the longest follow-up observed: 19 months (cohort)"
    assert e.loc[[6, 12], "follow_up_note"].isna().all()
    blank = ["cohort_followed", "cohort_with_outcome", "comparison_with_outcome", "cohort_proportion"]
    assert e.loc[24, [*blank, "risk_difference", "hazard_ratio"]].isna().all()
    assert (
        e["cohort_longest_months"].tolist() == [19] * 3 and e["comparison_median_months"].tolist() == [19] * 3
    )


def test_a_follow_up_is_covered_to_the_last_day_the_data_reach_and_no_further(small_hub: Hub) -> None:
    """19 months is 578.3 days: M2 and C2, followed 579, reach it. Cohort: M1 offended (day 92), M2 did
    not: KM 1/2. Comparison: C1 offended on day 427 with both at risk: S = 1 - 1/2, so 1/2 too, and the
    risk difference 0. 20 months (608.75 days) is beyond everyone's 579 days: blank, and the hazard ratio
    (over the follow-up observed) is given at 19 months but not at 20."""
    result = small_hub.cohort_outcomes(NAVIGATORS, "19,20", person_level=True)
    e = result.estimates[result.estimates["outcome"] == "offending"].set_index("follow_up_months")
    assert 19 * DAYS_PER_MONTH < 579 < 20 * DAYS_PER_MONTH
    assert e.loc[19, ["cohort_followed", "cohort_with_outcome", "comparison_with_outcome"]].tolist() == [
        2,
        1,
        1,
    ]
    assert e.loc[19, "cohort_proportion"] == pytest.approx(0.5)
    assert e.loc[19, "comparison_proportion"] == pytest.approx(0.5)
    assert e.loc[19, "risk_difference"] == pytest.approx(0.0) and pd.isna(e.loc[19, "follow_up_note"])
    assert not math.isnan(e.loc[19, "hazard_ratio"]) and math.isnan(e.loc[20, "hazard_ratio"])
    assert e.loc[20, "follow_up_note"] == "beyond the longest follow-up observed: 19 months (cohort)"
    assert math.isnan(e.loc[20, "cohort_with_outcome"]) and math.isnan(e.loc[20, "comparison_proportion"])
    assert any(n.startswith("A follow-up beyond what the data cover is left blank") for n in result.notes)


def test_outcomes_without_records_are_named_and_not_estimated(analyst: CohortOutcomes) -> None:
    """No ED attendance is loaded, and the education records end (January 2018) before the start."""
    assert set(analyst.estimates["outcome"]) == {"offending", "violence-victim"}
    assert "ED attendance for assault (no records loaded)" in analyst.notes[0]
    assert "NEET (its records end on 2018-01-15, before every start)" in analyst.notes[0]
    assert any("Observational design" in note for note in analyst.notes)


@pytest.mark.slow
def test_the_aggregate_view_suppresses_small_numbers_and_what_they_would_give_back(small_hub: Hub) -> None:
    result = small_hub.cohort_outcomes(NAVIGATORS, "6,12")
    assert result.people is None and not result.person_level
    e = result.estimates[result.estimates["outcome"] == "offending"].set_index("follow_up_months")
    # 2 people, 1 with the outcome: counts of 1 to 7 are '*', and so are the proportions worked from them.
    assert e.loc[6, "cohort_people"] == "*" and e.loc[6, "cohort_with_outcome"] == "*"
    assert e.loc[6, "cohort_proportion"] == "*" and e.loc[6, "risk_difference"] == "*"
    assert e.loc[6, "hazard_ratio"] == "*" and e["suppressed"].all()
    assert e.loc[6, "comparison_with_outcome"] == 0  # a 0 is shown: it is no small number
    assert "'*'" in result.notes[-1]
    as_json = result.as_json()
    assert as_json["view"] == "aggregate (small numbers suppressed)" and "people" not in as_json


def test_a_cohort_without_linked_members_and_a_bad_follow_up_are_refused(small_hub: Hub) -> None:
    with pytest.raises(VrhubError) as none:
        small_hub.cohort_outcomes("young-knife-victims-2019")
    assert "no linked members" in none.value.message and none.value.parameter == "name"
    with pytest.raises(BadValue) as bad:
        small_hub.cohort_outcomes(NAVIGATORS, "6,twelve")
    assert bad.value.parameter == "follow_up" and "6,12,24" in bad.value.hint
    with pytest.raises(VrhubError) as unknown:
        small_hub.cohort_outcomes("no-such-cohort")
    assert "participants:Navigators" in unknown.value.hint


@pytest.mark.slow
def test_a_cohort_no_one_can_be_matched_to_is_described_alone(small_hub: Hub, tmp_path: Path) -> None:
    """M3 (30, Wirral) has no one like him: his outcomes are given without a comparison, and said so."""
    (tmp_path / "older.yaml").write_text(
        "name: older-participants\ntitle: Participants aged 30 or more\nsource: participants\n"
        "where: {age: {min: 30}}\n"
    )
    for person_level in (True, False):
        result = small_hub.cohort_outcomes(
            "older-participants", "6", folder=tmp_path, person_level=person_level
        )
        assert any("No cohort member could be matched" in note for note in result.notes)
        row = result.estimates.iloc[0]
        assert "comparison_people" not in row and "hazard_ratio" not in row
    assert result.summary["matched"] == 0 and row["cohort_people"] == "*"
