from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet

from vrhub.web.accounts.audit import record
from vrhub.web.api.models import ApiToken
from vrhub.web.readonly_admin import ReadOnlyAdmin


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """A list to read, and one action: revoke. Tokens are made with `manage api_token create`, which is the
    only place the key is ever shown."""

    list_display = ("prefix", "name", "user", "created", "last_used", "revoked")
    list_filter = (("revoked", admin.EmptyFieldListFilter),)
    search_fields = ("prefix", "name", "user__username")
    readonly_fields = ("user", "name", "prefix", "created", "last_used", "revoked")
    exclude = ("key_hash",)
    actions = ["revoke"]

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return request.user.is_active and request.user.is_superuser

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request: Any, queryset: QuerySet[ApiToken]) -> None:
        count = 0
        for token in queryset.filter(revoked__isnull=True):
            token.revoke()
            record(request, "api_token_revoked", token, name=token.name, owner=token.user.get_username())
            count += 1
        self.message_user(request, f"{count} token(s) revoked.", messages.SUCCESS)
