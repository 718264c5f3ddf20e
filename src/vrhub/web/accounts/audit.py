"""Write an audit event for a request: the one call every view that shows or changes data makes.

Who is a signed-in user (the request's, or `user=`), or a name with no account in the web application:
`command_line_user()` for a `vrhub ...` command, so no event a person caused is written without a name.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from vrhub.web.accounts.models import AuditEvent


def client_ip(request: HttpRequest | None) -> str | None:
    """The caller's address, for the audit log, login throttling (django-axes) and rate limits alike.

    REMOTE_ADDR: the server (web/serve.py) has already set it to the hop our outermost proxy appended to
    X-Forwarded-For when VRHUB_PROXY_COUNT proxies stand in front, and it believes that header from our
    nearest proxy only (VRHUB_TRUSTED_PROXY); whatever the caller wrote in it itself does not count."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR")


def command_line_user() -> str:
    """The person running a `vrhub` command as the audit log names them: 'cli:' and their account on the
    machine, as the linkage vault's audit records it (the command line has no web sign-in)."""
    from vrhub.linkage.vault import current_user

    return f"cli:{current_user()}"


def refusal_recorded(request: HttpRequest | None) -> bool:
    """Whether this request's refusal is in the audit log already (role_required then writes no second)."""
    return bool(getattr(request, "_vrhub_refusal_recorded", False))


def record(
    request: HttpRequest | None,
    action: str,
    obj: Any = None,
    *,
    user: Any = None,
    object_type: str = "",
    object_id: Any = "",
    **detail: Any,
) -> AuditEvent:
    who = user if user is not None else getattr(request, "user", None)
    # A plain name is someone with no web account (a command's user): kept as the name, with no link.
    name = who if isinstance(who, str) else ""
    if isinstance(who, str) or (who is not None and not getattr(who, "is_authenticated", False)):
        who = None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    if action == "access_denied" and request is not None:
        request._vrhub_refusal_recorded = True  # type: ignore[attr-defined]
    return AuditEvent.objects.create(
        user=who,
        username=who.get_username() if who else name[:150],
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        detail=detail,
        ip_address=client_ip(request),
        path=request.get_full_path()[:500] if request is not None else "",
    )
