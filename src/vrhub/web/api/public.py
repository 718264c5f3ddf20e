"""Endpoints anyone may call: figures as they may be published, with disclosure control."""

from __future__ import annotations

from dataclasses import asdict

from django.http import HttpRequest
from ninja import Router

from vrhub.reports.published import figures, self_disagreements
from vrhub.web.api import data
from vrhub.web.api.measures import known_area, known_measure, page
from vrhub.web.api.params import AreaParam, ByParam, LimitParam, MeasureParam, OffsetParam, PeriodParam
from vrhub.web.api.schemas import (
    ErrorOut,
    PublicPage,
    PublishedOut,
    ValidationErrorOut,
)

router = Router(auth=None, tags=["public"])


@router.get(
    "/public/measures",
    response={200: PublicPage, 404: ErrorOut, 422: ValidationErrorOut | ErrorOut},
    operation_id="list_public_measures",
    summary="Measure values as they may be published",
)
def list_public_measures(
    request: HttpRequest,
    measure: MeasureParam = None,
    period: PeriodParam = None,
    area: AreaParam = None,
    by: ByParam = None,
    limit: LimitParam = 1000,
    offset: OffsetParam = 0,
) -> dict:
    """Below the force-wide total, counts of 1 to 7 are shown as '*' and others rounded to the nearest 5
    (the NHS HES rule), with further cells suppressed where a hidden one could be worked out from a total
    and the cells beside it. Boroughs are published by calendar year for the whole population only; a
    breakdown (`by`) or a month, quarter or financial year gives the force-wide rows alone, since a
    borough's months add up to its year and its bands to its whole figure. Rates come from the rounded
    counts, and changes are given for the force-wide totals only."""
    known_measure(measure)
    known_area(area)
    rows = data.public_rows(measure, period, by)
    if area is not None:
        rows = [r for r in rows if r["area_code"] == area]
    return page(rows, limit, offset)


@router.get(
    "/published-figures",
    response={200: PublishedOut},
    operation_id="list_published_figures",
    summary="The figures the VRP strategy publishes, and where they disagree with their own arithmetic",
)
def published_figures(request: HttpRequest) -> dict:
    return {
        "figures": [asdict(f) for f in figures()],
        "disagreements": [asdict(d) for d in self_disagreements()],
    }
