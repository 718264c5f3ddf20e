"""Hot spots by LSOA (Getis-Ord Gi* with space-time classes): the figures of the hot-spots page."""

from __future__ import annotations

import math
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from vrhub.reports.disclosure import SUPPRESSED
from vrhub.web import figures, published
from vrhub.web.accounts.access import sees_exact_counts
from vrhub.web.api.auth import SIGNED_IN
from vrhub.web.api.measures import known_measure, page
from vrhub.web.api.params import LimitParam, OffsetParam
from vrhub.web.api.schemas import ErrorOut, HotspotsOut, ValidationErrorOut

router = Router(auth=SIGNED_IN, tags=["analysis"])

HotMeasureParam = Annotated[
    str | None,
    Query(None, description="A measure counted from records (GET /api/catalogue); not with crime_type."),
]
CrimeTypeParam = Annotated[
    str | None, Query(None, description="A police.uk crime type, e.g. Robbery; not with measure.")
]
StartParam = Annotated[
    str | None, Query(None, description="First month, YYYY-MM (default: the first loaded).")
]
EndParam = Annotated[str | None, Query(None, description="Last month, YYYY-MM (default: the last loaded).")]
AllParam = Annotated[
    bool, Query(False, description="Every LSOA of the area, hottest first; only the hot spots if false.")
]


def _number(value: Any) -> float | None:
    number = float(value)
    return None if math.isnan(number) else number


def _row(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "lsoa_code": record["lsoa_code"],
        "lsoa_name": record["lsoa_name"],
        "lad_code": record["lad_code"],
        "count": record["count"] if record["count"] == SUPPRESSED else int(record["count"]),
        "gi_z": _number(record["gi_z"]),
        "p_value": _number(record["p_value"]),
        "p_fdr": _number(record["p_fdr"]),
        "hot": bool(record["hot"]),
        "space_time_class": str(record["class"] or ""),
    }


@router.get(
    "/hotspots",
    response={200: HotspotsOut, 401: ErrorOut, 422: ValidationErrorOut | ErrorOut},
    operation_id="list_hotspots",
    summary="Hot spots by LSOA for a measure or a police.uk crime type",
)
def list_hotspots(
    request: HttpRequest,
    measure: HotMeasureParam = None,
    crime_type: CrimeTypeParam = None,
    start: StartParam = None,
    end: EndParam = None,
    all: AllParam = False,  # noqa: A002  (the parameter's public name)
    limit: LimitParam = 1000,
    offset: OffsetParam = 0,
) -> dict:
    """The LSOAs whose counts are significantly high with their neighbours' (Gi*, Benjamini-Hochberg FDR),
    hottest first, each with its space-time class over the months, and the method in words. With neither
    measure nor crime_type: every police.uk crime."""
    known_measure(measure)
    if sees_exact_counts(request.user):
        result = figures.hotspots(measure, crime_type, start, end)
    else:  # the public edition's counts ('*', rounded to 5): see vrhub.web.published
        result = published.hotspots(measure, crime_type, start, end)
    table = result.table if all else result.hotspots
    rows = [_row(r) for r in table.to_dict("records")]
    meta = result.metadata
    return {
        "subject": str(meta.get("subject", "")),
        "period": result.period_label,
        "months": list(meta["months"]),
        "lsoas": int(meta["lsoas"]),
        "hot": int(meta["hot"]),
        "alpha": float(meta["alpha"]),
        "method": str(meta["method"]),
        "classes": str(meta["classes"]),
        "vintage": result.vintage_note,
        **page(rows, limit, offset),
    }


@router.get(
    "/hotspots.geojson",
    response={200: dict, 401: ErrorOut, 422: ValidationErrorOut | ErrorOut},
    operation_id="get_hotspots_geojson",
    summary="Every LSOA with its hot-spot figures, as GeoJSON (longitude and latitude, EPSG:4326)",
)
def hotspots_geojson(
    request: HttpRequest,
    measure: HotMeasureParam = None,
    crime_type: CrimeTypeParam = None,
    start: StartParam = None,
    end: EndParam = None,
) -> HttpResponse:
    known_measure(measure)
    exact = sees_exact_counts(request.user)
    source = figures if exact else published
    return HttpResponse(
        source.hotspots_geojson(measure, crime_type, start, end), content_type="application/geo+json"
    )
