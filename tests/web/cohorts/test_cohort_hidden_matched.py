"""A '*' on the cohort page must not read as 'almost none' (QA stop 16, item 7). The matched members are
hidden beside the few left unmatched (members less matched would give those few away), not because they are
few: the page says what the published figures already bound them to, and its legend says what '*' means."""

from __future__ import annotations

import pytest

from vrhub.reports.disclosure import SUPPRESSED
from vrhub.web.dashboard.cohort_views import matched_range

pytestmark = pytest.mark.slow  # a demo cohort page to build (0.8 s)


def test_hidden_matched_members_are_given_the_range_the_page_already_publishes() -> None:
    # QA's A&E navigators: 625 members, matched hidden, 610 and 485 of the cohort followed at 6 and 12 months.
    summary = {"members": 625, "matched": SUPPRESSED, "comparison_pool": 4665}
    rows = [{"cohort_followed": 610}, {"cohort_followed": 485}, {"cohort_followed": None}]
    assert matched_range(summary, rows) == "about 610 to 625"


def test_a_small_or_shown_matched_count_is_left_as_it_is() -> None:
    # Followed hidden too: the matched are themselves few, and '*' means 1 to 7.
    assert matched_range({"members": 10, "matched": SUPPRESSED}, [{"cohort_followed": SUPPRESSED}]) == ""
    assert matched_range({"members": SUPPRESSED, "matched": SUPPRESSED}, [{"cohort_followed": 5}]) == ""
    assert matched_range({"members": 625, "matched": 610}, [{"cohort_followed": 610}]) == ""


def test_the_page_shows_the_range_and_a_legend_that_says_why(monkeypatch, rf, make_user) -> None:
    import pandas as pd

    from vrhub.web import figures
    from vrhub.web.dashboard import cohort_data, cohort_views

    estimates = pd.DataFrame(
        [
            {
                "outcome": "offending",
                "title": "Offending",
                "follow_up_months": 6,
                "cohort_people": SUPPRESSED,
                "cohort_followed": 610,
                "cohort_with_outcome": 70,
                "cohort_proportion": 0.11,
                "cohort_ci_low": 0.09,
                "cohort_ci_high": 0.15,
                "comparison_people": SUPPRESSED,
                "comparison_followed": 610,
                "comparison_with_outcome": 100,
                "comparison_proportion": 0.16,
                "comparison_ci_low": 0.14,
                "comparison_ci_high": 0.2,
                "risk_difference": -0.05,
                "rd_ci_low": -0.09,
                "rd_ci_high": -0.01,
                "hazard_ratio": 0.62,
                "hr_ci_low": 0.5,
                "hr_ci_high": 0.77,
                "suppressed": True,
            },
        ]
    )
    balance = pd.DataFrame(
        columns=[
            "covariate",
            "level",
            "cohort",
            "comparison_before",
            "smd_before",
            "cohort_matched",
            "comparison_after",
            "smd_after",
        ]
    )

    class Result:
        title = "Participants: A&E navigators"
        summary = {"members": 625, "matched": SUPPRESSED, "comparison_pool": 4665}
        notes: list[str] = []

    Result.estimates = estimates
    Result.balance = balance
    monkeypatch.setattr(cohort_data, "outcomes", lambda name, months: Result)
    monkeypatch.setattr(figures, "cached", lambda key, make: make())
    request = rf.get("/cohorts/participants:A&E navigators/")
    request.user = make_user("viewer")
    text = cohort_views.cohort(request, "participants:A&E navigators").content.decode()
    assert "data-matched>about 610 to 625<br>" in text
    assert "hidden beside a small one" in text
    # Every '*' explained as the rule has it, not as '1 to 7' alone.
    assert "a count of 1 to 7, or a larger figure hidden beside one" in text
    estimates_table = text[text.index('data-estimates="offending"') :]
    assert ">about 610 to 625</td>" in estimates_table[: estimates_table.index("</table>")]
