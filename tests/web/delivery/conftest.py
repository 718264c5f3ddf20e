"""Delivery fixtures: organisations, a programme manager, and an application one step from its award."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest


@pytest.fixture
def orgs(db: None) -> dict[str, Any]:
    from vrhub.web.accounts.models import Organisation

    return {
        "vrp": Organisation.objects.create(name="Merseyside Violence Reduction Partnership", kind="vrp"),
        "charity": Organisation.objects.create(name="Test Youth Charity", kind="vcs"),
        "council": Organisation.objects.create(name="Test Council", kind="council"),
    }


@pytest.fixture
def manager(db: None) -> Any:
    from django.contrib.auth.models import User

    return User.objects.create_user("pm", password="a-long-test-password-1")


@pytest.fixture
def lookups(db: None) -> dict[str, Any]:
    from vrhub.web.delivery.models import PreventionTier, StrategicPriority, YefApproach

    return {
        "education": StrategicPriority.objects.get(slug="education"),
        "secondary": PreventionTier.objects.get(slug="secondary"),
        "mentoring": YefApproach.objects.get(name="Mentoring"),
    }


def meet_gates(app: Any) -> None:
    app.sustainability_plan_text = "Co-funded by the council from year two."
    app.terms_of_reference_agreed = True
    app.terms_of_reference_agreed_on = dt.date(2021, 6, 28)
    app.terms_of_reference_agreed_by = "VRP director"
    app.vawg_review = "Reviewed for gender-based violence themes."
    app.vawg_reviewed_by = "VAWG lead"
    app.vawg_reviewed_on = dt.date(2021, 6, 21)
    app.evidence_rationale = "Mentoring: moderate impact in the YEF Toolkit."


@pytest.fixture
def approved(orgs: dict, lookups: dict, manager: Any) -> Any:
    """An approved application with every gate met."""
    from vrhub.web.delivery.models import Application, FundingRound

    fund = FundingRound.objects.create(
        title="Test fund",
        opens=dt.date(2021, 4, 1),
        closes=dt.date(2021, 5, 31),
        budget=Decimal("500000"),
        published=True,
    )
    app = Application.objects.create(
        funding_round=fund,
        organisation=orgs["charity"],
        title="Mentoring in schools",
        summary="Mentors.",
        priority=lookups["education"],
        tier=lookups["secondary"],
        boroughs=["E08000012", "E08000015"],
        yef_approach=lookups["mentoring"],
        amount_requested=Decimal("120000.50"),
        planned_start=dt.date(2021, 9, 1),
        planned_end=dt.date(2022, 7, 31),
    )
    meet_gates(app)
    app.save()
    app.submit(manager, "in time")
    app.assess(manager, "scored")
    app.approve(manager, "recommended")
    return app


@pytest.fixture
def intervention(orgs: dict, lookups: dict) -> Any:
    from vrhub.web.delivery.models import Intervention

    i = Intervention.objects.create(
        title="Test intervention",
        priority=lookups["education"],
        tier=lookups["secondary"],
        lead_organisation=orgs["charity"],
        boroughs=["E08000012"],
        start_date=dt.date(2021, 4, 1),
        end_date=dt.date(2022, 3, 31),
        budget=Decimal("100000"),
        status="active",
    )
    i.partner_organisations.set([orgs["council"]])
    return i
