"""The award gates, enforced by the model: each missing item named; a complete award records its decision."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from vrhub.web.accounts.models import AuditEvent
from vrhub.web.delivery.models import Application, Decision, GateNotMet, Intervention, TransitionRefused

pytestmark = pytest.mark.django_db

# (what the test removes, the words the refusal must contain)
GATES = [
    ({"sustainability_plan_text": ""}, "a sustainability plan"),
    ({"terms_of_reference_agreed": False}, "agreed terms of reference"),
    ({"terms_of_reference_agreed_by": ""}, "agreed terms of reference"),
    ({"vawg_review": ""}, "VAWG and domestic abuse themes review"),
    ({"vawg_reviewed_on": None}, "VAWG and domestic abuse themes review"),
    ({"evidence_rationale": "  "}, "an evidence rationale"),
]


@pytest.mark.parametrize(("unset", "named"), GATES)
def test_award_refused_while_a_gate_is_unmet(approved, manager, unset, named):
    for field, value in unset.items():
        setattr(approved, field, value)
    approved.save()
    assert len(approved.award_gaps()) == 1 and named in approved.award_gaps()[0]
    with pytest.raises(GateNotMet) as refused:
        approved.award(manager, "go")
    assert refused.value.missing == approved.award_gaps()
    assert named in refused.value.messages[0]
    assert refused.value.messages[0].startswith("This application cannot be awarded until it has ")
    approved.refresh_from_db()
    assert approved.state == "approved"
    assert not Decision.objects.filter(application=approved, to_state="awarded").exists()
    assert Intervention.objects.count() == 0


def test_every_missing_gate_listed_in_one_sentence(approved, manager):
    approved.sustainability_plan_text = ""
    approved.evidence_rationale = ""
    approved.save()
    with pytest.raises(GateNotMet) as refused:
        approved.award(manager, "go")
    assert str(refused.value.messages[0]) == (
        "This application cannot be awarded until it has a sustainability plan and an evidence rationale."
    )


def test_an_attached_plan_file_meets_the_sustainability_gate(approved, manager, settings, tmp_path):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    approved.sustainability_plan_text = ""
    approved.sustainability_plan.save("plan.pdf", ContentFile(b"%PDF-1.4 plan"), save=True)
    assert approved.award_gaps() == []


def test_award_with_every_gate_met_records_decision_and_creates_intervention(approved, manager):
    approved.award(manager, "steering group agreed", amount=Decimal("100000"), on=dt.date(2021, 7, 5))
    approved.refresh_from_db()
    assert approved.state == "awarded"
    assert approved.amount_awarded == Decimal("100000")
    decision = approved.decisions.get(to_state="awarded")
    assert (decision.from_state, decision.by, decision.why) == ("approved", manager, "steering group agreed")
    assert [d.to_state for d in approved.decisions.all()] == ["submitted", "assessed", "approved", "awarded"]
    made = approved.intervention
    assert (made.title, made.budget, made.boroughs) == (
        "Mentoring in schools",
        Decimal("100000"),
        approved.boroughs,
    )
    assert made.lead_organisation == approved.organisation
    assert AuditEvent.objects.filter(action="delivery.award", object_id=str(approved.pk)).count() == 1


def test_saving_awarded_state_directly_is_refused_without_the_gates(approved):
    approved.terms_of_reference_agreed = False
    approved.state = "awarded"  # bypassing award(): save() still checks the gates
    with pytest.raises(GateNotMet):
        approved.save()


def test_wrong_state_and_missing_reason_are_refused_in_words(approved, manager):
    with pytest.raises(TransitionRefused, match="approved cannot be given 'Submit'"):
        approved.submit(manager)
    with pytest.raises(TransitionRefused, match="Give the reason"):
        approved.award(manager, "")
    assert approved.available_actions() == [("award", "Award")]


def test_refuse_from_submitted_and_from_assessed_only(approved, manager, orgs, lookups):
    app = Application.objects.create(
        funding_round=approved.funding_round,
        organisation=orgs["council"],
        title="x",
        summary="y",
        priority=lookups["education"],
        tier=lookups["secondary"],
        amount_requested=Decimal(1),
    )
    with pytest.raises(TransitionRefused):
        app.refuse(manager, "no")  # draft
    app.submit(manager)
    app.refuse(manager, "no evidence")
    assert app.state == "refused"
    with pytest.raises(TransitionRefused):
        approved.refuse(manager, "too late")  # approved
