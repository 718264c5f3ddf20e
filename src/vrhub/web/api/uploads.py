"""Partner files without a person at the keyboard: POST a CSV as the upload page takes it (the same roles,
sources, limits and checks, through web/uploads/intake.py), then read the same report the page shows."""

from __future__ import annotations

import time
from typing import Annotated, Any

from django.conf import settings
from django.http import HttpRequest
from ninja import File, Form, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from vrhub.web.accounts.access import may_see_organisation_records, may_upload, role_of
from vrhub.web.accounts.audit import record
from vrhub.web.api.auth import SIGNED_IN
from vrhub.web.api.schemas import ErrorOut, ParameterError, ValidationErrorOut
from vrhub.web.uploads import intake
from vrhub.web.uploads.forms import UploadForm, human_size
from vrhub.web.uploads.intake import UPLOADERS
from vrhub.web.uploads.models import Upload

router = Router(auth=SIGNED_IN, tags=["uploads"])
WAIT_STEP = 0.25  # seconds between looks while a caller waits for its load


class Problem(Schema):
    row_number: int | None  # the file's line, the header being line 1
    field: str | None
    reason: str
    value: str | None


class Problems(Schema):
    count: int
    page: int
    pages: int
    items: list[Problem]


class UploadReport(Schema):
    id: int
    source: str
    file_name: str
    status: str  # queued, running, loaded, refused or failed
    status_label: str
    stage: str
    final: bool
    already_loaded: bool  # the same bytes were loaded before: nothing was added
    rows_read: int | None
    rows_loaded: int | None
    rows_quarantined: int | None
    duplicates_skipped: int | None
    error: str | None  # why a file was refused whole
    hint: str | None
    problems: Problems | None  # once loaded: the quarantined rows, a page at a time


WaitParam = Annotated[
    int,
    Query(
        0, ge=0, le=120, description="Seconds to wait for the load to finish before answering (0: at once)."
    ),
]
PageParam = Annotated[int, Query(1, ge=1, description="The page of quarantined rows (50 a page).")]


def _uploader(request: HttpRequest) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    if role_of(user) not in UPLOADERS or not may_upload(user):
        record(request, "access_denied", object_type="api", object_id="uploads", role=role_of(user))
        raise HttpError(
            403, "Your account may not upload data: uploads are for partners, analysts and admins."
        )
    return user


def _wait(upload: Upload, seconds: int) -> Upload:
    deadline = time.monotonic() + seconds
    while not upload.is_final and time.monotonic() < deadline:
        time.sleep(WAIT_STEP)
        upload.refresh_from_db()
    return upload


def _form_errors(form: UploadForm) -> dict[str, Any]:
    errors = [
        ParameterError(parameter=name, location="form", message=message).dict()
        for name, message in form.error_list()
    ]
    return {"detail": "; ".join(f"{e['parameter']}: {e['message']}" for e in errors), "errors": errors}


@router.post(
    "/uploads",
    response={
        202: UploadReport,
        200: UploadReport,
        401: ErrorOut,
        403: ErrorOut,
        413: ErrorOut,
        422: ValidationErrorOut,
    },
    operation_id="create_upload",
    summary="Upload a CSV file of one source (as the upload page does)",
)
def create_upload(
    request: HttpRequest,
    source: Form[str] = "",  # checked by the upload form, so the messages are the page's
    year: Form[str] = "",
    file: File[UploadedFile] = None,  # type: ignore[assignment]
    wait: WaitParam = 0,
) -> Status:
    """Multipart form fields `source` (e.g. police-records), `file` (a CSV under the size limit) and, for
    population, `year`. The file is stored and queued for the loader; the answer is the upload's report: 202
    while it loads, or, with `wait`, 200 once it has finished within that many seconds. A refused source is a
    403 and audited; a form mistake is a 422 naming the field, in the page's words."""
    _uploader(request)
    if intake.too_large(request):
        raise HttpError(413, f"The file must be smaller than {human_size(settings.VRHUB_MAX_UPLOAD_BYTES)}.")
    if intake.not_allowed(request):
        raise HttpError(403, intake.refuse(request, request.POST["source"]))
    form = UploadForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        return Status(422, _form_errors(form))
    upload = _wait(intake.accept(request, form), wait)
    return Status(200 if upload.is_final else 202, intake.report(upload))


@router.get(
    "/uploads/{upload_id}",
    response={200: UploadReport, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    operation_id="get_upload",
    summary="An upload's report: status, counts and the quarantined rows",
)
def get_upload(request: HttpRequest, upload_id: int, page: PageParam = 1, wait: WaitParam = 0) -> dict:
    """Another organisation's upload answers 404 whatever its id, as the page does; the attempt is audited.
    Reading the quarantined rows is audited as on the page."""
    user = _uploader(request)
    upload = Upload.objects.filter(pk=upload_id).first()
    if upload is None or not may_see_organisation_records(user, upload.organisation_id):
        record(request, "access_denied", object_type="uploads.upload", object_id=upload_id, view="api")
        raise HttpError(404, "No such upload.")
    report = intake.report(_wait(upload, wait), page)
    if report["problems"] is not None:
        record(request, "view_quarantine", upload, load_id=upload.load_id, page=report["problems"]["page"])
    else:
        record(request, "view_upload", upload, status=upload.status)
    return report
