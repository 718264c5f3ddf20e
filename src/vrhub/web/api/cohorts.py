"""Cohort aggregates for signed-in users and tokens (any role): the cohorts and a cohort's outcomes against a
matched comparison group, under the same small-number rules as the pages and `vrhub cohort` ('*' for a
hidden figure). The person-level view is not offered here: it is the analyst's audited page only."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from vrhub.web.api.auth import SIGNED_IN
from vrhub.web.api.schemas import ErrorOut, ValidationErrorOut
from vrhub.web.dashboard import cohort_data

router = Router(auth=SIGNED_IN, tags=["cohorts"])

# A plain string: the library checks it, so a bad one is answered as the command line words it.
FollowUpParam = Annotated[
    str,
    Query(
        cohort_data.DEFAULT_FOLLOW_UP,
        description="Months of follow-up, separated by commas (whole months above 0).",
    ),
]
Published = int | float | str | None  # '*' where hidden; counts rounded to the nearest 5


class CohortOut(Schema):
    name: str
    kind: str  # rule or participants
    title: str
    source: str  # the linked source a rule picks records of, or participants
    members: Published  # linked people; None until people are linked
    description: str


class CohortOutcomesOut(Schema):
    cohort: str
    title: str
    follow_up_months: list[int]
    view: str
    summary: dict[str, Any]
    # One row per outcome and follow-up: people, people followed, with the outcome and events per group, the
    # Kaplan-Meier proportion with its 95% CI, the risk difference and hazard ratio with theirs
    # (docs/cohorts.md, 'The estimates').
    estimates: list[dict[str, Published]]
    # One row per covariate level: shares (contacts: the mean) and SMDs before and after matching.
    balance: list[dict[str, Published]]
    notes: list[str]  # the caveats of an observational design, and what was not followed


@router.get(
    "/cohorts",
    response={200: list[CohortOut], 401: ErrorOut},
    operation_id="list_cohorts",
    summary="The cohorts and their linked members (small numbers suppressed)",
)
def list_cohorts(request: HttpRequest) -> list[dict]:
    return cohort_data.cohorts()


@router.get(
    "/cohorts/{name}/outcomes",
    response={200: CohortOutcomesOut, 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut | ErrorOut},
    operation_id="get_cohort_outcomes",
    summary="A cohort's outcomes against a matched comparison group (aggregates)",
)
def cohort_outcomes(request: HttpRequest, name: str, follow_up: FollowUpParam = "6,12,24") -> dict:
    """Per outcome and follow-up, the Kaplan-Meier proportion with the outcome in the cohort and in a
    comparison group matched on age band, sex, borough and prior contacts, the risk difference and the
    hazard ratio with 95% CIs; the balance table; the caveats. The same figures as `vrhub cohort outcomes`."""
    months = cohort_data.follow_up(follow_up)
    result = cohort_data.outcomes(name, months)
    body = result.as_json()
    body["follow_up_months"] = list(months)
    body["estimates"] = [r for r in body["estimates"] if r["follow_up_months"] in months]
    return body
