"""Areas and serious-violence definitions (any signed-in user or token)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from vrhub.definitions import Definition, definitions
from vrhub.definitions import get_definition as lookup_definition
from vrhub.web.api import data
from vrhub.web.api.auth import SIGNED_IN
from vrhub.web.api.schemas import AreaOut, DefinitionOut, DefinitionSummary, ErrorOut

router = Router(auth=SIGNED_IN, tags=["reference"])


@router.get(
    "/areas",
    response={200: list[AreaOut], 401: ErrorOut},
    operation_id="list_areas",
    summary="The force area and its boroughs, with their ONS codes",
)
def list_areas(request: HttpRequest) -> list[dict]:
    return data.areas()


def summary(d: Definition) -> dict:
    return {
        "name": d.name,
        "title": d.title,
        "version": d.label,
        "applies_to": d.applies_to,
        "description": d.description,
        "source": d.source,
        "proxy": d.proxy,
        "exclude_flags": list(d.exclude_flags),
    }


@router.get(
    "/definitions",
    response={200: list[DefinitionSummary], 401: ErrorOut},
    operation_id="list_definitions",
    summary="The serious-violence definitions in force",
)
def list_definitions(request: HttpRequest) -> list[dict]:
    return [summary(d) for d in sorted(definitions().values(), key=lambda d: d.name)]


@router.get(
    "/definitions/{name}",
    response={200: DefinitionOut, 401: ErrorOut, 404: ErrorOut},
    operation_id="get_definition",
    summary="One definition: its version, its YAML text and the offence codes it counts",
)
def get_definition(request: HttpRequest, name: str) -> dict:
    d = lookup_definition(name)  # UnknownDefinition, answered by api.vrhub_error
    rules = [
        {
            "label": r.label,
            "offence_codes": [{"code": c, "label": label} for c, label in r.offence_codes],
            "any_flag": list(r.any_flag),
            "crime_types": list(r.crime_types),
            "offence_groups": list(r.offence_groups),
        }
        for r in d.rules
    ]
    return {
        **summary(d),
        "stated_version": d.version,
        "sha256": d.sha256,
        "text": d.text,
        "codes": d.codes(),
        "rules": rules,
    }
