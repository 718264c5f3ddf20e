from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from vrhub.web.accounts.audit import record
from vrhub.web.accounts.models import AuditEvent, Organisation, Profile
from vrhub.web.readonly_admin import ReadOnlyAdmin


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind")
    search_fields = ("name",)


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    fields = ("role", "organisation")


admin.site.unregister(User)


@admin.register(User)
class VrhubUserAdmin(UserAdmin):
    inlines = [ProfileInline]
    list_display = ("username", "email", "role", "organisation", "is_active", "last_login")

    @admin.display(description="Role")
    def role(self, user: User) -> str:
        return user.profile.get_role_display() if hasattr(user, "profile") else "-"

    @admin.display(description="Organisation")
    def organisation(self, user: User) -> str:
        return str(user.profile.organisation or "-") if hasattr(user, "profile") else "-"

    def save_model(self, request: Any, obj: User, form: Any, change: bool) -> None:
        # Superuser status is the admin role (access.role_of), so granting or removing it is a role change.
        flags = ("is_superuser", "is_staff", "is_active")
        before = User.objects.filter(pk=obj.pk).values(*flags).first() if change else None
        super().save_model(request, obj, form, change)
        after = {f: getattr(obj, f) for f in flags}
        if before is not None and before != after:
            record(
                request,
                "role_change",
                obj,
                **{f"old_{f}": before[f] for f in flags},
                **{f"new_{f}": after[f] for f in flags},
            )

    def save_formset(self, request: Any, form: Any, formset: Any, change: bool) -> None:
        before = {p.pk: (p.role, p.organisation_id) for p in Profile.objects.filter(user=form.instance)}
        super().save_formset(request, form, formset, change)
        for profile in Profile.objects.filter(user=form.instance):
            old = before.get(profile.pk)
            if old != (profile.role, profile.organisation_id):
                record(
                    request,
                    "role_change",
                    profile.user,
                    old_role=old[0] if old else None,
                    new_role=profile.role,
                    old_organisation=old[1] if old else None,
                    new_organisation=profile.organisation_id,
                )


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Admins read the log; nobody adds, changes or deletes an event through the application."""

    list_display = ("at", "username", "action", "object_type", "object_id", "ip_address")
    list_filter = ("action", "object_type")
    search_fields = ("username", "object_id", "path")
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return request.user.is_active and request.user.is_superuser
