# ruff: noqa: F811  (the web fixtures are imported by name, then taken as arguments)
"""The delivery API: reads for signed-in callers, public awards, and the award refused with the model's
own sentence and the missing items (409) while a gate is unmet, as the model and the form refuse it."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from tests.web.conftest import make_user  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_warehouse(monkeypatch):
    from vrhub.errors import WarehouseError

    def unavailable(**kwargs):
        raise WarehouseError("no warehouse in this test")

    monkeypatch.setattr("vrhub.web.figures.measures_frame", unavailable)


@pytest.fixture
def bearer(make_user):
    from vrhub.web.api.models import ApiToken

    def issue(role, organisation=None):
        _, key = ApiToken.issue(make_user(role, organisation), "test")
        return {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    return issue


def award(client, app, headers, body):
    return client.post(
        f"/api/delivery/applications/{app.pk}/award",
        json.dumps(body),
        content_type="application/json",
        secure=True,
        **headers,
    )


def test_the_award_is_refused_with_the_missing_gates_named(client, approved, bearer):
    approved.terms_of_reference_agreed_by = ""
    approved.vawg_review = ""
    approved.save()
    headers = bearer("programme_manager")
    refused = award(client, approved, headers, {"reason": "Scored highest", "amount": "90000"})
    assert refused.status_code == 409
    assert refused.json() == {
        "detail": "This application cannot be awarded until it has agreed terms of reference (with the date "
        "and who agreed them) and a VAWG and domestic abuse themes review (with who reviewed it and when).",
        "missing": [
            "agreed terms of reference (with the date and who agreed them)",
            "a VAWG and domestic abuse themes review (with who reviewed it and when)",
        ],
    }
    approved.refresh_from_db()
    assert approved.state == "approved"

    approved.terms_of_reference_agreed_by = "VRP director"
    approved.vawg_review = "Reviewed."
    approved.save()
    no_reason = award(client, approved, headers, {"reason": " "})
    assert no_reason.status_code == 422
    done = award(
        client, approved, headers, {"reason": "Scored highest", "amount": "90000", "awarded_on": "2021-07-01"}
    )
    assert done.status_code == 200
    assert done.json()["state"] == "awarded" and done.json()["amount_awarded"] == 90000.0
    approved.refresh_from_db()
    assert (
        approved.awarded_on == dt.date(2021, 7, 1)
        and approved.intervention_id == done.json()["intervention_id"]
    )
    again = award(client, approved, headers, {"reason": "twice"})
    assert again.status_code == 409 and again.json()["missing"] == []


@pytest.mark.slow
def test_only_programme_managers_and_admins_award(client, approved, bearer):
    for role in ("analyst", "viewer"):
        assert award(client, approved, bearer(role), {"reason": "x"}).status_code == 403
    # A partner of another organisation cannot even see the application.
    assert award(client, approved, bearer("partner", "Merseyside Police"), {"reason": "x"}).status_code == 404
    assert award(client, approved, {}, {"reason": "x"}).status_code == 401
    approved.refresh_from_db()
    assert approved.state == "approved"


def test_reads(client, approved, manager, intervention, bearer):
    from vrhub.web.delivery.models import Milestone

    Milestone.objects.create(
        intervention=intervention, title="Start", due_date=dt.date(2021, 5, 1), tolerance_days=7
    )
    from vrhub.web.delivery.tracking import raise_exceptions

    raise_exceptions(dt.date(2021, 6, 1))
    approved.award(manager, "ok", amount=Decimal("1000"))
    headers = bearer("viewer")

    def get(url, **h):
        return client.get(url, secure=True, **h)

    listed = get("/api/delivery/interventions", **headers).json()
    assert sorted(i["title"] for i in listed) == ["Mentoring in schools", "Test intervention"]
    one = get(f"/api/delivery/interventions/{intervention.pk}", **headers).json()
    assert one["milestones"][0]["rag"] == "red" and one["exception_reports"][0]["status"] == "open"
    assert get("/api/delivery/interventions/99999", **headers).status_code == 404
    rounds = get("/api/delivery/funding-rounds", **headers).json()
    assert rounds[0]["awarded_total"] == 1000.0
    open_reports = get("/api/delivery/exception-reports?status=open", **headers).json()
    assert [r["title"] for r in open_reports] == ["Test intervention: 'Start' is 31 days overdue"]
    assert get("/api/delivery/exception-reports?status=resolved", **headers).json() == []
    stages = {e["stage"] for e in get("/api/delivery/logic-model", **headers).json()}
    assert stages == {"activity", "output", "short_term", "long_term"}
    assert get("/api/delivery/interventions").status_code == 401
    awards = get("/api/delivery/awards", **headers).json()
    assert [(a["title"], a["amount_awarded"]) for a in awards] == [("Mentoring in schools", 1000.0)]


def test_amounts_that_are_not_pounds_and_pence_are_refused_not_rounded(client, approved, bearer):
    headers = bearer("programme_manager")
    for amount in ("0.001", "1e20", "123456789012.345", "-5", "0"):
        refused = award(client, approved, headers, {"reason": "Scored highest", "amount": amount})
        assert refused.status_code == 422, (amount, refused.content)
    approved.refresh_from_db()
    assert approved.state == "approved" and approved.amount_awarded is None


def test_the_model_refuses_sub_penny_amounts_too(approved, manager):
    from decimal import Decimal

    from vrhub.web.delivery.models.funding import TransitionRefused

    with pytest.raises(TransitionRefused, match="pounds and pence"):
        approved.award(by=manager, why="x", amount=Decimal("0.001"))
