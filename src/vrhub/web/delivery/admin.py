"""Admin pages for every delivery model, every change audited like the application's own. An application's
state and an exception report's status are read-only here: they change only through their transitions and
resolutions (which record the decision), never by editing the field."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from vrhub.web.delivery import models as m
from vrhub.web.delivery.audit import audit


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit("update" if change else "create", obj, request, via="admin", fields=list(form.changed_data))

    def delete_model(self, request: Any, obj: Any) -> None:
        audit("delete", obj, request, via="admin", name=str(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        for obj in queryset:
            audit("delete", obj, request, via="admin", name=str(obj))
        super().delete_queryset(request, queryset)

    def save_formset(self, request: Any, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            audit("create", obj, request, via="admin")
        for obj, fields in formset.changed_objects:
            audit("update", obj, request, via="admin", fields=list(fields))
        for obj in formset.deleted_objects:
            audit("delete", obj, request, via="admin", name=str(obj))


class DecisionInline(admin.TabularInline):
    model = m.Decision
    extra = 0
    can_delete = False
    readonly_fields = ["from_state", "to_state", "by", "by_name", "at", "why"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(m.Application)
class ApplicationAdmin(AuditedAdmin):
    list_display = ["title", "organisation", "funding_round", "state", "amount_requested", "amount_awarded"]
    list_filter = ["state", "funding_round", "priority", "tier"]
    search_fields = ["title", "summary"]
    readonly_fields = ["state", "amount_awarded", "awarded_on", "intervention"]
    inlines = [DecisionInline]


class MilestoneInline(admin.TabularInline):
    model = m.Milestone
    extra = 0


class KpiInline(admin.TabularInline):
    model = m.Kpi
    extra = 0


class SiteInline(admin.TabularInline):
    model = m.DeliverySite
    extra = 0


@admin.register(m.Intervention)
class InterventionAdmin(AuditedAdmin):
    list_display = ["title", "priority", "tier", "lead_organisation", "status", "budget"]
    list_filter = ["status", "priority", "tier"]
    search_fields = ["title", "description"]
    filter_horizontal = ["partner_organisations"]
    inlines = [SiteInline, MilestoneInline, KpiInline]


class KpiValueInline(admin.TabularInline):
    model = m.KpiValue
    extra = 0


@admin.register(m.Evaluation)
class EvaluationAdmin(AuditedAdmin):
    list_display = ["intervention", "outcome", "design", "effect", "ci_low", "ci_high", "evidence_strength"]
    list_filter = ["design", "scale"]
    search_fields = ["intervention__title", "outcome", "why"]


@admin.register(m.Kpi)
class KpiAdmin(AuditedAdmin):
    list_display = ["name", "intervention", "target", "direction", "tolerance_pct"]
    inlines = [KpiValueInline]


@admin.register(m.ExceptionReport)
class ExceptionReportAdmin(AuditedAdmin):
    list_display = ["title", "intervention", "trigger", "status", "raised_at", "resolved_at"]
    list_filter = ["status", "trigger"]
    readonly_fields = ["status", "resolution_decision", "resolved_by", "resolved_by_name", "resolved_at"]


class AttendanceInline(admin.TabularInline):
    model = m.TrainingAttendance
    extra = 0


@admin.register(m.TrainingSession)
class TrainingSessionAdmin(AuditedAdmin):
    list_display = ["title", "topic", "date"]
    inlines = [AttendanceInline]


class MemberInline(admin.TabularInline):
    model = m.PanelMember
    extra = 0


@admin.register(m.ScrutinyPanel)
class ScrutinyPanelAdmin(AuditedAdmin):
    list_display = ["name", "priority"]
    inlines = [MemberInline]


class RecommendationInline(admin.TabularInline):
    model = m.Recommendation
    extra = 0


@admin.register(m.PanelMeeting)
class PanelMeetingAdmin(AuditedAdmin):
    list_display = ["panel", "date"]
    inlines = [RecommendationInline]


@admin.register(m.Feedback)
class FeedbackAdmin(AuditedAdmin):
    list_display = ["text", "source", "received_on", "responded_on"]
    list_filter = ["source", "themes"]


@admin.register(m.LogicModelElement)
class LogicModelElementAdmin(AuditedAdmin):
    list_display = ["text", "stage", "intervention", "measure_id"]
    list_filter = ["stage"]
    filter_horizontal = ["leads_to"]


for model in [
    m.StrategicPriority,
    m.PreventionTier,
    m.YefApproach,
    m.DeliverySite,
    m.FundingRound,
    m.Decision,
    m.Milestone,
    m.KpiValue,
    m.Risk,
    m.QuarterlyUpdate,
    m.CaseStudy,
    m.FeedbackTheme,
    m.PanelMember,
    m.Recommendation,
    m.TrainingAttendance,
]:
    admin.site.register(model, AuditedAdmin)
