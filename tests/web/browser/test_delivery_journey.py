"""Delivery as people use it, in a real browser against `vrhub serve`: a programme manager sets up an
intervention with its logic model and a funding round; a partner (Merseyside Police) applies; the award is
refused until the gates are recorded, then made; an overdue milestone is due on the steering group page,
where the manager raises its report.
axe-core finds no serious or critical problem on the delivery home, an intervention and the steering page."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.web.browser.conftest import axe_violations, screenshot, sign_in

pytestmark = pytest.mark.browser


def _no_serious_violations(page, where: str) -> None:
    found = axe_violations(page)
    assert not found, f"{where}: " + "; ".join(f"{v['id']}: {v['help']}" for v in found)


def test_delivery_journey(server, browser, page) -> None:
    today = dt.date.today()
    # -- the programme manager: an intervention with a logic model and an overdue milestone ------------
    sign_in(page, server, "manager")
    page.goto(server.url + "/delivery/")
    _no_serious_violations(page, "delivery home")
    page.get_by_role("link", name="Add an intervention", exact=True).click()
    page.fill("#id_title", "Street mentors in Liverpool")
    page.fill("#id_description", "Detached youth workers mentoring young people in hot spot areas.")
    page.select_option("#id_priority", label="Preventing Offending")
    page.select_option("#id_tier", label="Secondary")
    page.select_option("#id_lead_organisation", label="Merseyside Violence Reduction Partnership")
    page.get_by_label("Merseyside Police", exact=True).check()
    page.get_by_label("Liverpool", exact=True).check()
    page.select_option("#id_yef_approach", label="Mentoring")
    page.fill("#id_start_date", (today - dt.timedelta(days=120)).isoformat())
    page.fill("#id_end_date", (today + dt.timedelta(days=240)).isoformat())
    page.fill("#id_budget", "75000")
    page.select_option("#id_status", label="Active")
    page.get_by_role("button", name="Add the intervention").click()
    page.wait_for_url(re.compile(r".*/delivery/interventions/\d+/$"))
    detail_url = page.url

    page.get_by_role("link", name="Set out or change the logic model").click()
    for stage, text, measure in [
        ("Activities", "Weekly mentoring sessions", None),
        ("Outputs", "Young people mentored", None),
        ("Short-term outcomes", "Fewer young people drawn into violence", "local_sv_offences"),
    ]:
        page.get_by_role("button", name="Add a box", exact=True).click()
        page.get_by_label(stage, exact=True).check()
        page.fill("#id_text", text)
        if measure:
            page.select_option("#id_measure_id", value=measure)
        page.get_by_role("button", name="Add the box").click()
        page.wait_for_url(re.compile(r".*/logic-model/$"))
        assert text in page.content()

    page.goto(detail_url)
    page.get_by_role("button", name="Add a milestone", exact=True).click()
    page.fill("#id_title", "Recruit six mentors")
    page.fill("#id_due_date", (today - dt.timedelta(days=40)).isoformat())
    page.fill("#id_tolerance_days", "14")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(re.compile(r".*/delivery/interventions/\d+/#milestones$"))
    assert "Recruit six mentors" in page.content()
    assert "Weekly mentoring sessions" in page.content()
    screenshot(page, "delivery-intervention")
    _no_serious_violations(page, "intervention detail")

    # -- a funding round, opened by the manager ---------------------------------------------------------
    page.goto(server.url + "/delivery/rounds/")
    page.get_by_role("button", name="Add a funding round", exact=True).click()
    page.fill("#id_title", "Community Safety Fund")
    page.fill("#id_opens", (today - dt.timedelta(days=10)).isoformat())
    page.fill("#id_closes", (today + dt.timedelta(days=50)).isoformat())
    page.fill("#id_budget", "200000")
    page.get_by_label("Published as an open call").check()
    page.get_by_role("button", name="Add the round").click()
    page.wait_for_url(re.compile(r".*/delivery/rounds/\d+/$"))
    round_url = page.url

    # -- the partner applies and submits ----------------------------------------------------------------
    partner_context = browser.new_context(viewport={"width": 1280, "height": 900})
    police = partner_context.new_page()
    police.set_default_timeout(30_000)
    sign_in(police, server, "police")
    police.goto(round_url)
    police.get_by_role("button", name="Apply to this round", exact=True).click()
    police.fill("#id_title", "Knife crime diversion")
    police.fill("#id_summary", "Diverting young people found with knives into mentoring.")
    police.select_option("#id_priority", label="Preventing Offending")
    police.select_option("#id_tier", label="Tertiary")
    police.get_by_label("Knowsley", exact=True).check()
    police.fill("#id_amount_requested", "40000")
    police.get_by_role("button", name="Save as a draft").click()
    police.wait_for_url(re.compile(r".*/delivery/applications/\d+/$"))
    application_url = police.url
    police.get_by_role("button", name="Submit", exact=True).click()  # the link to the decision page
    police.wait_for_url(re.compile(r".*/submit/$"))
    police.get_by_role("button", name="Submit", exact=True).click()
    police.wait_for_url(application_url)
    assert "Submitted" in police.content()
    partner_context.close()

    # -- the manager assesses, approves; the award is refused until the gates are met -------------------
    page.goto(application_url)
    page.get_by_role("button", name="Record assessment", exact=True).click()
    page.fill("#id_why", "Scored 78 of 100")
    page.get_by_role("button", name="Record the assessment", exact=True).click()
    page.wait_for_url(application_url)
    page.get_by_role("button", name="Approve", exact=True).click()
    page.fill("#id_why", "Recommended by the panel")
    page.get_by_role("button", name="Approve", exact=True).click()
    page.wait_for_url(application_url)
    page.get_by_role("button", name="Award", exact=True).click()
    page.fill("#id_why", "Within budget")
    page.get_by_role("button", name="Award", exact=True).click()
    summary = page.locator(".govuk-error-summary")
    assert "This application cannot be awarded until it has a sustainability plan" in summary.inner_text()
    assert "agreed terms of reference" in page.content()
    screenshot(page, "delivery-award-refused")

    page.get_by_role("link", name="Record the award gates").first.click()
    page.fill(
        "#id_sustainability_plan_text", "Merseyside Police continue the diversion scheme from year two."
    )
    page.get_by_label("Terms of reference are agreed").check()
    page.fill("#id_terms_of_reference_agreed_on", today.isoformat())
    page.fill("#id_terms_of_reference_agreed_by", "VRP director")
    page.fill("#id_vawg_review", "Reviewed for VAWG and domestic abuse themes: referral route agreed.")
    page.fill("#id_vawg_reviewed_by", "VAWG lead")
    page.fill("#id_vawg_reviewed_on", today.isoformat())
    page.fill("#id_evidence_rationale", "Pre-court diversion: moderate impact in the YEF Toolkit.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(application_url)
    assert "Every award gate is met" in page.content()
    page.get_by_role("button", name="Award", exact=True).click()
    page.fill("#id_why", "Within budget; gates met")
    page.get_by_role("button", name="Award", exact=True).click()
    page.wait_for_url(application_url)
    assert "Awarded" in page.content() and "£40,000.00" in page.content()
    assert "Within budget; gates met" in page.content()

    # -- the steering group page shows the overdue milestone's report as due; the manager raises it ------
    page.goto(server.url + "/delivery/steering/")
    assert "1 exception report due, not yet raised" in page.content()
    page.get_by_role("button", name="Raise the exception report", exact=True).click()
    page.wait_for_url(re.compile(r".*/delivery/steering/#exceptions$"))
    reports = page.locator("#exceptions + .vrhub-table-scroll table")
    assert "Street mentors in Liverpool: 'Recruit six mentors' is 40 days overdue" in reports.inner_text()
    screenshot(page, "delivery-steering")
    _no_serious_violations(page, "steering group page")
