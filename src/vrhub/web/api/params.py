"""Query parameters the measure endpoints share, declared once with their descriptions for the spec."""

from __future__ import annotations

from typing import Annotated

from ninja import Query

from vrhub.web.api.schemas import Severity

MAX_LIMIT = 10_000

MeasureParam = Annotated[
    str | None, Query(None, description="A measure id (GET /api/catalogue); all measures if absent.")
]
# Period and breakdown are plain strings here: the library checks them, so a bad one comes back with the
# same parameter, value and hint as on the command line and the pages (see api.vrhub_error).
PeriodParam = Annotated[
    str | None,
    Query(
        None,
        description="Period kind: year, financial-year, quarter or month; each measure's natural period if "
        "absent.",
    ),
]
AreaParam = Annotated[
    str | None,
    Query(None, description="An area code (GET /api/areas); the force and all boroughs if absent."),
]
ByParam = Annotated[
    str | None,
    Query(
        None,
        description="Add rows broken down by age band (age_band) or sex (sex). Without a measure: every "
        "measure whose source records ages (or sexes), since some (fire call-outs) do not, and that is not "
        "split by a column of its own.",
    ),
]
LimitParam = Annotated[int, Query(1000, ge=1, le=MAX_LIMIT, description="At most this many rows.")]
OffsetParam = Annotated[int, Query(0, ge=0, description="Rows to skip, for the next page.")]
SourceParam = Annotated[
    str | None, Query(None, description="A source (ed-attendances) or its table (ed_attendances).")
]
SeverityParam = Annotated[Severity | None, Query(None, description="Only findings of this severity.")]
