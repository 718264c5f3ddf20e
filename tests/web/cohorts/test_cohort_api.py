"""The cohort API: aggregates for any signed-in caller, under the same small-number rules as the pages, and
the same figures as the library gives for the months asked."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.web.cohorts.conftest import BIG, TINY
from tests.web.conftest import bearer

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_cohorts_are_listed_with_a_small_one_hidden(cohort_data: Path, token_for, client) -> None:
    _, key = token_for("partner", "Merseyside Police")
    response = bearer(key).get("/api/cohorts", secure=True)
    assert response.status_code == 200
    found = {c["name"]: c for c in response.json()}
    assert found[TINY]["members"] == "*" and isinstance(found[BIG]["members"], int | float)
    assert found[BIG]["members"] % 5 == 0
    assert client.get("/api/cohorts", secure=True).status_code == 401


def test_outcomes_are_the_published_figures_of_the_months_asked(cohort_data: Path, token_for) -> None:
    from vrhub.web.warehouse import hub

    _, key = token_for("viewer")
    response = bearer(key).get(f"/api/cohorts/{BIG}/outcomes", {"follow_up": "12,6"}, secure=True)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["follow_up_months"] == [6, 12] and body["view"].startswith("aggregate")
    expected = hub().cohort_outcomes(BIG, "6,12").as_json()
    assert body["estimates"] == expected["estimates"]
    assert body["balance"] == expected["balance"] and body["notes"] == expected["notes"]
    assert "people" not in body


def test_a_small_cohorts_outcomes_are_hidden(cohort_data: Path, token_for) -> None:
    _, key = token_for("viewer")
    body = bearer(key).get(f"/api/cohorts/{TINY}/outcomes", secure=True).json()
    assert body["follow_up_months"] == [6, 12, 24]
    assert body["summary"]["members"] == "*" and body["summary"]["matched"] == "*"
    assert all(r["cohort_people"] == "*" for r in body["estimates"])


@pytest.mark.parametrize(
    ("url", "params", "status", "parameter", "location"),
    [
        ("/api/cohorts/no-such-cohort/outcomes", {}, 404, "name", "path"),
        (f"/api/cohorts/{BIG}/outcomes", {"follow_up": "0,6"}, 422, "follow_up", "query"),
    ],
)
def test_errors_have_the_one_shape(
    cohort_data: Path, token_for, url: str, params: dict, status: int, parameter: str, location: str
) -> None:
    _, key = token_for("viewer")
    response = bearer(key).get(url, params, secure=True)
    assert response.status_code == status
    body = response.json()
    assert body["parameter"] == parameter and body["location"] == location
    assert body["detail"].startswith(f"{parameter}: ") and body["hint"]
