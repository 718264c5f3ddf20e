"""What each role may see. Every view and API endpoint asks here; nothing decides access on its own.

- admin, analyst: everything
- partner: all aggregates; record-level rows, uploads and quarantine of their own organisation only
- programme manager: aggregates and delivery
- viewer: aggregates only

Which counts each role sees (sees_exact_counts, the one rule the reports page, the dashboard and the API
obey): admins, analysts and partners have the partner edition (OFFICIAL-SENSITIVE) and see exact counts;
programme managers, viewers and the public have the public edition, so every page and API answer shows them
small numbers as the public edition does ('*', rounded to 5 below the force area; vrhub.web.published).

Who may load what (uploadable_sources, the one rule every path that queues or loads an upload obeys):
- record-level sources: only those the person's organisation is allowed (Organisation.allowed_sources, set by
  an administrator), whatever the role. So an analyst or administrator of the VRP loads what the VRP owns
  (police.uk and indicators by default), not a partner's records; someone with no organisation, including a
  superuser made by `createsuperuser`, loads no record-level source at all, since the rows would belong to
  no agency. An administrator who must load, say, police records for the police gives themselves that
  organisation first, which the audit log records.
- reference data (areas, population): analysts and administrators only, with or without an organisation; it
  is public ONS data owned by no agency, and it changes every borough's figures.
The upload form offers only these, a POST of another is refused before the file is stored or read, and the
worker asks again (may_load_upload) just before loading, so a source taken away meanwhile is not loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from vrhub.sources import REFERENCE_SOURCES
from vrhub.web.accounts.audit import record, refusal_recorded
from vrhub.web.accounts.models import Organisation, Role

RECORD_ROLES = {Role.ADMIN, Role.ANALYST, Role.PARTNER}
UPLOAD_ROLES = {Role.ADMIN, Role.ANALYST, Role.PARTNER}
ALL_DATA_ROLES = {Role.ADMIN, Role.ANALYST}
EXACT_COUNT_ROLES = {Role.ADMIN, Role.ANALYST, Role.PARTNER}  # the partner edition's readers


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


def sees_exact_counts(user: Any) -> bool:
    """The partner edition's exact counts; everyone else (anonymous included) the public edition's."""
    return role_of(user) in EXACT_COUNT_ROLES


def may_see_records(user: Any) -> bool:
    return role_of(user) in RECORD_ROLES


def may_upload(user: Any) -> bool:
    role = role_of(user)
    if role == Role.PARTNER:
        return organisation_of(user) is not None
    return role in UPLOAD_ROLES


def uploadable_sources(user: Any) -> list[str]:
    """The sources `user` may upload (record sources in vrhub.sources' order, then reference data)."""
    role = role_of(user)
    if role not in UPLOAD_ROLES:
        return []
    organisation = organisation_of(user)
    names = organisation.sources if organisation is not None else []
    if role in ALL_DATA_ROLES:
        names = names + list(REFERENCE_SOURCES)
    return names


def may_upload_source(user: Any, source: str) -> bool:
    return source in uploadable_sources(user)


def may_load_upload(user: Any, organisation_id: int | None, source: str) -> bool:
    """Just before a queued upload is loaded: its uploader still has an active account, in the organisation
    the upload was made for, and may still upload its source."""
    if user is None or not user.is_active:
        return False
    organisation = organisation_of(user)
    if (organisation.pk if organisation is not None else None) != organisation_id:
        return False
    return may_upload_source(user, source)


def may_see_organisation_records(user: Any, organisation_id: int | None) -> bool:
    """Object-level check for anything owned by an organisation (an upload, its rows, its quarantine)."""
    if sees_all_records(user):
        return True
    if role_of(user) != Role.PARTNER:
        return False
    own = organisation_of(user)
    return own is not None and organisation_id is not None and own.pk == organisation_id


def _record_refusal(request: HttpRequest, view: Callable, reason: str) -> None:
    match = getattr(request, "resolver_match", None)
    record(
        request,
        "access_denied",
        object_type="page",
        object_id=(match.view_name if match is not None else view.__name__)[:60],
        view=view.__name__,
        role=role_of(request.user) or "",
        reason=reason,
    )


def role_required(*roles: str) -> Callable:
    """Signed-in users with one of `roles` (all signed-in users if none given); others are refused.

    Every refusal is audited (`access_denied`): a role outside `roles`, and a 403 the page raises itself (a
    partner with no organisation, say) unless the page has already written its own, more exact, event."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if roles and role_of(request.user) not in roles:
                reason = "Your role does not give access to this page."
                _record_refusal(request, view, reason)
                raise PermissionDenied(reason)
            try:
                return view(request, *args, **kwargs)
            except PermissionDenied as refused:
                if not refusal_recorded(request):
                    _record_refusal(request, view, str(refused))
                raise

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
        "vrhub_exact_counts": sees_exact_counts(user),
    }
