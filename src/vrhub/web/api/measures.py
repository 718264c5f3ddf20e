"""Measures for signed-in users and tokens (any role: these are aggregates)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from vrhub.errors import UnknownArea
from vrhub.web import figures
from vrhub.web.accounts.access import sees_exact_counts
from vrhub.web.api import data
from vrhub.web.api.auth import SIGNED_IN
from vrhub.web.api.params import AreaParam, ByParam, LimitParam, MeasureParam, OffsetParam, PeriodParam
from vrhub.web.api.schemas import (
    CatalogueEntry,
    ErrorOut,
    MeasurePage,
    ValidationErrorOut,
)

router = Router(auth=SIGNED_IN, tags=["measures"])


def known_measure(measure: str | None) -> None:
    if measure is not None:
        figures.catalogue().get(measure)  # UnknownMeasure, answered by api.vrhub_error


def known_area(area: str | None) -> None:
    areas = data.areas()
    if area is not None and area not in {a["code"] for a in areas}:
        raise UnknownArea.among(area, [(a["code"], a["name"]) for a in areas])


def page(rows: list, limit: int, offset: int) -> dict:
    return {"count": len(rows), "limit": limit, "offset": offset, "items": rows[offset : offset + limit]}


@router.get(
    "/measures",
    response={200: MeasurePage, 401: ErrorOut, 422: ValidationErrorOut | ErrorOut},
    operation_id="list_measure_rows",
    summary="Measure values by period, area and breakdown",
)
def list_measures(
    request: HttpRequest,
    measure: MeasureParam = None,
    period: PeriodParam = None,
    area: AreaParam = None,
    by: ByParam = None,
    limit: LimitParam = 1000,
    offset: OffsetParam = 0,
) -> dict:
    """The engine's rows: value, months of data, changes against the previous period and the baseline,
    rate per 100,000 of the population the row is about, and the statistics of each change (rate ratio with
    its confidence interval and p-value; Wheeler z against the previous period), with notes saying why a
    figure is blank or adjusted (a part period compared like for like, over the months both periods hold).

    A caller whose role is given the public edition (programme manager, viewer) gets the rows and values
    the public edition publishes: below the force area, counts of 1 to 7 and the cells hidden beside them
    as '*', other counts rounded to the nearest 5, no change statistics; borough rows
    by calendar year and for the whole population only."""
    known_measure(measure)
    known_area(area)
    if sees_exact_counts(request.user):
        rows = data.measure_rows(measure, period, area, by)
    else:
        rows = data.protected_rows(measure, period, area, by)
    partial = data.partial_periods(measure, period, area, by)
    return {**page(rows, limit, offset), "partial_periods": partial}


def entry(measure_id: str) -> dict:
    m = figures.catalogue().measures[measure_id]
    return {
        "id": m.id,
        "title": m.title,
        "source": m.source,
        "count": m.count,
        "unit": m.unit,
        "population": m.population,
        "polarity": m.polarity,
        "baseline": m.baseline,
        "definition": m.definition,
        "definition_version": m.definition_version,
        "strategy": m.strategy,
        "value": m.value,
        "split_by": m.split_by,
        "note": m.note,
    }


@router.get(
    "/catalogue",
    response={200: list[CatalogueEntry], 401: ErrorOut},
    operation_id="list_catalogue",
    summary="Every measure in the catalogue",
)
def list_catalogue(request: HttpRequest) -> list[dict]:
    return [entry(m) for m in figures.catalogue().measures]


@router.get(
    "/measures/{measure_id}",
    response={200: CatalogueEntry, 401: ErrorOut, 404: ErrorOut},
    operation_id="get_measure",
    summary="One measure's catalogue entry",
)
def get_measure(request: HttpRequest, measure_id: str) -> dict:
    known_measure(measure_id)
    return entry(measure_id)
