"""Write an audit event for a request: the one call every view that shows or changes data makes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from vrhub.web.accounts.models import AuditEvent


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # X-Forwarded-For is whatever the client wrote, except for the hops our own proxies appended: trust only
    # those (VRHUB_PROXY_COUNT, 0 by default as `vrhub serve` faces clients itself).
    proxies = settings.VRHUB_PROXY_COUNT
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    if proxies and len(hops) >= proxies:
        return hops[-proxies]
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
