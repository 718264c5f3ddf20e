"""Every refused visit to a page limited by role is in the audit log (`access_denied`), once: a role
outside the page's (the linkage page, delivery's editors' pages), a 403 the page raises itself (a partner
with no organisation), and the API's role-limited endpoints; a page that writes its own, more exact,
refusal (the cohort members page) is not written twice."""

from __future__ import annotations

import pytest

from vrhub.web.accounts.models import AuditEvent

pytestmark = pytest.mark.django_db


def _refusals() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="access_denied").order_by("id"))


@pytest.mark.parametrize("role", ["viewer", "partner", "programme_manager"])
def test_a_refused_visit_to_the_linkage_page_is_audited(client_as, role: str) -> None:
    organisation = "Merseyside Police" if role == "partner" else None
    response = client_as(role, organisation).get("/linkage/", secure=True)
    assert response.status_code == 403
    (event,) = _refusals()
    expected_user = f"{role}-{'merseyside-police' if organisation else 'none'}"
    assert event.username == expected_user and event.user is not None
    assert (event.object_type, event.object_id, event.path) == ("page", "cohorts:linkage", "/linkage/")
    assert event.detail["view"] == "linkage" and event.detail["role"] == role
    assert event.ip_address == "127.0.0.1"


def test_an_allowed_visit_writes_no_refusal(client_as) -> None:
    assert client_as("admin").get("/delivery/interventions/new/", secure=True).status_code == 200
    assert _refusals() == []


def test_a_role_outside_a_delivery_page_is_refused_and_audited(client_as) -> None:
    response = client_as("viewer").get("/delivery/interventions/new/", secure=True)
    assert response.status_code == 403
    (event,) = _refusals()
    assert event.username == "viewer-none" and event.object_id == "delivery:intervention_new"
    assert event.detail["view"] == "intervention_new" and event.detail["role"] == "viewer"


@pytest.mark.parametrize("url", ["/delivery/interventions/new/", "/uploads/", "/uploads/new/"])
def test_a_refusal_the_page_raises_itself_is_audited_with_its_reason(client_as, url: str) -> None:
    # A partner's role may use these pages, but only for an organisation, and this partner has none.
    response = client_as("partner").get(url, secure=True)
    assert response.status_code == 403
    (event,) = _refusals()
    assert event.username == "partner-none" and event.detail["role"] == "partner"
    assert "organisation" in event.detail["reason"]


def test_the_members_page_refusal_is_written_once_with_the_cohort(client_as) -> None:
    assert client_as("viewer").get("/cohorts/participants:Pilot/members/", secure=True).status_code == 403
    (event,) = _refusals()
    assert (event.object_type, event.object_id) == ("cohort", "participants:Pilot")
    assert event.detail["view"] == "cohort_members" and event.detail["role"] == "viewer"


def test_the_apis_role_limited_endpoints_audit_their_refusals(token_for) -> None:
    from tests.web.conftest import bearer

    _, key = token_for("viewer")
    api = bearer(key)
    assert api.get("/api/loads", secure=True).status_code == 403
    assert api.post("/api/uploads", {"source": "police-records"}, secure=True).status_code == 403
    events = _refusals()
    assert [(e.object_type, e.object_id, e.username) for e in events] == [
        ("api", "list_loads", "viewer-none"),
        ("api", "uploads", "viewer-none"),
    ]
    assert {e.detail["role"] for e in events} == {"viewer"}
