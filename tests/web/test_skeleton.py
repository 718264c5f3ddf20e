"""The application's frame: settings pass Django's deployment checks, pages answer, headers are set."""

from __future__ import annotations

import pytest
from django.core.management import call_command


def test_deployment_checks_pass_for_the_production_settings(settings) -> None:
    # Production: behind one TLS proxy of ours on this machine, under a public name.
    settings.VRHUB_PROXY_COUNT = 1
    settings.ALLOWED_HOSTS = ["vrhub.example.org"]
    # Raises SystemCheckError on any warning at or above the default level.
    call_command("check", "--deploy", "--fail-level", "WARNING")


@pytest.mark.slow
@pytest.mark.django_db
def test_public_page_answers_without_sign_in_with_security_headers(client, web_data) -> None:
    response = client.get("/", secure=True)
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.django_db
def test_overview_needs_sign_in(client) -> None:
    response = client.get("/dashboard/", secure=True)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/dashboard/")


@pytest.mark.django_db
def test_audit_events_cannot_be_changed_or_deleted(make_user) -> None:
    from vrhub.web.accounts.audit import record
    from vrhub.web.accounts.models import AuditEvent

    event = record(None, "test_action", user=make_user("analyst"), object_type="thing", object_id=1)
    event.action = "edited"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test_action"


@pytest.mark.django_db
@pytest.mark.slow
def test_login_is_throttled_after_five_failures(client, make_user) -> None:
    make_user("viewer", username="someone")
    for _ in range(5):
        client.post("/accounts/login/", {"username": "someone", "password": "wrong"}, secure=True)
    locked = client.post(
        "/accounts/login/", {"username": "someone", "password": "a-long-test-password-1"}, secure=True
    )
    assert locked.status_code == 429
    assert b"Too many failed sign-in attempts" in locked.content


def test_a_port_in_use_is_refused_with_what_to_do() -> None:
    import socket

    from vrhub.errors import VrhubError
    from vrhub.web.serve import check_port

    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        with pytest.raises(VrhubError) as refused:
            check_port("127.0.0.1", port)
    assert f"127.0.0.1:{port}" in refused.value.message and "--port" in refused.value.hint
