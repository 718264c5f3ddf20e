"""What every delivery page shares: who may change what, the .json/.csv twins of list pages, and the
catalogue lookups forms and pages use.

Programme managers and administrators edit everything in delivery; a partner edits the interventions their
organisation leads or is a partner in (and those interventions' milestones, KPIs, risks, logic model and
updates) and their own organisation's applications; analysts and viewers read. Object-level refusals are
audited and answer 403.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from vrhub import spreadsheet
from vrhub.web.accounts.access import organisation_of, role_of
from vrhub.web.accounts.audit import record
from vrhub.web.accounts.models import Role
from vrhub.web.delivery.models import Application, Intervention

EDITORS: tuple[str, ...] = (str(Role.ADMIN), str(Role.PROGRAMME_MANAGER))
READERS: tuple[str, ...] = tuple(str(r) for r in Role)
# Who may open an intervention's or application's edit pages at all (object checks follow).
CONTRIBUTORS: tuple[str, ...] = (*EDITORS, str(Role.PARTNER))


def may_edit(user: Any) -> bool:
    """Programme managers and administrators: everything in delivery."""
    return role_of(user) in EDITORS


def may_edit_intervention(user: Any, intervention: Intervention) -> bool:
    if may_edit(user):
        return True
    if role_of(user) != Role.PARTNER:
        return False
    own = organisation_of(user)
    if own is None:
        return False
    return (
        intervention.lead_organisation_id == own.pk
        or intervention.partner_organisations.filter(pk=own.pk).exists()
    )


def partner_interventions(user: Any) -> QuerySet[Intervention]:
    """The interventions this person may edit (all of them for editors)."""
    if may_edit(user):
        return Intervention.objects.all()
    own = organisation_of(user)
    if role_of(user) != Role.PARTNER or own is None:
        return Intervention.objects.none()
    return Intervention.objects.filter(Q(lead_organisation=own) | Q(partner_organisations=own)).distinct()


def editable_intervention(request: HttpRequest, pk: int, view: str) -> Intervention:
    """The intervention, if this person may change it; 404 if none, 403 (audited) if not theirs."""
    intervention = get_object_or_404(Intervention.objects.select_related("lead_organisation"), pk=pk)
    if not may_edit_intervention(request.user, intervention):
        record(request, "access_denied", intervention, view=view)
        raise PermissionDenied(
            "Only the intervention's own organisations and programme managers may change it."
        )
    return intervention


def may_see_application(user: Any, application: Application) -> bool:
    """Partners see their own organisation's applications (and anyone's once awarded); others all."""
    if role_of(user) != Role.PARTNER:
        return role_of(user) is not None
    own = organisation_of(user)
    return application.state in Application.AWARDED_STATES or (
        own is not None and application.organisation_id == own.pk
    )


def may_see_application_internals(user: Any, application: Application) -> bool:
    """The gate records and the uploaded plan: the applying organisation, analysts and editors only. Other
    readers of an awarded application see what the public sees of it."""
    if may_edit(user) or role_of(user) == Role.ANALYST:
        return True
    own = organisation_of(user)
    return role_of(user) == Role.PARTNER and own is not None and application.organisation_id == own.pk


def may_edit_application(user: Any, application: Application) -> bool:
    """Editors always; the applying organisation's partners while it is a draft."""
    if may_edit(user):
        return True
    own = organisation_of(user)
    return (
        role_of(user) == Role.PARTNER
        and own is not None
        and application.organisation_id == own.pk
        and application.state == Application.State.DRAFT
    )


def visible_applications(user: Any) -> QuerySet[Application]:
    apps = Application.objects.select_related("organisation", "funding_round", "priority", "tier")
    if role_of(user) == Role.PARTNER:
        own = organisation_of(user)
        mine = Q(organisation=own) if own is not None else Q(pk__in=[])
        apps = apps.filter(mine | Q(state__in=Application.AWARDED_STATES))
    return apps


# -- the .json and .csv twins --------------------------------------------------------------------------------
def _cell(value: Any) -> Any:
    """A list as one cell, None as an empty one; vrhub.spreadsheet then quotes text a spreadsheet runs."""
    if value is None:
        return ""
    return ", ".join(map(str, value)) if isinstance(value, list) else value


def json_response(payload: Any, filename: str | None = None) -> HttpResponse:
    response = HttpResponse(
        json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_text(rows: list[dict[str, Any]], columns: Iterable[str]) -> str:
    columns = list(columns)
    return spreadsheet.csv_text(columns, ([_cell(row.get(c)) for c in columns] for row in rows))


def csv_response(rows: list[dict[str, Any]], columns: Iterable[str], filename: str) -> HttpResponse:
    response = HttpResponse(csv_text(rows, columns), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def twin(
    request: HttpRequest,
    fmt: str,
    template: str,
    context: dict[str, Any],
    rows: list[dict[str, Any]],
    name: str,
) -> HttpResponse:
    """The page (fmt ''), or its rows as JSON ({"count", "results"}) or CSV (one header row)."""
    if fmt == "json":
        return json_response({"count": len(rows), "results": rows})
    if fmt == "csv":
        columns = list(rows[0]) if rows else context.get("columns", [])
        return csv_response(rows, columns, f"{name}.csv")
    return render(request, template, {**context, "rows": rows})


def money(value: Any) -> str:
    return "" if value is None else f"£{value:,.0f}"


def form_page(
    request: HttpRequest,
    form: Any,
    on_valid: Any,
    heading: str,
    template: str = "delivery/form.html",
    **context: Any,
) -> HttpResponse:
    """Show the form; on a valid POST call on_valid(form) -> response. A refusal by the model itself
    (ValidationError on save) comes back on the form, in the error summary, like any other error."""
    from django.core.exceptions import ValidationError

    if request.method == "POST" and form.is_valid():
        try:
            return on_valid(form)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
    errors = form.error_list() if form.is_bound else []
    page = {"form": form, "errors": errors, "heading": heading, **context}
    return render(request, template, page, status=400 if errors else 200)
