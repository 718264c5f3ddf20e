"""Voice and learning: case studies, feedback ("you said, we did"; anyone may give it, anonymously),
scrutiny panels with meetings and recommendations, and training sessions with attendance by organisation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from vrhub.web.accounts.access import role_required
from vrhub.web.delivery.audit import save_audited
from vrhub.web.delivery.forms import (
    AttendanceForm,
    CaseStudyForm,
    FeedbackForm,
    PanelForm,
    PanelMeetingForm,
    PanelMemberForm,
    PublicFeedbackForm,
    RecommendationForm,
    RespondForm,
    TrainingSessionForm,
)
from vrhub.web.delivery.models import (
    CaseStudy,
    Feedback,
    PanelMeeting,
    PanelMember,
    Recommendation,
    ScrutinyPanel,
    TrainingAttendance,
    TrainingSession,
)
from vrhub.web.delivery.views.common import EDITORS, READERS, form_page, may_edit, twin
from vrhub.web.throttling import FeedbackRate, minutes


def _saver(request: HttpRequest, done: str, to: Any, **fill: Any) -> Any:
    def save(form: Any) -> HttpResponse:
        obj = form.save(commit=False)
        for name, value in fill.items():
            setattr(obj, name, value)
        save_audited(obj, request, changed=list(form.changed_data))
        form.save_m2m()
        messages.success(request, done)
        return redirect(to(obj) if callable(to) else to)

    return save


# -- case studies --------------------------------------------------------------------------------------------
WITHHELD = "(withheld until consent is recorded and the story is anonymised)"


def story_for(user: Any, c: CaseStudy) -> str:
    """A story is personal until consent is recorded and it is anonymised: until then only the people who
    edit delivery records read it."""
    return c.story if may_edit(user) or not c.publish_gaps() else WITHHELD


def case_study_row(c: CaseStudy, user: Any = None) -> dict[str, Any]:
    return {
        "id": c.pk,
        "title": c.title,
        "intervention": c.intervention.title if c.intervention else "",
        "recorded_on": c.recorded_on,
        "consent_recorded": c.consent_recorded,
        "anonymised": c.anonymised,
        "published": c.published,
        "priorities": [p.name for p in c.priorities.all()],
        "tiers": [t.name for t in c.tiers.all()],
        "story": story_for(user, c),
    }


@role_required(*READERS)
def case_studies(request: HttpRequest, fmt: str = "") -> HttpResponse:
    found = CaseStudy.objects.select_related("intervention").prefetch_related("priorities", "tiers")
    rows = [case_study_row(c, request.user) for c in found]
    table = [
        [
            (reverse("delivery:case_study", args=[c.pk]), c.title),
            c.intervention.title if c.intervention else "",
            c.recorded_on.strftime("%d %B %Y"),
            "Yes" if c.consent_recorded else "No",
            "Yes" if c.anonymised else "No",
            "Yes" if c.published else "No",
        ]
        for c in found
    ]
    context = {
        "heading": "Case studies",
        "intro": "Stories of the work, recorded with consent and anonymised before they are published.",
        "columns": ["Case study", "Intervention", "Recorded", "Consent", "Anonymised", "Published"],
        "table": table,
        "twins": "case-studies",
        "new": (reverse("delivery:case_study_new"), "Add a case study") if may_edit(request.user) else None,
    }
    return twin(request, fmt, "delivery/table.html", context, rows, "case-studies")


@role_required(*READERS)
def case_study(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(CaseStudy, pk=pk)
    context = {"case": found, "story": story_for(request.user, found), "may_edit": may_edit(request.user)}
    return render(request, "delivery/case_study.html", context)


def _case_study_form(request: HttpRequest, instance: CaseStudy | None, heading: str) -> HttpResponse:
    form = CaseStudyForm(request.POST or None, instance=instance)
    save = _saver(request, "The case study is saved.", lambda c: reverse("delivery:case_study", args=[c.pk]))
    trail = [(reverse("delivery:case_studies"), "Case studies")]
    return form_page(request, form, save, heading, trail=trail, cancel=reverse("delivery:case_studies"))


@role_required(*EDITORS)
@require_http_methods(["GET", "POST"])
def case_study_new(request: HttpRequest) -> HttpResponse:
    return _case_study_form(request, None, "Add a case study")


@role_required(*EDITORS)
@require_http_methods(["GET", "POST"])
def case_study_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_study_form(request, get_object_or_404(CaseStudy, pk=pk), "Change the case study")


# -- feedback ------------------------------------------------------------------------------------------------
def feedback_row(f: Feedback, moderator: bool = False) -> dict[str, Any]:
    """A moderator reads what was sent; everyone else reads approved feedback with contact details removed."""
    return {
        "id": f.pk,
        "received_on": f.received_on,
        "source": f.get_source_display(),
        "text": f.text if moderator else f.redacted_text,
        "themes": [t.name for t in f.themes.all()],
        "intervention": f.intervention.title if f.intervention else "",
        "response": f.response,
        "responded_on": f.responded_on,
        **({"approved": f.approved} if moderator else {}),
    }


def visible_feedback(user: Any) -> Any:
    """Programme managers and administrators moderate: they see it all. Others see approved feedback only."""
    found = Feedback.objects.select_related("intervention").prefetch_related("themes")
    return found if may_edit(user) else found.filter(approved=True)


@role_required(*READERS)
def feedback(request: HttpRequest, fmt: str = "") -> HttpResponse:
    moderator = may_edit(request.user)
    found = visible_feedback(request.user)
    rows = [feedback_row(f, moderator) for f in found]
    context = {
        "shown": [(f, row) for f, row in zip(found, rows, strict=True)],
        "feedback": found,
        "may_edit": moderator,
        "held": sum(not f.approved for f in found) if moderator else 0,
    }
    return twin(request, fmt, "delivery/feedback.html", context, rows, "feedback")


@role_required(*EDITORS)
@require_http_methods(["GET", "POST"])
def feedback_new(request: HttpRequest) -> HttpResponse:
    form = FeedbackForm(request.POST or None)
    # Recorded by a programme manager, who has read it: approved as it is saved.
    save = _saver(
        request,
        "The feedback is recorded.",
        reverse("delivery:feedback"),
        approved=True,
        approved_by_name=request.user.get_username(),
        approved_at=timezone.now(),
    )
    trail = [(reverse("delivery:feedback"), "Feedback")]
    return form_page(request, form, save, "Record feedback", trail=trail, cancel=reverse("delivery:feedback"))


@role_required(*EDITORS)
@require_POST
def feedback_approve(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Feedback, pk=pk)
    found.approve(by=request.user, request=request)
    messages.success(request, "The feedback is approved: others now see it, with contact details removed.")
    return redirect("delivery:feedback")


@role_required(*EDITORS)
@require_http_methods(["GET", "POST"])
def feedback_respond(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Feedback, pk=pk)
    form = RespondForm(request.POST or None, initial={"response": found.response})

    def respond(form: RespondForm) -> HttpResponse:
        found.respond(form.cleaned_data["response"], by=request.user, request=request)
        messages.success(request, "The response is recorded: you said, we did.")
        return redirect("delivery:feedback")

    trail = [(reverse("delivery:feedback"), "Feedback")]
    return form_page(
        request,
        form,
        respond,
        "Respond to feedback",
        trail=trail,
        intro=f"They said: \u201c{found.text}\u201d",
        cancel=reverse("delivery:feedback"),
        button="Record the response",
    )


@require_http_methods(["GET", "POST"])
def feedback_give(request: HttpRequest) -> HttpResponse:
    """Anyone, signed in or not, may tell the partnership something, anonymously; it is held until a
    programme manager approves it."""
    form = PublicFeedbackForm(request.POST or None)
    # Only feedback that would be kept counts towards the limit, so a mistake in the form costs nothing.
    limit = FeedbackRate()
    refused = request.method == "POST" and form.is_valid() and not limit.allow_request(request)
    if refused:
        form.add_error(
            None,
            "We have had a lot of feedback from your connection in the last hour. Please try again in "
            f"{minutes(limit.wait())}.",
        )

    def save(form: PublicFeedbackForm) -> HttpResponse:
        save_audited(form.save(commit=False), request)
        return render(request, "delivery/feedback_thanks.html", {"public": True})

    response = form_page(
        request,
        form,
        save,
        "Tell us what you think",
        intro=(
            "Tell the Violence Reduction Partnership what is working, what is not and what would help in "
            "your area. You do not have to give your name. We publish what we did about what people told us."
        ),
        public=True,
        button="Send",
    )
    if refused:
        response.status_code = 429
        response["Retry-After"] = str(int(limit.wait() or 60))
    return response


# -- scrutiny panels -----------------------------------------------------------------------------------------
def panel_row(p: ScrutinyPanel) -> dict[str, Any]:
    return {
        "id": p.pk,
        "name": p.name,
        "priority": p.priority.name,
        "members": p.members.count(),
        "meetings": p.meetings.count(),
        "open_recommendations": Recommendation.objects.filter(meeting__panel=p, status="open").count(),
    }


@role_required(*READERS)
def panels(request: HttpRequest, fmt: str = "") -> HttpResponse:
    found = ScrutinyPanel.objects.select_related("priority")
    rows = [panel_row(p) for p in found]
    table = [
        [
            (reverse("delivery:panel", args=[r["id"]]), r["name"]),
            r["priority"],
            r["members"],
            r["meetings"],
            r["open_recommendations"],
        ]
        for r in rows
    ]
    context = {
        "heading": "Scrutiny panels",
        "intro": (
            "Panels of service users, one per strategic theme, who question the work and make "
            "recommendations."
        ),
        "columns": ["Panel", "Strategic theme", "Members", "Meetings", "Recommendations awaiting a response"],
        "numeric": [2, 3, 4],
        "table": table,
        "twins": "panels",
        "new": (reverse("delivery:panel_new"), "Add a panel") if may_edit(request.user) else None,
    }
    return twin(request, fmt, "delivery/table.html", context, rows, "scrutiny-panels")


@role_required(*READERS)
def panel(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(ScrutinyPanel.objects.select_related("priority"), pk=pk)
    meetings = found.meetings.prefetch_related("recommendations")
    context = {
        "panel": found,
        "members": found.members.all(),
        "meetings": meetings,
        "may_edit": may_edit(request.user),
    }
    return render(request, "delivery/panel.html", context)


def _panel_trail(p: ScrutinyPanel | None = None) -> list[tuple[str, str]]:
    trail = [(reverse("delivery:panels"), "Scrutiny panels")]
    if p is not None:
        trail.append((reverse("delivery:panel", args=[p.pk]), p.name))
    return trail


@role_required(*EDITORS)
@require_http_methods(["GET", "POST"])
def panel_new(request: HttpRequest) -> HttpResponse:
    form = PanelForm(request.POST or None)
    save = _saver(request, "The panel is added.", lambda p: reverse("delivery:panel", args=[p.pk]))
    return form_page(
        request, form, save, "Add a scrutiny panel", trail=_panel_trail(), cancel=reverse("delivery:panels")
    )


@role_required(*EDITORS)
@require_http_methods(["GET", "POST"])
def panel_member_new(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(ScrutinyPanel, pk=pk)
    form = PanelMemberForm(request.POST or None, instance=PanelMember(panel=found))
    back = reverse("delivery:panel", args=[pk])
    save = _saver(request, "The member is added.", back)
    return form_page(
        request, form, save, "Add a panel member", caption=found.name, trail=_panel_trail(found), cancel=back
    )


@role_required(*EDITORS)
@require_http_methods(["GET", "POST"])
def panel_meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(ScrutinyPanel, pk=pk)
    form = PanelMeetingForm(request.POST or None, instance=PanelMeeting(panel=found))
    back = reverse("delivery:panel", args=[pk])
    save = _saver(request, "The meeting is recorded.", back)
    return form_page(
        request, form, save, "Record a meeting", caption=found.name, trail=_panel_trail(found), cancel=back
    )


@role_required(*EDITORS)
@require_http_methods(["GET", "POST"])
def recommendation_new(request: HttpRequest, pk: int, meeting: int) -> HttpResponse:
    found = get_object_or_404(PanelMeeting, pk=meeting, panel_id=pk)
    form = RecommendationForm(request.POST or None, instance=Recommendation(meeting=found))
    back = reverse("delivery:panel", args=[pk])
    save = _saver(request, "The recommendation is recorded.", back)
    return form_page(
        request,
        form,
        save,
        "Record a recommendation",
        caption=str(found),
        trail=_panel_trail(found.panel),
        cancel=back,
    )


@role_required(*EDITORS)
@require_http_methods(["GET", "POST"])
def recommendation_edit(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    found = get_object_or_404(
        Recommendation.objects.select_related("meeting__panel"), pk=item, meeting__panel_id=pk
    )
    form = RecommendationForm(request.POST or None, instance=found)
    back = reverse("delivery:panel", args=[pk])
    save = _saver(request, "The response to the panel is recorded.", back)
    return form_page(
        request,
        form,
        save,
        "Respond to a recommendation",
        caption=str(found.meeting),
        trail=_panel_trail(found.meeting.panel),
        cancel=back,
    )


# -- training ------------------------------------------------------------------------------------------------
def training_row(s: TrainingSession) -> dict[str, Any]:
    return {
        "id": s.pk,
        "date": s.date,
        "topic": s.get_topic_display(),
        "title": s.title,
        "delivered_by": s.delivered_by,
        "attendees": s.attendees(),
        "by_organisation": {a.organisation.name: a.count for a in s.attendance.all()},
    }


@role_required(*READERS)
def training(request: HttpRequest, fmt: str = "") -> HttpResponse:
    found = TrainingSession.objects.prefetch_related("attendance__organisation")
    rows = [training_row(s) for s in found]
    table = [
        [
            r["date"].strftime("%d %B %Y"),
            (reverse("delivery:training_session", args=[r["id"]]), r["title"]),
            r["topic"],
            r["attendees"],
        ]
        for r in rows
    ]
    total = TrainingAttendance.objects.aggregate(n=Sum("count"))["n"] or 0
    context = {
        "heading": "Training and CPD",
        "intro": f"{total:,} attendances at {len(rows)} sessions, counted by organisation.",
        "columns": ["Date", "Session", "Topic", "People attending"],
        "numeric": [3],
        "table": table,
        "twins": "training",
        "new": (reverse("delivery:training_new"), "Add a training session")
        if may_edit(request.user)
        else None,
    }
    if fmt == "csv":
        rows = [
            {**r, "by_organisation": "; ".join(f"{k}: {v}" for k, v in r["by_organisation"].items())}
            for r in rows
        ]
    return twin(request, fmt, "delivery/table.html", context, rows, "training")


@role_required(*READERS)
def training_session(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(TrainingSession, pk=pk)
    attendance = found.attendance.select_related("organisation")
    return render(
        request,
        "delivery/training_session.html",
        {
            "session": found,
            "attendance": attendance,
            "total": found.attendees(),
            "may_edit": may_edit(request.user),
        },
    )


@role_required(*EDITORS)
@require_http_methods(["GET", "POST"])
def training_new(request: HttpRequest) -> HttpResponse:
    form = TrainingSessionForm(request.POST or None)
    save = _saver(
        request,
        "The session is added. Now record who attended.",
        lambda s: reverse("delivery:training_session", args=[s.pk]),
    )
    trail = [(reverse("delivery:training"), "Training")]
    return form_page(
        request, form, save, "Add a training session", trail=trail, cancel=reverse("delivery:training")
    )


@role_required(*EDITORS)
@require_http_methods(["GET", "POST"])
def attendance_new(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(TrainingSession, pk=pk)
    form = AttendanceForm(request.POST or None, session=found)
    back = reverse("delivery:training_session", args=[pk])
    save = _saver(request, "The attendance is recorded.", back)
    trail = [(reverse("delivery:training"), "Training"), (back, found.title)]
    return form_page(request, form, save, "Record attendance", caption=str(found), trail=trail, cancel=back)
