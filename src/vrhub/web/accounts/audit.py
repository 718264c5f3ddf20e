"""Write an audit event for a request: the one call every view that shows or changes data makes."""

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
    if who is not None and not getattr(who, "is_authenticated", False):
        who = None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    return AuditEvent.objects.create(
        user=who,
        username=who.get_username() if who else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        detail=detail,
        ip_address=client_ip(request),
        path=request.get_full_path()[:500] if request is not None else "",
    )
