from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from vrhub.web.accounts.audit import record
from vrhub.web.accounts.throttle import whole_address_locked


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(request, "login", user=user)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(request, "logout", user=user)


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    record(request, "login_failed", attempted_username=str(credentials.get("username", ""))[:150])


@receiver(user_locked_out)
def _locked_out(sender: Any, request: Any, username: Any = None, **kwargs: Any) -> None:
    """Each sign-in refused by the lockout, and whether the whole address is locked (password spraying)."""
    record(
        request,
        "login_locked_out",
        attempted_username=str(username or "")[:150],
        whole_address=whole_address_locked(request),
    )
