"""'* of 625 participants matched' read as 'almost none matched' (QA stop 16, item 7): where the matched are
hidden beside the few left unmatched, the delivery evaluation and the demo's progress line give the range the
cohort page gives (vrhub.cohorts.matched), and keep '*' only where the matched are themselves few."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd
import pytest

from vrhub.cohorts.matched import matched_range, matched_words
from vrhub.reports.disclosure import SUPPRESSED

# QA's A&E navigators: 625 members, matched hidden, 610 and 485 of the cohort followed at 6 and 12 months.
SUMMARY = {"members": 625, "matched": SUPPRESSED, "comparison_pool": 4665}
FOLLOWED = [{"cohort_followed": 610}, {"cohort_followed": 485}]


def test_the_words_give_the_range_where_the_matched_are_hidden_beside_a_few() -> None:
    assert matched_range(SUMMARY, FOLLOWED) == "about 610 to 625"
    assert matched_words(SUMMARY, FOLLOWED, "participants") == "about 610 to 625 of 625 participants matched"
    assert matched_words({"members": 1_250, "matched": 1_200}, FOLLOWED, "participants") == (
        "1,200 of 1,250 participants matched"
    )
    # The followed hidden too: the matched are few, and '*' means 1 to 7.
    small = {"members": 10, "matched": SUPPRESSED}
    assert matched_words(small, [{"cohort_followed": SUPPRESSED}], "participants") == (
        "* of 10 participants matched"
    )


@dataclass
class _Outcomes:
    """What `Hub.cohort_outcomes` gives, as published: the matched hidden beside a few unmatched."""

    cohort: str = "participants:Navigators"
    follow_up: tuple[int, ...] = (6, 12)
    summary: dict = field(default_factory=lambda: dict(SUMMARY))
    estimates: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(
            {
                "outcome": "offending",
                "title": "Offending (recorded as a suspect)",
                "follow_up_months": [6, 12],
                "follow_up_note": [None, None],
                "cohort_followed": [610, 485],
                "cohort_longest_months": [6.0, 12.0],
                "cohort_median_months": [6.0, 12.0],
                "hazard_ratio": [0.5, 0.52],
                "hr_ci_low": [0.4, 0.41],
                "hr_ci_high": [0.63, 0.66],
            }
        )
    )


class _Hub:
    def cohort_outcomes(self, name: str, follow_up: str, seed: int) -> _Outcomes:
        return _Outcomes()


@pytest.mark.django_db
def test_the_recorded_evaluation_says_the_range_never_a_bare_star() -> None:
    from vrhub.web.accounts.models import Organisation
    from vrhub.web.delivery.evaluate import record_cohort_evaluation
    from vrhub.web.delivery.models import Intervention, PreventionTier, StrategicPriority

    navigators = Intervention.objects.create(
        title="Navigators",
        priority=StrategicPriority.objects.get(slug="education"),
        tier=PreventionTier.objects.get(slug="secondary"),
        lead_organisation=Organisation.objects.create(name="Test Youth Charity", kind="vcs"),
        boroughs=["E08000012"],
        start_date=dt.date(2019, 1, 1),
        budget=Decimal("100000"),
        status="active",
    )
    recorded = record_cohort_evaluation(_Hub(), navigators, "offending", "6,12")
    assert "matched comparison: about 610 to 625 of 625 participants matched on age, sex" in recorded.why
    assert "* of 625" not in recorded.why
