"""Login throttling: django-axes' lockout parameters, chosen per attempt (AXES_LOCKOUT_PARAMETERS names
lockout_parameters below).

Axes counts failures for each set of parameters and locks when any set reaches AXES_FAILURE_LIMIT (5):
- always the user name and address together: five failures for one user name from one address lock that
  user name there, and nobody else;
- and the address alone once it looks like password spraying, one password tried across many user names:
  when failures from the address in the cool-off window span VRHUB_LOGIN_ADDRESS_USERNAMES user names, or
  add up to VRHUB_LOGIN_ADDRESS_FAILURES. Then every user name is locked from that address until the
  cool-off passes, including correct passwords; other addresses are not affected.
The address is not locked outright after five failures, as a single set ["ip_address"] would, because many
people share one address behind an organisation's gateway (a police force or NHS trust), and five mistyped
passwords among them would lock them all out.
"""

from __future__ import annotations

from typing import Any

from axes.helpers import get_client_ip_address, get_cool_off
from axes.models import AccessAttempt, AccessBase
from django.conf import settings
from django.db.models import Count, Sum
from django.utils import timezone

PER_USER_NAME: list[str | list[str]] = [["username", "ip_address"]]
WHOLE_ADDRESS: list[str | list[str]] = [["username", "ip_address"], "ip_address"]


def thresholds() -> tuple[int, int]:
    """(user names, failures) from one address that lock it. Never below AXES_FAILURE_LIMIT: the address
    set is only switched on once its count already locks, so a sign-in that succeeds meanwhile (which
    resets the sets it matches) cannot wipe another user name's failures."""
    limit = int(settings.AXES_FAILURE_LIMIT)
    return (
        max(settings.VRHUB_LOGIN_ADDRESS_USERNAMES, limit),
        max(settings.VRHUB_LOGIN_ADDRESS_FAILURES, limit),
    )


def lockout_parameters(request_or_attempt: Any, credentials: dict | None = None) -> list[str | list[str]]:
    if isinstance(request_or_attempt, AccessBase):
        address = request_or_attempt.ip_address
        at = None
    else:
        address = getattr(request_or_attempt, "axes_ip_address", None) or get_client_ip_address(
            request_or_attempt
        )
        at = getattr(request_or_attempt, "axes_attempt_time", None)
    if not address:
        return PER_USER_NAME
    attempts = AccessAttempt.objects.filter(ip_address=address)
    cool_off = get_cool_off(request_or_attempt)
    if cool_off is not None:  # otherwise failures count until an administrator resets them
        attempts = attempts.filter(attempt_time__gte=(at or timezone.now()) - cool_off)
    seen = attempts.aggregate(names=Count("username", distinct=True), failures=Sum("failures_since_start"))
    names, failures = thresholds()
    if seen["names"] >= names or (seen["failures"] or 0) >= failures:
        return WHOLE_ADDRESS
    return PER_USER_NAME


def whole_address_locked(request: Any) -> bool:
    """Whether this request's address is locked for every user name (for the lockout page's wording)."""
    return lockout_parameters(request) == WHOLE_ADDRESS
