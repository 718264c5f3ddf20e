"""Delivery pages under /delivery/. Each list page has .json and .csv twins (the same rows)."""

from __future__ import annotations

from collections.abc import Callable

from django.http.response import HttpResponseBase
from django.urls import URLPattern, path

from vrhub.web.delivery.views import funding, learning, programme, public, tracker, voice

app_name = "delivery"


def listing(route: str, view: Callable[..., HttpResponseBase], name: str) -> list[URLPattern]:
    """The page at route/ and its twins at route.json and route.csv."""
    return [
        path(f"{route}/", view, name=name),
        path(f"{route}.json", view, {"fmt": "json"}, name=f"{name}_json"),
        path(f"{route}.csv", view, {"fmt": "csv"}, name=f"{name}_csv"),
    ]


urlpatterns = [
    path("", programme.home, name="home"),
    *listing("logic-model", programme.logic_model, "logic_model"),
    *listing("interventions", programme.interventions, "interventions"),
    path("interventions/new/", programme.intervention_new, name="intervention_new"),
    path("interventions/<int:pk>/", programme.intervention, name="intervention"),
    path("interventions/<int:pk>/edit/", programme.intervention_edit, name="intervention_edit"),
    *listing("interventions/<int:pk>/logic-model", programme.intervention_logic, "intervention_logic"),
    path("interventions/<int:pk>/logic-model/new/", programme.logic_element_new, name="logic_element_new"),
    path(
        "interventions/<int:pk>/logic-model/<int:element>/edit/",
        programme.logic_element_edit,
        name="logic_element_edit",
    ),
    path(
        "interventions/<int:pk>/logic-model/<int:element>/delete/",
        programme.logic_element_delete,
        name="logic_element_delete",
    ),
    # the action tracker
    path("interventions/<int:pk>/milestones/new/", tracker.milestone_new, name="milestone_new"),
    path("interventions/<int:pk>/milestones/<int:item>/edit/", tracker.milestone_edit, name="milestone_edit"),
    path(
        "interventions/<int:pk>/milestones/<int:item>/complete/",
        tracker.milestone_complete,
        name="milestone_complete",
    ),
    path("interventions/<int:pk>/kpis/new/", tracker.kpi_new, name="kpi_new"),
    path("interventions/<int:pk>/kpis/<int:item>/edit/", tracker.kpi_edit, name="kpi_edit"),
    path("interventions/<int:pk>/kpis/<int:item>/values/new/", tracker.kpi_value_new, name="kpi_value_new"),
    path("interventions/<int:pk>/risks/new/", tracker.risk_new, name="risk_new"),
    path("interventions/<int:pk>/risks/<int:item>/edit/", tracker.risk_edit, name="risk_edit"),
    path("interventions/<int:pk>/updates/new/", tracker.update_new, name="update_new"),
    *listing("updates", tracker.updates, "updates"),
    *listing("exception-reports", tracker.exceptions, "exceptions"),
    path("exception-reports/<int:pk>/", tracker.exception_detail, name="exception"),
    path("exception-reports/raise/", tracker.exceptions_raise, name="exceptions_raise"),
    path("steering/", tracker.steering, name="steering"),
    path("steering/pack/", tracker.pack_generate, name="pack_generate"),
    path(
        "steering/pack/steering-group-pack-<str:quarter>.<str:kind>",
        tracker.pack_download,
        name="pack_download",
    ),
    # funding
    *listing("rounds", funding.rounds, "rounds"),
    path("rounds/new/", funding.round_new, name="round_new"),
    path("rounds/<int:pk>/", funding.round_detail, name="round"),
    path("rounds/<int:pk>/edit/", funding.round_edit, name="round_edit"),
    *listing("applications", funding.applications, "applications"),
    path("applications/new/", funding.application_new, name="application_new"),
    path("applications/<int:pk>/", funding.application, name="application"),
    path("applications/<int:pk>/edit/", funding.application_edit, name="application_edit"),
    path("applications/<int:pk>/gates/", funding.application_gates, name="application_gates"),
    path("applications/<int:pk>/plan/", funding.application_plan, name="application_plan"),
    path("applications/<int:pk>/award/", funding.application_award, name="application_award"),
    path("applications/<int:pk>/<str:action>/", funding.application_decide, name="application_decide"),
    # voice and learning
    *listing("what-works", learning.what_works, "what_works"),
    *listing("case-studies", voice.case_studies, "case_studies"),
    path("case-studies/new/", voice.case_study_new, name="case_study_new"),
    path("case-studies/<int:pk>/", voice.case_study, name="case_study"),
    path("case-studies/<int:pk>/edit/", voice.case_study_edit, name="case_study_edit"),
    *listing("feedback", voice.feedback, "feedback"),
    path("feedback/new/", voice.feedback_new, name="feedback_new"),
    path("feedback/give/", voice.feedback_give, name="feedback_give"),
    path("feedback/<int:pk>/respond/", voice.feedback_respond, name="feedback_respond"),
    path("feedback/<int:pk>/approve/", voice.feedback_approve, name="feedback_approve"),
    *listing("panels", voice.panels, "panels"),
    path("panels/new/", voice.panel_new, name="panel_new"),
    path("panels/<int:pk>/", voice.panel, name="panel"),
    path("panels/<int:pk>/members/new/", voice.panel_member_new, name="panel_member_new"),
    path("panels/<int:pk>/meetings/new/", voice.panel_meeting_new, name="panel_meeting_new"),
    path(
        "panels/<int:pk>/meetings/<int:meeting>/recommendations/new/",
        voice.recommendation_new,
        name="recommendation_new",
    ),
    path(
        "panels/<int:pk>/recommendations/<int:item>/edit/",
        voice.recommendation_edit,
        name="recommendation_edit",
    ),
    *listing("training", voice.training, "training"),
    path("training/new/", voice.training_new, name="training_new"),
    path("training/<int:pk>/", voice.training_session, name="training_session"),
    path("training/<int:pk>/attendance/new/", voice.attendance_new, name="attendance_new"),
    # public, no sign-in
    path("public/", public.public, name="public"),
    path("public/awards.json", public.public_awards, {"fmt": "json"}, name="public_awards_json"),
    path("public/awards.csv", public.public_awards, {"fmt": "csv"}, name="public_awards_csv"),
    path(
        "public/interventions.json",
        public.public_interventions_twin,
        {"fmt": "json"},
        name="public_interventions_json",
    ),
    path(
        "public/interventions.csv",
        public.public_interventions_twin,
        {"fmt": "csv"},
        name="public_interventions_csv",
    ),
    path("public/interventions/<int:pk>/", public.public_intervention, name="public_intervention"),
    path("public/360giving.json", public.giving_json, name="giving_json"),
    path("public/360giving.csv", public.giving_csv, name="giving_csv"),
]
