# ruff: noqa: F811  (the web fixtures are imported by name, then taken as arguments)
"""The delivery pages as each role meets them: who may read, who may change what (object-level checks
included), the award gates refused by the form, exception reports on the steering page, the .json/.csv
twins, and the public pages showing awards but nothing internal."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest

from tests.web.conftest import client_as, make_user  # noqa: F401  (fixtures)
from vrhub.web.accounts.models import AuditEvent
from vrhub.web.delivery.models import (
    Application,
    ExceptionReport,
    FundingRound,
    Intervention,
    LogicModelElement,
    Milestone,
    Risk,
)

pytestmark = pytest.mark.django_db

ROLES = ["admin", "analyst", "partner", "programme_manager", "viewer"]
READ_PAGES = [
    "/delivery/",
    "/delivery/logic-model/",
    "/delivery/interventions/",
    "/delivery/rounds/",
    "/delivery/applications/",
    "/delivery/steering/",
    "/delivery/exception-reports/",
    "/delivery/updates/",
    "/delivery/case-studies/",
    "/delivery/feedback/",
    "/delivery/panels/",
    "/delivery/training/",
    "/delivery/what-works/",
]
TWINS = [p.rstrip("/") for p in READ_PAGES[1:] if p != "/delivery/steering/"]


@pytest.fixture(autouse=True)
def _no_warehouse(request, monkeypatch):
    """Pages must work before any data is loaded: the figures are unavailable (tests using web_data
    have a warehouse of their own)."""
    if "web_data" in request.fixturenames:
        return
    from vrhub.errors import WarehouseError

    def unavailable(**kwargs):
        raise WarehouseError("no warehouse in this test")

    monkeypatch.setattr("vrhub.web.figures.measures_frame", unavailable)


def get(client, url, **kw):
    return client.get(url, secure=True, **kw)


def post(client, url, data, **kw):
    return client.post(url, data, secure=True, **kw)


@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES)
def test_every_signed_in_role_reads_every_page(client_as, intervention, role):
    c = client_as(role, "Test Youth Charity" if role == "partner" else None)
    for url in [*READ_PAGES, f"/delivery/interventions/{intervention.pk}/"]:
        assert get(c, url).status_code == 200, url


def test_signed_out_people_are_sent_to_sign_in_except_on_public_pages(client, intervention):
    for url in READ_PAGES:
        response = get(client, url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    for url in ["/delivery/public/", "/delivery/public/360giving.json", "/delivery/feedback/give/"]:
        assert get(client, url).status_code == 200, url


@pytest.mark.parametrize(
    ("role", "organisation", "expected"),
    [
        ("programme_manager", None, 200),
        ("admin", None, 200),
        ("partner", "Test Youth Charity", 200),  # the lead organisation
        ("partner", "Test Council", 200),  # a partner organisation
        ("partner", "Merseyside Police", 403),  # neither
        ("analyst", None, 403),
        ("viewer", None, 403),
    ],
)
def test_who_may_edit_an_intervention(client_as, intervention, role, organisation, expected):
    c = client_as(role, organisation)
    assert get(c, f"/delivery/interventions/{intervention.pk}/edit/").status_code == expected
    assert get(c, f"/delivery/interventions/{intervention.pk}/milestones/new/").status_code == expected


@pytest.mark.slow
def test_a_partner_changing_another_organisations_intervention_is_refused_and_audited(
    client_as, intervention
):
    c = client_as("partner", "Merseyside Police")
    response = post(c, f"/delivery/interventions/{intervention.pk}/edit/", {"title": "Hijacked"})
    assert response.status_code == 403
    intervention.refresh_from_db()
    assert intervention.title == "Test intervention"
    assert AuditEvent.objects.filter(action="access_denied", object_id=str(intervention.pk)).exists()
    # Nor may they add to its tracker.
    response = post(
        c, f"/delivery/interventions/{intervention.pk}/risks/new/", {"description": "x", "likelihood": 1}
    )
    assert response.status_code == 403 and not Risk.objects.exists()


def _intervention_form(lookups, lead, **extra):
    data = {
        "title": "Mentors in Knowsley",
        "description": "Mentors for pupils at risk of exclusion.",
        "priority": lookups["education"].pk,
        "tier": lookups["secondary"].pk,
        "lead_organisation": lead.pk,
        "boroughs": ["E08000011"],
        "age_group": "11-16",
        "yef_approach": lookups["mentoring"].pk,
        "start_date": "2021-09-01",
        "end_date": "2022-07-31",
        "budget": "50000",
        "status": "planned",
        "short_term_measures": ["local_permanent_exclusions"],
        "long_term_measures": ["local_sv_offences"],
    }
    return {**data, **extra}


def test_a_programme_manager_creates_an_intervention_and_its_logic_model(client_as, orgs, lookups):
    c = client_as("programme_manager")
    response = post(c, "/delivery/interventions/new/", _intervention_form(lookups, orgs["charity"]))
    assert response.status_code == 302
    made = Intervention.objects.get(title="Mentors in Knowsley")
    assert made.boroughs == ["E08000011"] and made.short_term_measures == ["local_permanent_exclusions"]
    assert AuditEvent.objects.filter(action="delivery.create", object_id=str(made.pk)).exists()

    url = f"/delivery/interventions/{made.pk}/logic-model/new/"
    outcome = post(
        c,
        url,
        {"stage": "short_term", "text": "Fewer exclusions", "measure_id": "local_permanent_exclusions"},
    )
    assert outcome.status_code == 302
    later = LogicModelElement.objects.get(intervention=made, stage="short_term")
    activity = post(c, url, {"stage": "activity", "text": "Weekly mentoring", "leads_to": [later.pk]})
    assert activity.status_code == 302
    box = LogicModelElement.objects.get(intervention=made, stage="activity")
    assert list(box.leads_to.all()) == [later]
    # An arrow pointing backwards is refused, in words.
    wrong = post(c, url, {"stage": "long_term", "text": "Less violence", "leads_to": [later.pk]})
    assert (
        wrong.status_code == 400 and "A box leads only to boxes of a later stage." in wrong.content.decode()
    )

    page = get(c, f"/delivery/interventions/{made.pk}/").content.decode()
    assert "Weekly mentoring" in page and "Fewer exclusions" in page and "Leads to S1" in page
    assert 'href="/measures/local_permanent_exclusions/"' in page


def test_a_partner_leads_only_as_their_own_organisation(client_as, orgs, lookups):
    c = client_as("partner", "Test Council")
    response = post(c, "/delivery/interventions/new/", _intervention_form(lookups, orgs["charity"]))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    ok = post(c, "/delivery/interventions/new/", _intervention_form(lookups, orgs["council"]))
    assert ok.status_code == 302
    assert Intervention.objects.get().lead_organisation == orgs["council"]


def test_form_errors_are_summarised_and_linked_to_their_fields(client_as):
    c = client_as("programme_manager")
    response = post(c, "/delivery/interventions/new/", {"title": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert '<a href="#id_title">Enter the intervention&#x27;s title</a>' in page
    assert 'aria-describedby="id_title-error"' in page


# -- the gates, refused by the form -----
def test_the_award_form_shows_the_missing_gates_and_the_models_refusal(client_as, approved):
    approved.terms_of_reference_agreed = False
    approved.evidence_rationale = ""
    approved.save()
    c = client_as("programme_manager")
    url = f"/delivery/applications/{approved.pk}/award/"
    before = get(c, url).content.decode()
    assert "agreed terms of reference (with the date and who agreed them)" in before
    assert "an evidence rationale" in before

    refused = post(c, url, {"amount": "100000", "why": "Scored highest"})
    page = refused.content.decode()
    assert refused.status_code == 400
    assert (
        "This application cannot be awarded until it has agreed terms of reference (with the date and who "
        "agreed them) and an evidence rationale." in page
    )
    approved.refresh_from_db()
    assert approved.state == "approved" and approved.intervention is None

    gates = post(
        c,
        f"/delivery/applications/{approved.pk}/gates/",
        {
            "sustainability_plan_text": approved.sustainability_plan_text,
            "terms_of_reference_agreed": "on",
            "terms_of_reference_agreed_on": "2021-06-28",
            "terms_of_reference_agreed_by": "VRP director",
            "vawg_review": approved.vawg_review,
            "vawg_reviewed_by": approved.vawg_reviewed_by,
            "vawg_reviewed_on": "2021-06-21",
            "evidence_rationale": "Mentoring: moderate impact.",
        },
    )
    assert gates.status_code == 302
    awarded = post(c, url, {"amount": "100000", "why": "Scored highest"})
    assert awarded.status_code == 302
    approved.refresh_from_db()
    assert approved.state == "awarded" and approved.amount_awarded == Decimal("100000")
    history = get(c, f"/delivery/applications/{approved.pk}/").content.decode()
    assert "Scored highest" in history and "Approved to awarded" in history


def test_a_reason_is_required_to_refuse(client_as, approved):
    c = client_as("programme_manager")
    app = Application.objects.create(
        funding_round=approved.funding_round,
        organisation=approved.organisation,
        title="Second",
        summary="s",
        priority=approved.priority,
        tier=approved.tier,
        amount_requested=Decimal("10"),
    )
    app.submit()
    response = post(c, f"/delivery/applications/{app.pk}/refuse/", {"why": ""})
    assert response.status_code == 400
    assert "Give the reason for the decision to refuse this application." in response.content.decode()
    assert post(c, f"/delivery/applications/{app.pk}/refuse/", {"why": "Out of scope"}).status_code == 302
    app.refresh_from_db()
    assert app.state == "refused"


def test_a_partner_applies_and_submits_but_cannot_see_another_organisations_draft(client_as, orgs, lookups):
    fund = FundingRound.objects.create(
        title="Open call", opens=dt.date(2021, 1, 1), closes=dt.date(2031, 1, 1), budget=1000, published=True
    )
    police = client_as("partner", "Merseyside Police")
    response = post(
        police,
        "/delivery/applications/new/",
        {
            "funding_round": fund.pk,
            "organisation": orgs["charity"].pk,  # not theirs: refused
            "title": "Street teams",
            "summary": "Detached youth work.",
            "priority": lookups["education"].pk,
            "tier": lookups["secondary"].pk,
            "amount_requested": "2000",
        },
    )
    assert response.status_code == 400
    from vrhub.web.accounts.models import Organisation

    own = Organisation.objects.get(name="Merseyside Police")
    response = post(
        police,
        "/delivery/applications/new/",
        {
            "funding_round": fund.pk,
            "organisation": own.pk,
            "title": "Street teams",
            "summary": "Detached youth work.",
            "priority": lookups["education"].pk,
            "tier": lookups["secondary"].pk,
            "amount_requested": "2000",
        },
    )
    assert response.status_code == 302
    app = Application.objects.get(title="Street teams")
    assert post(police, f"/delivery/applications/{app.pk}/submit/", {"why": ""}).status_code == 302
    app.refresh_from_db()
    assert app.state == "submitted"
    # The partner may not assess their own application.
    assert post(police, f"/delivery/applications/{app.pk}/assess/", {"why": "fine"}).status_code == 403
    other = client_as("partner", "Test Council")
    assert get(other, f"/delivery/applications/{app.pk}/").status_code == 404


# -- exception reports -----
def test_an_overdue_milestone_appears_on_the_steering_page_and_closes_when_resolved(client_as, intervention):
    today = dt.date.today()
    Milestone.objects.create(
        intervention=intervention,
        title="Recruit mentors",
        due_date=today - dt.timedelta(days=30),
        tolerance_days=14,
    )
    Milestone.objects.create(  # late, but within its tolerance: no report
        intervention=intervention,
        title="Train mentors",
        due_date=today - dt.timedelta(days=5),
        tolerance_days=14,
    )
    viewer = client_as("viewer")
    page = get(viewer, "/delivery/steering/").content.decode()
    assert "Test intervention: &#x27;Recruit mentors&#x27; is 30 days overdue" in page
    assert "Train mentors" not in page
    assert not ExceptionReport.objects.exists()  # shown as due; a viewer's GET records nothing
    assert post(viewer, "/delivery/exception-reports/raise/", {}).status_code == 403
    manager = client_as("programme_manager")
    assert post(manager, "/delivery/exception-reports/raise/", {}).status_code == 302
    post(manager, "/delivery/exception-reports/raise/", {})
    report = ExceptionReport.objects.get()  # raising twice raised it once

    assert post(viewer, f"/delivery/exception-reports/{report.pk}/", {"decision": "x"}).status_code == 403
    empty = post(manager, f"/delivery/exception-reports/{report.pk}/", {"decision": " "})
    assert empty.status_code == 400
    assert "Record the decision that resolves this exception report" in empty.content.decode()
    done = post(
        manager, f"/delivery/exception-reports/{report.pk}/", {"decision": "New date: end of next month"}
    )
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.status == "resolved" and report.resolution_decision == "New date: end of next month"
    assert report.resolved_by is not None and report.resolved_by_name == report.resolved_by.username
    page = get(viewer, "/delivery/steering/").content.decode()
    assert "Recruit mentors" not in page and "No open exception reports" in page


# -- twins -----
@pytest.mark.parametrize("base", TWINS)
def test_json_and_csv_twins_parse_with_the_same_rows(client_as, intervention, base):
    c = client_as("analyst")
    data = json.loads(get(c, f"{base}.json").content)
    assert data["count"] == len(data["results"])
    text = get(c, f"{base}.csv").content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) - 1 == data["count"]
    if data["results"]:
        assert rows[0] == list(data["results"][0])


def test_the_interventions_twins_follow_the_filters(client_as, intervention, lookups, orgs):
    Intervention.objects.create(
        title="Other",
        priority=lookups["education"],
        tier=lookups["secondary"],
        lead_organisation=orgs["vrp"],
        boroughs=["E08000015"],
    )
    c = client_as("viewer")
    everything = json.loads(get(c, "/delivery/interventions.json").content)
    liverpool = json.loads(get(c, "/delivery/interventions.json?borough=E08000012").content)
    assert everything["count"] == 2
    assert [r["title"] for r in liverpool["results"]] == ["Test intervention"]
    assert liverpool["results"][0]["boroughs"] == ["Liverpool"]


# -- public -----
def test_public_pages_show_awards_and_interventions_but_nothing_internal(client, approved, manager):
    approved.award(manager, "Best scored", amount=Decimal("95000"))
    funded = approved.intervention
    funded.status = "active"
    funded.save()
    Risk.objects.create(
        intervention=funded, description="Mentor turnover is high", likelihood=3, impact=4, owner="x"
    )
    Milestone.objects.create(
        intervention=funded, title="Recruit", due_date=dt.date(2021, 1, 1), tolerance_days=1
    )
    from vrhub.web.delivery.tracking import raise_exceptions

    assert raise_exceptions(dt.date(2022, 1, 1))
    page = get(client, "/delivery/public/").content.decode()
    assert "Mentoring in schools" in page and "£95,000" in page
    detail = get(client, f"/delivery/public/interventions/{funded.pk}/").content.decode()
    for text in (page, detail):
        assert "Mentor turnover is high" not in text
        assert "overdue" not in text and "Exception" not in text
        assert "VAWG" not in text and "terms of reference" not in text.lower()
    awards = json.loads(get(client, "/delivery/public/awards.json").content)
    assert awards["results"][0]["amount_awarded"] == "95000.00"
    assert set(awards["results"][0]) == {
        "id",
        "title",
        "organisation",
        "funding_round",
        "amount_awarded",
        "awarded_on",
        "priority",
        "tier",
        "boroughs",
        "intervention_id",
    }
    grants = json.loads(get(client, "/delivery/public/360giving.json").content)
    assert [g["amountAwarded"] for g in grants["grants"]] == [95000]
    header = next(csv.reader(io.StringIO(get(client, "/delivery/public/360giving.csv").content.decode())))
    assert "Amount Awarded" in header
    # A planned intervention is not public yet.
    planned = Intervention.objects.create(
        title="Secret plan",
        priority=funded.priority,
        tier=funded.tier,
        lead_organisation=funded.lead_organisation,
    )
    assert get(client, f"/delivery/public/interventions/{planned.pk}/").status_code == 404


def test_the_csv_downloads_quote_what_a_partner_typed(client, client_as, approved, manager, orgs):
    approved.title = '=HYPERLINK("http://evil","x")'
    approved.summary = "@SUM(1)"
    approved.save()
    approved.award(manager, "Best scored", amount=Decimal("95000"))
    funded = approved.intervention
    funded.title = "-2+3"
    funded.status = "active"
    funded.save()
    orgs["council"].name = "\t=1"
    orgs["council"].save()
    funded.partner_organisations.set([orgs["council"]])

    def table(c, url):
        return list(csv.DictReader(io.StringIO(get(c, url).content.decode())))

    [award] = table(client, "/delivery/public/awards.csv")
    assert award["title"] == '\'=HYPERLINK("http://evil","x")' and award["amount_awarded"] == "95000.00"
    [grant] = table(client, "/delivery/public/360giving.csv")
    assert grant["Title"] == '\'=HYPERLINK("http://evil","x")' and grant["Description"] == "'@SUM(1)"
    assert grant["Amount Awarded"] == "95000"
    [public] = table(client, "/delivery/public/interventions.csv")
    assert public["title"] == "'-2+3"
    rows = {r["id"]: r for r in table(client_as("analyst"), "/delivery/interventions.csv")}
    assert rows[str(funded.pk)]["title"] == "'-2+3"
    assert rows[str(funded.pk)]["partner_organisations"] == "'\t=1"
    # The JSON twins are data: exactly what was typed.
    assert json.loads(get(client, "/delivery/public/awards.json").content)["results"][0]["title"] == (
        '=HYPERLINK("http://evil","x")'
    )


def test_anyone_may_give_feedback_anonymously(client):
    response = post(
        client, "/delivery/feedback/give/", {"text": "More youth clubs, please", "source": "young_person"}
    )
    assert response.status_code == 200 and "Thank you" in response.content.decode()
    from vrhub.web.delivery.models import Feedback

    given = Feedback.objects.get()
    assert given.text == "More youth clubs, please" and not given.approved
    missing = post(client, "/delivery/feedback/give/", {"text": ""})
    assert missing.status_code == 400 and "Enter your feedback" in missing.content.decode()


def test_quarterly_update_once_per_partner_per_quarter(client_as, intervention):
    c = client_as("partner", "Test Council")
    url = f"/delivery/interventions/{intervention.pk}/updates/new/"
    data = {
        "organisation": intervention.partner_organisations.get().pk,
        "quarter": "2021-Q4",
        "narrative": "On track",
        "spend_to_date": "100",
    }
    assert post(c, url, data).status_code == 302
    again = post(c, url, data)
    assert (
        again.status_code == 400
        and "Test Council has already sent its update for 2021-Q4" in again.content.decode()
    )
    # Only their own organisation is offered.
    outsider = client_as("partner", "Merseyside Police")
    assert get(outsider, url).status_code == 403


@pytest.mark.slow
def test_an_awarded_applications_gate_records_and_plan_stay_with_its_organisation(
    client_as, approved, manager, orgs
):
    from django.core.files.base import ContentFile

    approved.sustainability_plan.save("plan.txt", ContentFile(b"the plan"), save=True)
    approved.award(by=manager, why="Scored highest")
    url = f"/delivery/applications/{approved.pk}/"
    review = "Reviewed for gender-based violence themes."
    for reader in (client_as("viewer"), client_as("partner", "Merseyside Police")):
        page = get(reader, url)
        assert page.status_code == 200 and review not in page.content.decode()
        assert get(reader, url + "plan/").status_code == 404
    assert AuditEvent.objects.filter(action="access_denied", detail__view="plan").count() == 2
    for insider in (client_as("partner", orgs["charity"].name), client_as("analyst")):
        assert review in get(insider, url).content.decode()
        assert get(insider, url + "plan/").status_code == 200


def test_changes_made_in_the_admin_are_audited_and_reports_cannot_be_closed_there(client_as, intervention):
    admin = client_as("admin")
    response = admin.post(
        "/admin/delivery/risk/add/",
        {
            "intervention": intervention.pk,
            "description": "Mentors leave mid-year",
            "likelihood": "3",
            "impact": "4",
            "owner": "Lead",
            "mitigation": "Bank of reserve mentors",
            "status": "open",
        },
        secure=True,
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    risk = Risk.objects.get(description="Mentors leave mid-year")
    assert AuditEvent.objects.filter(action="delivery.create", object_id=str(risk.pk)).exists()
    admin.post(f"/admin/delivery/risk/{risk.pk}/delete/", {"post": "yes"}, secure=True)
    assert not Risk.objects.filter(pk=risk.pk).exists()
    assert AuditEvent.objects.filter(action="delivery.delete", object_id=str(risk.pk)).exists()

    from vrhub.web.delivery.admin import ExceptionReportAdmin

    assert {"status", "resolution_decision"} <= set(ExceptionReportAdmin.readonly_fields)


def test_a_case_studys_story_is_withheld_from_readers_until_consented_and_anonymised(client_as):
    from vrhub.web.delivery.models import CaseStudy

    case = CaseStudy.objects.create(title="A mentee's year", story="Named details of a young person.")
    viewer, manager = client_as("viewer"), client_as("programme_manager")
    for url in (
        f"/delivery/case-studies/{case.pk}/",
        "/delivery/case-studies.json",
        "/delivery/case-studies.csv",
    ):
        assert "Named details" not in get(viewer, url).content.decode(), url
        assert "Named details" in get(manager, url).content.decode(), url
    case.consent_recorded, case.consent_date, case.anonymised = True, dt.date(2021, 11, 1), True
    case.save()
    assert "Named details" in get(viewer, f"/delivery/case-studies/{case.pk}/").content.decode()


def test_an_outcomes_figure_is_its_latest_full_period_with_the_trend(monkeypatch):
    import pandas as pd

    from vrhub.measures import MeasureResult, load_catalogue
    from vrhub.web.delivery.views import logic

    frame = pd.DataFrame(
        {
            "measure_id": ["local_sv_offences"] * 4,
            "period": ["2019", "2020", "2021", "2022"],
            "area_code": ["E23000004"] * 4,
            "breakdown": [""] * 4,
            "value": [100, 90, 80, 10],
            "unit": ["offences"] * 4,
            "change_vs_previous_pct": [None, -10.0, -11.1, -87.5],
            "p_value": [None, 0.5, 0.5, 0.0001],
        }
    )
    monkeypatch.setattr("vrhub.web.figures.measures_frame", lambda **kw: frame)
    # 2022 has one month of data so far: its fall is not real and must not be the figure.
    monkeypatch.setattr(
        "vrhub.web.figures.measures", lambda **kw: MeasureResult(None, {"police_records": {"2022": 1}})
    )
    monkeypatch.setattr("vrhub.web.figures.catalogue", load_catalogue)
    got = logic.measure_figures({"local_sv_offences"})["local_sv_offences"]
    assert (got["period"], got["value"], got["change_vs_previous_pct"]) == ("2021", 80, -11.1)
    assert got["trend"] == [("2019", 100), ("2020", 90), ("2021", 80)]


def test_a_sustainability_plan_must_be_a_document_of_sensible_size(approved):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from vrhub.web.delivery.forms import GatesForm

    def form_with(upload):
        data = {
            "sustainability_plan_text": "",
            "terms_of_reference_agreed": "on",
            "terms_of_reference_agreed_on": "2021-06-28",
            "terms_of_reference_agreed_by": "VRP director",
            "vawg_review": "Reviewed.",
            "vawg_reviewed_by": "VAWG lead",
            "vawg_reviewed_on": "2021-06-21",
            "evidence_rationale": "Mentoring.",
        }
        return GatesForm(data, {"sustainability_plan": upload}, instance=approved)

    refused = form_with(SimpleUploadedFile("plan.exe", b"MZ", content_type="application/octet-stream"))
    assert not refused.is_valid() and "must be a document" in str(refused.errors)
    accepted = form_with(SimpleUploadedFile("plan.pdf", b"%PDF-1.4", content_type="application/pdf"))
    assert "sustainability_plan" not in accepted.errors
