"""Measures for signed-in users and tokens (any role: these are aggregates)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from vrhub.errors import VrhubError
from vrhub.web import figures
from vrhub.web.api import data
from vrhub.web.api.auth import SIGNED_IN
from vrhub.web.api.params import AreaParam, ByParam, LimitParam, MeasureParam, OffsetParam, PeriodParam
from vrhub.web.api.schemas import (
    CatalogueEntry,
    ErrorOut,
    MeasurePage,
    ValidationErrorOut,
)

T = TypeVar("T")

router = Router(auth=SIGNED_IN, tags=["measures"])


def known_measure(measure: str | None) -> None:
    if measure is not None and measure not in figures.catalogue().measures:
        raise HttpError(
            404, f"measure: no measure '{measure}' in the catalogue; GET /api/catalogue lists them."
        )


def known_area(area: str | None) -> None:
    if area is not None and area not in {a["code"] for a in data.areas()}:
        raise HttpError(
            404, f"area: no area with code '{area}'; GET /api/areas lists the force and boroughs."
        )


def page(rows: list, limit: int, offset: int) -> dict:
    return {"count": len(rows), "limit": limit, "offset": offset, "items": rows[offset : offset + limit]}


def computed(make: Callable[[], T]) -> T:
    """Run a measure computation; a combination the engine refuses (a breakdown a source lacks) is the
    caller's to fix, so it is a 422, not a server error."""
    try:
        return make()
    except VrhubError as exc:
        # The engine words its hints for the command line ('--by'); here they are query parameters.
        hint = exc.hint.replace("--by", "'by'").replace("--period", "'period'")
        parameter = (
            "by" if "break down" in exc.message else "period" if "period" in exc.message else "request"
        )
        raise HttpError(422, f"{parameter}: {exc.message}. {hint}".strip()) from exc


@router.get(
    "/measures",
    response={200: MeasurePage, 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut | ErrorOut},
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
    figure is blank or adjusted (a part period compared per month of data)."""
    known_measure(measure)
    known_area(area)
    rows = computed(lambda: data.measure_rows(measure, period, area, by))
    partial = computed(lambda: data.partial_periods(measure, period, area, by))
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
