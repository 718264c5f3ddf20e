"""Upload pages. Every view of one upload asks access.may_see_organisation_records first: another
agency's upload answers 404 whatever its id, and the attempt is audited."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from vrhub import spreadsheet
from vrhub.web.accounts.access import (
    may_see_organisation_records,
    may_upload,
    may_upload_source,
    organisation_of,
    role_required,
    sees_all_records,
)
from vrhub.web.accounts.audit import record
from vrhub.web.uploads import intake, records
from vrhub.web.uploads.forms import UploadForm, human_size
from vrhub.web.uploads.intake import UPLOADERS
from vrhub.web.uploads.models import Upload, retention_words


def _own_upload(request: HttpRequest, pk: int, view: str) -> Upload:
    """The upload, if this person may see it; otherwise 404 (the same for a missing one), audited."""
    upload = Upload.objects.select_related("organisation", "uploaded_by").filter(pk=pk).first()
    if upload is None or not may_see_organisation_records(request.user, upload.organisation_id):
        record(request, "access_denied", object_type="uploads.upload", object_id=pk, view=view)
        raise Http404("No such upload.")
    return upload


@role_required(*UPLOADERS)
def upload_list(request: HttpRequest) -> HttpResponse:
    if not may_upload(request.user):
        raise PermissionDenied("You need to belong to an organisation to upload data.")
    uploads = Upload.objects.select_related("organisation", "uploaded_by")
    if not sees_all_records(request.user):
        uploads = uploads.filter(organisation=organisation_of(request.user))
    page = Paginator(uploads, 50).get_page(request.GET.get("page"))
    return render(request, "uploads/list.html", {"page": page, "sees_all": sees_all_records(request.user)})


@role_required(*UPLOADERS)
@require_http_methods(["GET", "POST"])
def upload_new(request: HttpRequest) -> HttpResponse:
    if not may_upload(request.user):
        raise PermissionDenied("You need to belong to an organisation to upload data.")
    limit = settings.VRHUB_MAX_UPLOAD_BYTES
    form = UploadForm(user=request.user)
    errors: list[tuple[str, str]] = []
    refused = False
    if request.method == "POST":
        if intake.too_large(request):
            # The body is not read at all: the file could never be accepted.
            errors = [("file", f"The selected file must be smaller than {human_size(limit)}")]
        elif intake.not_allowed(request):
            errors = [("source", intake.refuse(request, request.POST["source"]))]
            refused = True
        else:
            form = UploadForm(request.POST, request.FILES, user=request.user)
            if form.is_valid():
                return _accept(request, form)
            errors = form.error_list()
    context = {
        "form": form,
        "limit": human_size(limit),
        "errors": errors,
        "field_errors": dict(reversed(errors)),  # the first message of each field
        "chosen_source": form["source"].value() or "",
        "year_value": form["year"].value() or "",
        # The year only says which estimates a population file holds: asked of those who may upload one.
        "offers_population": may_upload_source(request.user, "population"),
        "retention": retention_words(),
    }
    return render(request, "uploads/new.html", context, status=403 if refused else 400 if errors else 200)


def _accept(request: HttpRequest, form: UploadForm) -> HttpResponse:
    upload = intake.accept(request, form)
    return redirect("uploads:detail", pk=upload.pk)


@role_required(*UPLOADERS)
@require_GET
def upload_detail(request: HttpRequest, pk: int) -> HttpResponse:
    upload = _own_upload(request, pk, "detail")
    context: dict[str, Any] = {"upload": upload, "size": human_size(upload.size)}
    if upload.status == Upload.Status.LOADED and upload.load_id is not None:
        quarantine = records.quarantine_page(upload.load_id, records.page_number(request.GET.get("page")))
        context["quarantine"] = quarantine
        record(
            request,
            "view_quarantine",
            upload,
            load_id=upload.load_id,
            page=quarantine.number,
            problems_shown=len(quarantine.rows),
        )
    else:
        record(request, "view_upload", upload, status=upload.status)
    return render(request, "uploads/detail.html", context)


@role_required(*UPLOADERS)
@require_GET
def upload_status(request: HttpRequest, pk: int) -> JsonResponse:
    """Counts and stage only (no record-level data), polled every few seconds: checked, not audited."""
    upload = _own_upload(request, pk, "status")
    return JsonResponse(
        {
            "id": upload.pk,
            "status": upload.status,
            "status_label": upload.get_status_display(),
            "stage": upload.stage,
            "final": upload.is_final,
            "rows_read": upload.rows_read,
            "rows_loaded": upload.rows_loaded,
            "rows_quarantined": upload.rows_quarantined,
            "duplicates_skipped": upload.duplicates_skipped,
            "url": reverse("uploads:detail", args=[upload.pk]),
        }
    )


@role_required(*UPLOADERS)
@require_GET
def quarantine_csv(request: HttpRequest, pk: int) -> HttpResponseBase:
    upload = _own_upload(request, pk, "quarantine_csv")
    if upload.load_id is None:
        raise Http404("This upload has no quarantine: it was not loaded.")
    record(request, "download_quarantine", upload, load_id=upload.load_id)
    columns = [*records.QUARANTINE_COLUMNS, "raw_row"]
    # Through vrhub.spreadsheet: a quarantined value such as =HYPERLINK(...) is written with a leading '.
    lines = spreadsheet.csv_lines(
        columns, ([row[c] for c in columns] for row in records.quarantine_rows(upload.load_id))
    )
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="upload-{upload.pk}-quarantine.csv"'
    response["Cache-Control"] = "no-store"
    return response


@role_required(*UPLOADERS)
@require_GET
def upload_rows(request: HttpRequest, pk: int) -> HttpResponse:
    upload = _own_upload(request, pk, "rows")
    context: dict[str, Any] = {"upload": upload}
    if upload.load_id is not None and upload.table is not None:
        page = records.rows_page(upload.table, upload.load_id, records.page_number(request.GET.get("page")))
        context["page"] = page
        record(
            request,
            "view_rows",
            upload,
            table=upload.table,
            load_id=upload.load_id,
            page=page.number,
            rows_shown=len(page.rows),
        )
    else:
        record(request, "view_upload", upload, status=upload.status)
    return render(request, "uploads/rows.html", context)
