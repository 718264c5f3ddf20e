"""Audit delivery changes: one call per create, update, delete or transition, with a request or a user.

Views pass the request (the audit log then keeps the address and path); service code and commands pass
`user=` (or nothing, for the system itself).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models, transaction
from django.http import HttpRequest

from vrhub.web.accounts.audit import record

M = TypeVar("M", bound=models.Model)


def audit(
    action: str, obj: models.Model, request: HttpRequest | None = None, user: Any = None, **detail: Any
) -> None:
    """Write `delivery.<action>` for one record."""
    record(request, f"delivery.{action}", obj, user=user, **detail)


def save_audited(obj: M, request: HttpRequest | None = None, user: Any = None, **detail: Any) -> M:
    """Save (running the model's checks) and audit it as a create or an update."""
    with transaction.atomic():
        action = "create" if obj.pk is None else "update"
        obj.full_clean()
        obj.save()
        audit(action, obj, request, user, **detail)
    return obj


def delete_audited(
    obj: models.Model, request: HttpRequest | None = None, user: Any = None, **detail: Any
) -> None:
    """Delete and audit; the event keeps the record's type, id and name."""
    with transaction.atomic():
        audit("delete", obj, request, user, name=str(obj), **detail)
        obj.delete()
