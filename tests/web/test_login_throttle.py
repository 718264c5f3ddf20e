"""Login throttling: five failures lock a user name at one address, and password spraying (one password tried
across many user names from one address) locks that address for every user name, but no other address."""

from __future__ import annotations

import pytest
from django.test import Client

from vrhub.web.accounts.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password-1"  # make_user's
SPRAYER, OFFICE = "203.0.113.7", "198.51.100.20"


@pytest.fixture(autouse=True)
def _fast_hashing(settings) -> None:
    """Each sign-in hashes a password; the production hasher's cost is not what these tests are about."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def sign_in(username: str, password: str, address: str) -> int:
    """The status of one sign-in from `address`: 302 signed in, 200 wrong password, 429 locked out."""
    response = Client().post(
        "/accounts/login/", {"username": username, "password": password}, secure=True, REMOTE_ADDR=address
    )
    return response.status_code


def test_one_password_across_six_user_names_locks_that_address_only(make_user) -> None:
    make_user("partner", "Merseyside Police", username="alice")
    names = ["bob", "carol", "dave", "erin", "frank", "grace"]
    statuses = [sign_in(name, "Summer2024!", SPRAYER) for name in names]
    # The fifth user name to fail locks the address, so the fifth attempt is already refused.
    assert statuses == [200, 200, 200, 200, 429, 429]
    # Alice's correct password is refused from there too, until the cool-off passes...
    assert sign_in("alice", PASSWORD, SPRAYER) == 429
    # ...while from another address she signs in.
    assert sign_in("alice", PASSWORD, OFFICE) == 302
    locked = AuditEvent.objects.filter(action="login_locked_out", ip_address=SPRAYER)
    assert locked.exists() and all(event.detail["whole_address"] for event in locked)


def test_many_failures_across_few_user_names_also_lock_the_address(make_user, settings) -> None:
    settings.VRHUB_LOGIN_ADDRESS_FAILURES = 8
    make_user("partner", "Merseyside Police", username="alice")
    # Two user names, four wrong passwords each: no user name reaches five, but the address reaches eight.
    statuses = [sign_in(name, "wrong", SPRAYER) for name in ("bob", "carol") for _ in range(4)]
    assert statuses == [200] * 7 + [429]
    assert sign_in("alice", PASSWORD, SPRAYER) == 429
    assert sign_in("alice", PASSWORD, OFFICE) == 302


def test_five_failures_of_one_user_name_still_lock_only_that_user_name_at_that_address(make_user) -> None:
    make_user("partner", "Merseyside Police", username="alice")
    make_user("partner", "Merseyside Police", username="bob")
    assert [sign_in("alice", "wrong", OFFICE) for _ in range(5)] == [200, 200, 200, 200, 429]
    assert sign_in("alice", PASSWORD, OFFICE) == 429
    # One person's mistakes do not lock out colleagues behind the same address, nor the person elsewhere.
    assert sign_in("bob", PASSWORD, OFFICE) == 302
    assert sign_in("alice", PASSWORD, SPRAYER) == 302
    locked = AuditEvent.objects.filter(action="login_locked_out", ip_address=OFFICE)
    assert locked.exists() and not any(event.detail["whole_address"] for event in locked)


def test_the_address_thresholds_never_go_below_the_per_user_name_limit(settings) -> None:
    from vrhub.web.accounts.throttle import thresholds

    settings.VRHUB_LOGIN_ADDRESS_USERNAMES, settings.VRHUB_LOGIN_ADDRESS_FAILURES = 2, 3
    assert thresholds() == (5, 5)
    settings.VRHUB_LOGIN_ADDRESS_USERNAMES, settings.VRHUB_LOGIN_ADDRESS_FAILURES = 8, 30
    assert thresholds() == (8, 30)
