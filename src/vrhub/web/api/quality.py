"""Data-quality findings (aggregates: any signed-in user) and the files loaded (by role)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from vrhub.errors import UnknownSource
from vrhub.quality.model import resolve
from vrhub.web.accounts.access import organisation_of, role_of, sees_all_records
from vrhub.web.accounts.audit import record
from vrhub.web.accounts.models import Role
from vrhub.web.api import data
from vrhub.web.api.auth import SIGNED_IN
from vrhub.web.api.params import SeverityParam, SourceParam
from vrhub.web.api.schemas import ErrorOut, FindingOut, LoadOut, ValidationErrorOut

router = Router(auth=SIGNED_IN, tags=["quality"])


@router.get(
    "/quality",
    response={200: list[FindingOut], 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    operation_id="list_quality_findings",
    summary="Data-quality findings, most severe first",
)
def list_quality(
    request: HttpRequest, source: SourceParam = None, severity: SeverityParam = None
) -> list[dict]:
    tables = None
    if source is not None:
        try:
            profiles = resolve(source)
        except UnknownSource as exc:
            raise HttpError(404, f"source: {exc.message}. {exc.hint}") from exc
        tables = {p.table for p in profiles} | {p.source for p in profiles}
    return [
        f
        for f in data.quality_findings()
        if (tables is None or f["source"] in tables) and (severity is None or f["severity"] == severity)
    ]


def own_load_ids(user: object) -> set[int]:
    """The loads of the partner's organisation's uploads (none where uploads are not installed)."""
    try:
        from vrhub.web.uploads.models import Upload  # type: ignore[import-not-found]
    except ImportError:
        return set()
    org = organisation_of(user)
    if org is None:
        return set()
    ids = Upload.objects.filter(organisation=org, load_id__isnull=False).values_list("load_id", flat=True)
    return {int(i) for i in ids if i is not None}


@router.get(
    "/loads",
    response={200: list[LoadOut], 401: ErrorOut, 403: ErrorOut},
    operation_id="list_loads",
    summary="Files loaded into the warehouse (analysts all; partners their own agency's uploads)",
)
def list_loads(request: HttpRequest) -> list[dict]:
    user = request.auth  # type: ignore[attr-defined]
    if sees_all_records(user):
        return data.loads()
    if role_of(user) == Role.PARTNER:
        mine = own_load_ids(user)
        return [load for load in data.loads() if load["load_id"] in mine]
    record(request, "access_denied", object_type="api", object_id="list_loads", role=role_of(user))
    raise HttpError(403, "Your role sees aggregate figures only; the list of files loaded is not among them.")
