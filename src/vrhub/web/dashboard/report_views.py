"""The reports page: generate the Strategic Needs Assessment in the background and download it.

Admins, analysts and partners may have the partner edition (OFFICIAL-SENSITIVE); everyone else, the public
included, the public edition only. Downloads of the partner edition are audited.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from vrhub.web.accounts.access import role_required, sees_exact_counts
from vrhub.web.accounts.audit import record
from vrhub.web.dashboard import report_jobs

CONTENT_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}


def editions_for(user: object) -> list[str]:
    return ["partner", "public"] if sees_exact_counts(user) else ["public"]


@role_required()
def reports(request: HttpRequest) -> HttpResponse:
    allowed = editions_for(request.user)
    state = report_jobs.status()
    editions = [{"name": e, **state["editions"][e]} for e in allowed]
    return render(request, "dashboard/reports.html", {"editions": editions, "running": state["running"]})


@role_required()
def report_status(request: HttpRequest) -> JsonResponse:
    state = report_jobs.status()
    allowed = editions_for(request.user)
    return JsonResponse({"running": state["running"], "editions": {e: state["editions"][e] for e in allowed}})


@require_POST
@role_required()
def generate(request: HttpRequest) -> HttpResponse:
    edition = request.POST.get("edition", "")
    if edition not in editions_for(request.user):
        raise Http404("No such edition")
    if report_jobs.start(edition):
        messages.info(request, f"The {edition} edition is being written. This takes about ten seconds.")
    else:
        messages.info(request, "Another report is being written. Try again when it has finished.")
    return redirect("dashboard:reports")


def download(request: HttpRequest, edition: str, kind: str) -> HttpResponseBase:
    if edition not in report_jobs.EDITIONS or kind not in CONTENT_TYPES:
        raise Http404("No such report")
    if edition == "partner":
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        if "partner" not in editions_for(request.user):
            raise Http404("No such report")
    path = report_jobs.files(edition).get(kind)
    if path is None:
        raise Http404("This report has not been written yet")
    if edition == "partner":
        record(request, "download_report", object_type="report", object_id=f"{edition}.{kind}")
    response = FileResponse(path.open("rb"), content_type=CONTENT_TYPES[kind])
    # Both as attachments: the HTML report carries its own styles, which this site's CSP would block inline.
    response["Content-Disposition"] = f'attachment; filename="{path.name}"'
    return response
