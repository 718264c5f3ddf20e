"""Access control and audit as the issue states them: role changes are audited, the audit log is readable by
admins and editable by nobody, CSRF is enforced, passwords are validated and sessions expire."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import Client

from vrhub.web.accounts.models import AuditEvent, Organisation, Profile

pytestmark = pytest.mark.django_db


def _change_role_in_admin(
    admin: Client, user: User, role: str, organisation: Organisation | None, superuser: bool = False
) -> None:
    """Post the admin's user change form as a person would fill it in."""
    form = {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
        "initial-date_joined_0": "2026-01-01",
        "initial-date_joined_1": "09:00:00",
        "profile-TOTAL_FORMS": "1",
        "profile-INITIAL_FORMS": "1",
        "profile-MIN_NUM_FORMS": "0",
        "profile-MAX_NUM_FORMS": "1",
        "profile-0-id": str(user.profile.pk),
        "profile-0-user": str(user.pk),
        "profile-0-role": role,
        "profile-0-organisation": str(organisation.pk) if organisation else "",
    }
    if superuser:
        form.update(is_superuser="on", is_staff="on")
    response = admin.post(f"/admin/auth/user/{user.pk}/change/", form, secure=True)
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.mark.slow
def test_a_role_change_in_the_admin_is_audited_with_who_what_and_from_where(make_user) -> None:
    admin = Client()
    admin.force_login(make_user("admin", username="the-admin"))
    person = make_user("viewer", username="someone")
    police = Organisation.objects.create(name="Merseyside Police", kind="police")
    _change_role_in_admin(admin, person, "partner", police)
    assert Profile.objects.get(user=person).role == "partner"
    event = AuditEvent.objects.get(action="role_change")
    assert event.username == "the-admin"
    assert event.object_id == str(person.pk)
    assert event.detail["old_role"] == "viewer" and event.detail["new_role"] == "partner"
    assert event.detail["new_organisation"] == police.pk
    assert event.ip_address == "127.0.0.1"


@pytest.mark.slow
def test_admins_read_the_audit_log_and_nobody_edits_it_in_the_app(make_user) -> None:
    admin = Client()
    admin.force_login(make_user("admin", username="the-admin"))
    event = AuditEvent.objects.create(username="x", action="view_rows", object_type="upload", object_id="1")
    listing = admin.get("/admin/accounts/auditevent/", secure=True)
    assert listing.status_code == 200 and b"view_rows" in listing.content
    assert admin.get("/admin/accounts/auditevent/add/", secure=True).status_code == 403
    assert (
        admin.post(f"/admin/accounts/auditevent/{event.pk}/delete/", {"post": "yes"}, secure=True).status_code
        == 403
    )
    admin.post(f"/admin/accounts/auditevent/{event.pk}/change/", {"action": "edited"}, secure=True)
    assert AuditEvent.objects.get(pk=event.pk).action == "view_rows"

    analyst = Client()
    analyst.force_login(make_user("analyst"))
    assert analyst.get("/admin/accounts/auditevent/", secure=True).status_code == 302  # not staff: to login


def test_a_post_without_the_csrf_token_is_refused(make_user) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("analyst"))
    response = client.post("/accounts/logout/", secure=True, HTTP_REFERER="https://testserver/")
    assert response.status_code == 403


def test_short_common_or_numeric_passwords_are_refused() -> None:
    from django.contrib.auth.password_validation import validate_password

    for weak in ("short1", "password12345", "123456789012345"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("correct-horse-battery-staple")


def test_sessions_expire_after_thirty_idle_minutes_and_with_the_browser(settings, make_user) -> None:
    import datetime as dt

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client = Client()
    client.force_login(make_user("viewer"))
    session = Session.objects.get()
    # Each request pushes the expiry 30 minutes on; 31 idle minutes later the session is gone.
    assert abs((session.expire_date - timezone.now()) - dt.timedelta(minutes=30)) < dt.timedelta(minutes=1)
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - dt.timedelta(minutes=1))
    response = client.get("/dashboard/", secure=True)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST  # idle time, not time since sign-in
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE and settings.SESSION_COOKIE_HTTPONLY


@pytest.mark.slow
def test_sign_in_and_failed_sign_in_are_audited(client, make_user) -> None:
    make_user("viewer", username="someone")
    client.post("/accounts/login/", {"username": "someone", "password": "wrong"}, secure=True)
    client.post(
        "/accounts/login/", {"username": "someone", "password": "a-long-test-password-1"}, secure=True
    )
    actions = list(AuditEvent.objects.order_by("id").values_list("action", "username"))
    assert ("login_failed", "") in actions and ("login", "someone") in actions
    failed = AuditEvent.objects.get(action="login_failed")
    assert failed.detail["attempted_username"] == "someone"


@pytest.mark.slow
def test_the_audit_log_records_the_connecting_address_not_a_claimed_one(client, make_user, settings) -> None:
    make_user("viewer", username="someone")
    client.post(
        "/accounts/login/",
        {"username": "someone", "password": "x"},
        secure=True,
        HTTP_X_FORWARDED_FOR="8.8.8.8",
    )
    assert AuditEvent.objects.get(action="login_failed").ip_address == "127.0.0.1"
    # Behind one proxy of ours, the server sets REMOTE_ADDR to the hop the proxy appended (see
    # test_serve_proxy.py); the application reads that alone, never X-Forwarded-For.
    settings.VRHUB_PROXY_COUNT = 1
    client.post(
        "/accounts/login/",
        {"username": "someone", "password": "y"},
        secure=True,
        HTTP_X_FORWARDED_FOR="8.8.8.8",
        REMOTE_ADDR="203.0.113.9",
    )
    assert AuditEvent.objects.filter(action="login_failed").first().ip_address == "203.0.113.9"


@pytest.mark.slow
def test_granting_superuser_status_in_the_admin_is_an_audited_role_change(make_user) -> None:
    admin = Client()
    admin.force_login(make_user("admin", username="the-admin"))
    person = make_user("viewer", username="someone")
    _change_role_in_admin(admin, person, "viewer", None, superuser=True)
    event = AuditEvent.objects.get(action="role_change")
    assert event.detail["old_is_superuser"] is False and event.detail["new_is_superuser"] is True
    assert event.username == "the-admin" and event.object_id == str(person.pk)
