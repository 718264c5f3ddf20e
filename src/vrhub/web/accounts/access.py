"""What each role may see. Every view and API endpoint asks here; nothing decides access on its own.

- admin, analyst: everything
- partner: all aggregates; record-level rows, uploads and quarantine of their own organisation only
- programme manager: aggregates and delivery
- viewer: aggregates only
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from vrhub.web.accounts.models import Organisation, Role

RECORD_ROLES = {Role.ADMIN, Role.ANALYST, Role.PARTNER}
UPLOAD_ROLES = {Role.ADMIN, Role.ANALYST, Role.PARTNER}
ALL_DATA_ROLES = {Role.ADMIN, Role.ANALYST}


def role_of(user: Any) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:
        return Role.ADMIN
    profile = getattr(user, "profile", None)
    return profile.role if profile is not None else Role.VIEWER


def organisation_of(user: Any) -> Organisation | None:
    profile = getattr(user, "profile", None) if getattr(user, "is_authenticated", False) else None
    return profile.organisation if profile is not None else None


def sees_all_records(user: Any) -> bool:
    return role_of(user) in ALL_DATA_ROLES


def may_see_records(user: Any) -> bool:
    return role_of(user) in RECORD_ROLES


def may_upload(user: Any) -> bool:
    role = role_of(user)
    if role == Role.PARTNER:
        return organisation_of(user) is not None
    return role in UPLOAD_ROLES


def may_see_organisation_records(user: Any, organisation_id: int | None) -> bool:
    """Object-level check for anything owned by an organisation (an upload, its rows, its quarantine)."""
    if sees_all_records(user):
        return True
    if role_of(user) != Role.PARTNER:
        return False
    own = organisation_of(user)
    return own is not None and organisation_id is not None and own.pk == organisation_id


def role_required(*roles: str) -> Callable:
    """Signed-in users with one of `roles` (all signed-in users if none given); others are refused."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if roles and role_of(request.user) not in roles:
                raise PermissionDenied("Your role does not give access to this page.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def role_context(request: HttpRequest) -> dict[str, Any]:
    """Templates show each person only the links their role can follow."""
    user = getattr(request, "user", None)
    role = role_of(user)
    return {
        "vrhub_role": role,
        "vrhub_role_label": Role(role).label if role else "",
        "vrhub_organisation": organisation_of(user),
        "vrhub_may_see_records": may_see_records(user),
        "vrhub_may_upload": may_upload(user),
        "vrhub_is_admin": role == Role.ADMIN,
    }
