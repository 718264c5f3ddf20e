"""Admin pages for every delivery model. An application's state is read-only here: it changes only through
its transitions (which record the decision), never by editing the field."""

from __future__ import annotations

from django.contrib import admin

from vrhub.delivery import models as m


class DecisionInline(admin.TabularInline):
    model = m.Decision
    extra = 0
    can_delete = False
    readonly_fields = ["from_state", "to_state", "by", "by_name", "at", "why"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(m.Application)
class ApplicationAdmin(admin.ModelAdmin):
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
class InterventionAdmin(admin.ModelAdmin):
    list_display = ["title", "priority", "tier", "lead_organisation", "status", "budget"]
    list_filter = ["status", "priority", "tier"]
    search_fields = ["title", "description"]
    filter_horizontal = ["partner_organisations"]
    inlines = [SiteInline, MilestoneInline, KpiInline]


class KpiValueInline(admin.TabularInline):
    model = m.KpiValue
    extra = 0


@admin.register(m.Kpi)
class KpiAdmin(admin.ModelAdmin):
    list_display = ["name", "intervention", "target", "direction", "tolerance_pct"]
    inlines = [KpiValueInline]


@admin.register(m.ExceptionReport)
class ExceptionReportAdmin(admin.ModelAdmin):
    list_display = ["title", "intervention", "trigger", "status", "raised_at", "resolved_at"]
    list_filter = ["status", "trigger"]
    readonly_fields = ["resolved_by", "resolved_by_name", "resolved_at"]


class AttendanceInline(admin.TabularInline):
    model = m.TrainingAttendance
    extra = 0


@admin.register(m.TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "topic", "date"]
    inlines = [AttendanceInline]


class MemberInline(admin.TabularInline):
    model = m.PanelMember
    extra = 0


@admin.register(m.ScrutinyPanel)
class ScrutinyPanelAdmin(admin.ModelAdmin):
    list_display = ["name", "priority"]
    inlines = [MemberInline]


class RecommendationInline(admin.TabularInline):
    model = m.Recommendation
    extra = 0


@admin.register(m.PanelMeeting)
class PanelMeetingAdmin(admin.ModelAdmin):
    list_display = ["panel", "date"]
    inlines = [RecommendationInline]


@admin.register(m.Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["text", "source", "received_on", "responded_on"]
    list_filter = ["source", "themes"]


@admin.register(m.LogicModelElement)
class LogicModelElementAdmin(admin.ModelAdmin):
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
    admin.site.register(model)
