from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from vrhub.sources import SOURCES
from vrhub.web.accounts.audit import record
from vrhub.web.accounts.models import DEFAULT_SOURCES, AuditEvent, Organisation, Profile
from vrhub.web.readonly_admin import ReadOnlyAdmin


def _defaults_text() -> str:
    kinds = dict(Organisation.Kind.choices)
    return "; ".join(
        f"{kinds[kind]}: {', '.join(names) or 'none'}" for kind, names in DEFAULT_SOURCES.items()
    )


class OrganisationAddForm(forms.ModelForm):
    """Name and kind only: the kind's default sources are filled in, then shown on the next page to review."""

    class Meta:
        model = Organisation
        fields = ["name", "kind"]


class OrganisationForm(forms.ModelForm):
    allowed_sources = forms.MultipleChoiceField(
        choices=[(name, f"{spec.title} ({name})") for name, spec in SOURCES.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Sources it may upload",
        help_text="Its people may upload only these; none ticked means none. Reference data (areas and "
        "population) is for analysts and administrators whatever is ticked here. New organisations start "
        "with their kind's defaults: " + _defaults_text() + ".",
    )

    class Meta:
        model = Organisation
        fields = ["name", "kind", "allowed_sources"]

    def clean_allowed_sources(self) -> list[str]:
        chosen = set(self.cleaned_data["allowed_sources"])
        return [name for name in SOURCES if name in chosen]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationForm
    add_form = OrganisationAddForm
    list_display = ("name", "kind", "sources")
    list_filter = ("kind",)
    search_fields = ("name",)

    @admin.display(description="Sources it may upload")
    def sources(self, organisation: Organisation) -> str:
        return ", ".join(organisation.sources) or "none"

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request: Any, obj: Any = None) -> Any:
        return ["name", "kind"] if obj is None else ["name", "kind", "allowed_sources"]

    def response_add(self, request: Any, obj: Any, post_url_continue: Any = None) -> Any:
        # As Django's own user admin does: on to the full form, where the defaults can be reviewed.
        if "_addanother" not in request.POST and IS_POPUP_VAR not in request.POST:
            request.POST = request.POST.copy()
            request.POST["_continue"] = 1
        return super().response_add(request, obj, post_url_continue)

    def save_model(self, request: Any, obj: Organisation, form: Any, change: bool) -> None:
        # Who may load which source decides whose records reach the published figures: audit every change.
        before = Organisation.objects.filter(pk=obj.pk).values_list("allowed_sources", flat=True).first()
        super().save_model(request, obj, form, change)
        if before != obj.allowed_sources:
            record(
                request,
                "organisation_sources_change",
                obj,
                old_sources=before if change else None,
                new_sources=obj.allowed_sources,
            )


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
