"""Awarded grants in the 360Giving Data Standard (1.4): a JSON package {"grants": [...]} and the flattened
CSV that 360Giving's tools read, with column titles from the schema ("Amount Awarded",
"Beneficiary Location:0:Geographic Code", ...).

Beneficiary locations are the boroughs as ONS codes; Merseyside's five are metropolitan districts (E08),
which 360Giving's geoCodeType codelist calls "MD".
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from vrhub import spreadsheet
from vrhub.errors import BadValue, VrhubError, one_of
from vrhub.web.accounts.models import Organisation
from vrhub.web.delivery.models import Application
from vrhub.web.delivery.reference import boroughs

PREFIX = "360G-vrhub-"
FUNDER_NAME = "Merseyside Violence Reduction Partnership"
GEO_CODE_TYPE = "MD"  # geoCodeType.csv: E08 codes are Metropolitan Districts
LOCATION_SCOPE = "GLS050"  # locationScope.csv: local authority
SCHEMA_VERSION = "1.4"


def _org_id(org: Organisation) -> str:
    # Partners have no charity or company number recorded here; 360Giving accepts the publisher's own
    # prefix for organisations without an external identifier.
    return f"{PREFIX}org-{org.pk}"


def _funder() -> dict[str, str]:
    vrp = Organisation.objects.filter(kind=Organisation.Kind.VRP).order_by("pk").first()
    return {"id": _org_id(vrp) if vrp else f"{PREFIX}org-vrp", "name": vrp.name if vrp else FUNDER_NAME}


def _money(value: Decimal | None) -> float | int:
    value = Decimal(value or 0)
    return int(value) if value == value.to_integral_value() else float(value)


def _date(day: dt.date) -> str:
    # Written as a full date-time: the schema's oneOf (date-time format, or a YYYY-MM-DD pattern) matches
    # a bare date twice wherever the date-time format is not asserted (jsonschema without
    # rfc3339-validator), failing validation; a date-time matches exactly one branch either way.
    return f"{day.isoformat()}T00:00:00Z"


def _months(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + (1 if end.day >= start.day else 0)


def grant(app: Application, funder: dict[str, str] | None = None) -> dict[str, Any]:
    """One awarded application as a 360Giving grant."""
    start = (
        app.intervention.start_date if app.intervention and app.intervention.start_date else app.planned_start
    )
    end = app.intervention.end_date if app.intervention and app.intervention.end_date else app.planned_end
    codes = app.intervention.boroughs if app.intervention else app.boroughs
    out: dict[str, Any] = {
        "id": f"{PREFIX}{app.pk}",
        "title": app.title[:140],
        "description": app.summary,
        "currency": "GBP",
        "amountAppliedFor": _money(app.amount_requested),
        "amountAwarded": _money(app.amount_awarded),
        "awardDate": _date(app.awarded_on or app.modified_at.date()),
        "recipientOrganization": [{"id": _org_id(app.organisation), "name": app.organisation.name}],
        "fundingOrganization": [funder or _funder()],
        "grantProgramme": [
            {"code": f"{PREFIX}round-{app.funding_round_id}", "title": app.funding_round.title}
        ],
        "fromOpenCall": "Yes" if app.funding_round.published else "No",
        "classifications": [
            {"vocabulary": "vrhub-priority", "code": app.priority.slug, "title": app.priority.name},
            {"vocabulary": "vrhub-prevention-tier", "code": app.tier.slug, "title": app.tier.name},
        ],
        "dateModified": app.modified_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    if codes:
        out["beneficiaryLocation"] = [
            {"name": boroughs()[code], "geoCode": code, "geoCodeType": GEO_CODE_TYPE, "countryCode": "GB"}
            for code in codes
        ]
        out["locationScope"] = LOCATION_SCOPE
    if start:
        dates: dict[str, Any] = {"startDate": _date(start)}
        if end:
            dates["endDate"] = _date(end)
            dates["duration"] = _months(start, end)
        out["plannedDates"] = [dates]
    return out


def awarded_applications() -> Any:
    return (
        Application.objects.filter(state__in=Application.AWARDED_STATES)
        .select_related("organisation", "funding_round", "priority", "tier", "intervention")
        .order_by("awarded_on", "pk")
    )


def grants_package(applications: Any = None) -> dict[str, Any]:
    """{"grants": [...]} for every awarded (or active, or closed) application."""
    funder = _funder()
    apps = awarded_applications() if applications is None else applications
    return {
        "version": SCHEMA_VERSION,
        "title": f"{funder['name']} grants",
        "grants": [grant(app, funder) for app in apps],
    }


# The flattened column titles (360Giving's spreadsheet template): single-item lists are rolled up
# ("Recipient Org:Identifier"); beneficiary locations and classifications are numbered (":0:").
SIMPLE = [
    ("Identifier", ("id",)),
    ("Title", ("title",)),
    ("Description", ("description",)),
    ("Currency", ("currency",)),
    ("Amount Applied For", ("amountAppliedFor",)),
    ("Amount Awarded", ("amountAwarded",)),
    ("Award Date", ("awardDate",)),
    ("Planned Dates:Start Date", ("plannedDates", 0, "startDate")),
    ("Planned Dates:End Date", ("plannedDates", 0, "endDate")),
    ("Planned Dates:Duration (months)", ("plannedDates", 0, "duration")),
    ("Recipient Org:Identifier", ("recipientOrganization", 0, "id")),
    ("Recipient Org:Name", ("recipientOrganization", 0, "name")),
    ("Funding Org:Identifier", ("fundingOrganization", 0, "id")),
    ("Funding Org:Name", ("fundingOrganization", 0, "name")),
    ("Grant Programme:Code", ("grantProgramme", 0, "code")),
    ("Grant Programme:Title", ("grantProgramme", 0, "title")),
    ("From An Open Call?", ("fromOpenCall",)),
    ("Location Scope", ("locationScope",)),
    ("Last Modified", ("dateModified",)),
]
LOCATION = [
    ("Name", "name"),
    ("Geographic Code", "geoCode"),
    ("Geographic Code Type", "geoCodeType"),
    ("Country Code", "countryCode"),
]
CLASSIFICATION = [("Vocabulary", "vocabulary"), ("Code", "code"), ("Title", "title")]


def _get(obj: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        try:
            obj = obj[step]
        except (KeyError, IndexError, TypeError):
            return ""
    return obj


def csv_rows(package: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    grants = package["grants"]
    n_loc = max((len(g.get("beneficiaryLocation", [])) for g in grants), default=0)
    n_cls = max((len(g.get("classifications", [])) for g in grants), default=0)
    header = [title for title, _ in SIMPLE]
    header += [f"Beneficiary Location:{i}:{t}" for i in range(n_loc) for t, _ in LOCATION]
    header += [f"Classifications:{i}:{t}" for i in range(n_cls) for t, _ in CLASSIFICATION]
    rows = []
    for g in grants:
        row = [_get(g, path) for _, path in SIMPLE]
        row += [_get(g, ("beneficiaryLocation", i, key)) for i in range(n_loc) for _, key in LOCATION]
        row += [_get(g, ("classifications", i, key)) for i in range(n_cls) for _, key in CLASSIFICATION]
        rows.append(row)
    return header, rows


def package_csv(package: dict[str, Any]) -> str:
    """The grants as 360Giving's flat CSV; cells go through vrhub.spreadsheet, so a partner's title or
    description that starts like a formula is written with a leading '."""
    header, rows = csv_rows(package)
    return spreadsheet.csv_text(header, rows)


FORMATS = ("json", "csv")


def write_export(path: Path, fmt: str = "json") -> int:
    """Write the package as JSON or CSV; returns how many grants it holds. With no grant awarded there is
    nothing to write: 360Giving's package schema requires at least one grant."""
    if fmt not in FORMATS:
        raise BadValue(f"unknown format '{fmt}'", one_of(FORMATS), parameter="format", value=fmt)
    applications = awarded_applications()
    if not applications.exists():
        raise VrhubError("no awarded grants to export yet", "Award an application first.")
    package = grants_package(applications)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "json":
        path.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    else:
        path.write_text(package_csv(package), encoding="utf-8")
    return len(package["grants"])
