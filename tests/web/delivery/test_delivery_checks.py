# ruff: noqa: F811  (the web fixtures are imported by name, then taken as arguments)
"""The delivery checks QA found missing (stop 16): awards capped by the request and the round's budget,
exception reports that agree with the RAG and are recorded only by a POST or the check, no negative money,
case studies checked for future consent and identifiers, feedback moderated and redacted, GOV.UK error
messages naming their field, and the application page in words."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from tests.web.conftest import client_as, make_user  # noqa: F401  (fixtures)
from vrhub.web.accounts.models import AuditEvent
from vrhub.web.delivery.models import (
    Application,
    CaseStudy,
    ExceptionReport,
    Feedback,
    Intervention,
    Milestone,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_warehouse(monkeypatch):
    from vrhub.errors import WarehouseError

    def unavailable(**kwargs):
        raise WarehouseError("no warehouse in this test")

    monkeypatch.setattr("vrhub.web.figures.measures_frame", unavailable)


def get(client, url):
    return client.get(url, secure=True)


def post(client, url, data):
    return client.post(url, data, secure=True)


def public_award_ids(client) -> set[int]:
    awards = json.loads(get(client, "/delivery/public/awards.json").content)["results"]
    grants = json.loads(get(client, "/delivery/public/360giving.json").content)["grants"]
    return {a["id"] for a in awards} | {int(g["id"].rsplit("-", 1)[-1]) for g in grants}


# -- 2. awards -----------------------------------------------------------------------------------------------
def test_an_award_above_the_amount_requested_is_refused_on_its_field_and_never_published(
    client, client_as, approved
):
    # Requested £120,000.50 (the fixture); the round's budget is £500,000, so only the request caps it.
    manager = client_as("programme_manager")
    refused = post(
        manager,
        f"/delivery/applications/{approved.pk}/award/",
        {"amount": "1000000", "why": "Scored highest"},
    )
    page = refused.content.decode()
    assert refused.status_code == 400
    message = "The amount awarded (£1,000,000.00) must not be more than the amount requested (£120,000.50)"
    assert f'<a href="#id_amount">{message}</a>' in page  # the summary links to the field
    assert 'id="id_amount-error"' in page
    approved.refresh_from_db()
    assert approved.state == "approved" and approved.amount_awarded is None
    assert approved.pk not in public_award_ids(client)
    assert "Mentoring in schools" not in get(client, "/delivery/public/").content.decode()

    # The model refuses it on every path, not only the form.
    with pytest.raises(Exception, match="must not be more than the amount requested"):
        approved.award(client, "x", amount=Decimal("120000.51"))
    assert (
        post(
            manager, f"/delivery/applications/{approved.pk}/award/", {"amount": "120000.50", "why": "Scored"}
        ).status_code
        == 302
    )
    assert approved.pk in public_award_ids(client)


def test_an_award_over_the_rounds_budget_needs_a_recorded_approval(client, client_as, approved, manager):
    fund = approved.funding_round
    fund.budget = Decimal("150000")
    fund.save()
    first = Application.objects.get(pk=approved.pk)
    first.award(manager, "first", amount=Decimal("100000"))
    second = Application.objects.create(
        funding_round=fund,
        organisation=approved.organisation,
        title="Second project",
        summary="More mentors.",
        priority=approved.priority,
        tier=approved.tier,
        amount_requested=Decimal("75000"),
    )
    from tests.web.delivery.conftest import meet_gates

    meet_gates(second)
    second.save()
    for step in ("submit", "assess", "approve"):
        getattr(second, step)(manager, "ok")
    c = client_as("programme_manager")
    url = f"/delivery/applications/{second.pk}/award/"
    # £100,000 + £75,000 = £175,000 against £150,000.
    refused = post(c, url, {"amount": "75000", "why": "Scored well"})
    page = refused.content.decode()
    assert refused.status_code == 400
    assert (
        "This award of £75,000.00 takes the awards of Test fund to £175,000.00, over its budget of "
        "£150,000.00" in page
    )
    assert 'id="id_over_budget_approval-error"' in page
    second.refresh_from_db()
    assert second.state == "approved" and second.pk not in public_award_ids(client)
    # Over it, with the approval recorded on the application, its decision and the audit log.
    done = post(c, url, {"amount": "75000", "why": "Scored well", "over_budget_approval": "Director, 1 July"})
    assert done.status_code == 302
    second.refresh_from_db()
    assert second.state == "awarded" and second.over_budget_approval == "Director, 1 July"
    assert "Director, 1 July" in second.decisions.get(to_state="awarded").why
    event = AuditEvent.objects.filter(action="delivery.award", object_id=str(second.pk)).get()
    assert "Director, 1 July" in event.detail["why"]
    rounds = get(client_as("viewer"), "/delivery/rounds/").content.decode()
    assert "Test fund has awarded £175,000 against a budget of £150,000: £25,000 over." in rounds
    assert "Over budget" in rounds


def test_an_award_that_fills_the_budget_exactly_needs_no_approval(approved, manager):
    approved.funding_round.budget = Decimal("120000.50")
    approved.funding_round.save()
    approved.award(manager, "fits", amount=Decimal("120000.50"))
    assert approved.state == "awarded" and approved.over_budget_approval == ""


# -- 3. exception reports agree with the RAG; a GET records nothing ---------------------------------------
def overdue(intervention) -> Milestone:
    return Milestone.objects.create(
        intervention=intervention,
        title="QA overdue milestone",
        due_date=dt.date(2021, 6, 1),
        tolerance_days=14,
    )


def test_the_intervention_page_shows_a_red_milestone_as_an_exception_without_recording_one(
    client_as, intervention
):
    overdue(intervention)
    url = f"/delivery/interventions/{intervention.pk}/"
    for role in ("viewer", "partner", "analyst"):
        page = get(client_as(role), url).content.decode()
        assert "Red" in page
        assert "every milestone and KPI is within tolerance" not in page
        assert "Test intervention: &#x27;QA overdue milestone&#x27; is" in page
        assert "1 exception report due, not yet raised" in page
    get(client_as("programme_manager"), "/delivery/steering/")
    assert not ExceptionReport.objects.exists()
    assert not AuditEvent.objects.filter(action="delivery.exception_raised").exists()


def test_a_programme_managers_post_raises_the_report_and_the_page_then_lists_it(client_as, intervention):
    overdue(intervention)
    manager = client_as("programme_manager")
    url = f"/delivery/interventions/{intervention.pk}/"
    assert "Raise the exception report" in get(manager, url).content.decode()
    response = post(manager, "/delivery/exception-reports/raise/", {"intervention": intervention.pk})
    assert response.status_code == 302 and response["Location"] == f"{url}#exceptions"
    report = ExceptionReport.objects.get()
    assert report.milestone.title == "QA overdue milestone"
    event = AuditEvent.objects.get(action="delivery.exception_raised")
    assert event.user is not None and event.user.username == "programme_manager-none"
    page = get(manager, url).content.decode()
    assert "not yet raised" not in page and f"/delivery/exception-reports/{report.pk}/" in page


def test_the_scheduled_check_raises_what_the_page_shows(intervention):
    from vrhub.web.delivery.tracking import due_exceptions, raise_exceptions

    overdue(intervention)
    today = dt.date(2021, 6, 16)  # the day after the tolerance ran out
    assert [r.basis for r in due_exceptions(today, intervention)] == ["due 2021-06-01"]
    assert due_exceptions(dt.date(2021, 6, 15), intervention) == []
    assert [r.basis for r in raise_exceptions(today)] == ["due 2021-06-01"]
    assert due_exceptions(today, intervention) == [] and ExceptionReport.objects.count() == 1


def test_a_red_milestone_on_a_planned_intervention_is_not_called_within_tolerance(client_as, intervention):
    overdue(intervention)
    intervention.status = Intervention.Status.PLANNED
    intervention.save()
    page = get(client_as("viewer"), f"/delivery/interventions/{intervention.pk}/").content.decode()
    assert "every milestone and KPI is within tolerance" not in page
    assert "exception reports are raised only while an intervention is active or on hold" in page


# -- 4. no negative money ------------------------------------------------------------------------------------
def test_a_negative_budget_is_refused_by_the_form_and_the_model(client_as, intervention, orgs, lookups):
    c = client_as("programme_manager")
    data = {
        "title": intervention.title,
        "priority": lookups["education"].pk,
        "tier": lookups["secondary"].pk,
        "lead_organisation": orgs["charity"].pk,
        "status": "active",
        "budget": "-5",
    }
    response = post(c, f"/delivery/interventions/{intervention.pk}/edit/", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#id_budget">Budget must be £0 or more</a>' in page
    intervention.refresh_from_db()
    assert intervention.budget == Decimal("100000")
    intervention.budget = Decimal("-5")
    with pytest.raises(Exception, match="The budget must be £0 or more"):
        intervention.save()
    rounds = post(
        c,
        "/delivery/rounds/new/",
        {"title": "R", "opens": "2022-01-01", "closes": "2022-02-01", "budget": "-1"},
    )
    assert rounds.status_code == 400 and "Budget must be £0 or more" in rounds.content.decode()


# -- 5. case studies -----------------------------------------------------------------------------------------
def case_data(**over):
    data = {
        "title": "A mentee's year",
        "story": "A Year 10 pupil now attends every day after weekly mentoring.",
        "consent_recorded": "on",
        "consent_date": "2021-11-01",
        "anonymised": "on",
        "recorded_on": "2021-12-02",
        "published": "on",
    }
    return {**data, **over}


def test_consent_dated_in_the_future_is_refused(client_as):
    c = client_as("programme_manager")
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    response = post(c, "/delivery/case-studies/new/", case_data(consent_date=tomorrow))
    assert response.status_code == 400
    assert "The date consent was recorded must be today or in the past" in response.content.decode()
    assert not CaseStudy.objects.exists()
    assert post(c, "/delivery/case-studies/new/", case_data()).status_code == 302


def test_a_story_with_identifiers_is_refused_publication_naming_what_was_found(client_as):
    c = client_as("programme_manager")
    story = "Tom Smith, 15, of 12 Acacia Ave, rang 07700 900123 or tom@example.org from L1 8JQ."
    response = post(c, "/delivery/case-studies/new/", case_data(story=story))
    page = response.content.decode()
    assert response.status_code == 400
    for found in (
        "a full name with an age (&quot;Tom Smith, 15&quot;)",
        "a house number and street (&quot;12 Acacia Ave&quot;)",
        "a phone number (&quot;07700 900123&quot;)",
        "an email address (&quot;tom@example.org&quot;)",
        "a postcode (&quot;L1 8JQ&quot;)",
    ):
        assert found in page, found
    assert not CaseStudy.objects.exists()
    # Kept unpublished, it may be saved and worked on.
    data = case_data(story=story)
    del data["published"]
    assert post(c, "/delivery/case-studies/new/", data).status_code == 302
    assert CaseStudy.objects.get().published is False


# -- 6. feedback ---------------------------------------------------------------------------------------------
def test_public_feedback_is_held_then_shown_redacted_to_other_roles(client, client_as):
    said = "The park lights are out, call me 07700 900123 or jane@example.org, L4 0TH"
    assert post(client, "/delivery/feedback/give/", {"text": said, "source": "community"}).status_code == 200
    given = Feedback.objects.get()
    assert not given.approved
    manager = client_as("programme_manager")
    readers = {role: client_as(role) for role in ("viewer", "partner", "analyst")}

    def shown(c):
        return "".join(
            get(c, url).content.decode()
            for url in ("/delivery/feedback/", "/delivery/feedback.csv", "/delivery/feedback.json")
        )

    for role, c in readers.items():
        assert "park lights" not in shown(c), role
    assert "07700 900123" in shown(manager) and "Held for moderation" in shown(manager)
    assert post(readers["viewer"], f"/delivery/feedback/{given.pk}/approve/", {}).status_code == 403
    assert post(manager, f"/delivery/feedback/{given.pk}/approve/", {}).status_code == 302
    given.refresh_from_db()
    assert given.approved and given.approved_by_name == "programme_manager-none"
    for role, c in readers.items():
        text = shown(c)
        assert "The park lights are out, call me [removed] or [removed], [removed]" in text, role
        assert "07700" not in text and "jane@example.org" not in text and "L4 0TH" not in text, role
    rows = json.loads(get(readers["viewer"], "/delivery/feedback.json").content)["results"]
    assert rows[0]["text"] == "The park lights are out, call me [removed] or [removed], [removed]"
    assert "07700 900123" in shown(manager)


def test_the_feedback_form_asks_for_no_name_and_none_is_stored(client):
    page = get(client, "/delivery/feedback/give/").content.decode()
    assert 'name="name"' not in page and "(optional) (optional)" not in page
    post(client, "/delivery/feedback/give/", {"text": "Hi", "source": "community", "name": "Jane Testperson"})
    assert "name" not in {f.name for f in Feedback._meta.get_fields()}
    from django.db import connection

    with connection.cursor() as cursor:
        columns = {
            c.name for c in connection.introspection.get_table_description(cursor, "delivery_feedback")
        }
    assert "name" not in columns


# -- 9, 10. GOV.UK errors and labels -------------------------------------------------------------------------
def test_error_messages_name_their_field(client_as, intervention, orgs, lookups):
    c = client_as("programme_manager")
    response = post(
        c,
        f"/delivery/interventions/{intervention.pk}/edit/",
        {
            "title": "T",
            "priority": lookups["education"].pk,
            "tier": lookups["secondary"].pk,
            "lead_organisation": orgs["charity"].pk,
            "status": "active",
            "start_date": "2022-31-31",
        },
    )
    assert "Enter the start date as a real date, for example 2022-03-31" in response.content.decode()
    risk = post(
        c,
        f"/delivery/interventions/{intervention.pk}/risks/new/",
        {"description": "d", "likelihood": "6", "impact": "0", "owner": "o", "status": "open"},
    ).content.decode()
    assert "Risk likelihood must be 5 or fewer" in risk and "Risk impact must be 1 or more" in risk
    assert "Ensure this value" not in risk


def test_a_wrong_steering_pack_quarter_uses_the_error_pattern(client_as):
    response = post(client_as("programme_manager"), "/delivery/steering/pack/", {"quarter": "2021-Q5"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: Steering group" in page
    assert "govuk-error-summary" in page and '<a href="#id_quarter">' in page
    assert 'id="id_quarter-error"' in page and "govuk-input--error" in page
    assert "govuk-notification-banner" not in page


def test_dates_are_pre_filled_as_the_hint_writes_them(client_as):
    case = CaseStudy.objects.create(title="t", story="s", recorded_on=dt.date(2026, 12, 6))
    page = get(client_as("programme_manager"), f"/delivery/case-studies/{case.pk}/edit/").content.decode()
    assert 'value="2026-12-06"' in page and "06/12/2026" not in page
    assert "For example, 2022-03-31" in page


def test_no_label_says_optional_twice(client_as, intervention):
    page = get(client_as("programme_manager"), f"/delivery/interventions/{intervention.pk}/kpis/new/")
    text = page.content.decode()
    assert "Measure it feeds (optional)" in text and "(optional) (optional)" not in text


# -- 11. the application page --------------------------------------------------------------------------------
def test_the_application_page_names_boroughs_and_says_not_given_once(client_as, approved):
    c = client_as("programme_manager")
    page = get(c, f"/delivery/applications/{approved.pk}/").content.decode()
    assert "Liverpool, Wirral" in page and "E08000012" not in page
    assert "1 September 2021 to 31 July 2022" in page
    approved.planned_start = approved.planned_end = None
    approved.save()
    page = get(c, f"/delivery/applications/{approved.pk}/").content.decode()
    assert "Not given to not given" not in page and ">Not given</dd>" in page


def test_the_api_refuses_an_award_above_the_request_or_over_budget_without_approval(
    client, approved, make_user
):
    from vrhub.web.api.models import ApiToken

    _, key = ApiToken.issue(make_user("programme_manager"), "test token")
    url = f"/api/delivery/applications/{approved.pk}/award"

    def award(body):
        return client.post(
            url,
            json.dumps(body),
            content_type="application/json",
            secure=True,
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )

    above = award({"reason": "r", "amount": "1000000"})
    assert above.status_code == 422
    assert above.json()["detail"] == (
        "The amount awarded (£1,000,000.00) must not be more than the amount requested (£120,000.50)"
    )
    approved.funding_round.budget = Decimal("100000")
    approved.funding_round.save()
    over = award({"reason": "r", "amount": "120000"})
    assert over.status_code == 409 and "over its budget of £100,000.00" in over.json()["detail"]
    assert approved.pk not in public_award_ids(client)
    done = award({"reason": "r", "amount": "120000", "over_budget_approval": "Board, 2 July"})
    assert done.status_code == 200
    approved.refresh_from_db()
    assert approved.over_budget_approval == "Board, 2 July"
