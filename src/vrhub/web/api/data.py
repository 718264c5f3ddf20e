"""What the API reads from the warehouse, each computed once per warehouse state (see vrhub.web.figures)
and kept as plain records, so a request only filters and slices lists."""

from __future__ import annotations

from typing import Any

import pandas as pd

from vrhub.measures import MeasureResult
from vrhub.reports.disclosure import PUBLIC_COLUMNS
from vrhub.web import figures, published
from vrhub.web.warehouse import hub


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts of Python values, with None (not NaN) for a blank."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def result(measure: str | None, period: str | None, area: str | None, by: str | None) -> MeasureResult:
    # Without a measure, a breakdown is of the measures the catalogue says break down (figures.measures).
    return figures.measures(measure, period, area, by)


def _frame(measure: str | None, period: str | None, area: str | None, by: str | None) -> pd.DataFrame:
    # Only the filters given, so these share figures.warm()'s cache entries.
    given = {"measure": measure, "period": period, "area": area, "by": by}
    return figures.measures_frame(**{k: v for k, v in given.items() if v is not None})


def measure_rows(measure: str | None, period: str | None, area: str | None, by: str | None) -> list[dict]:
    return figures.cached(
        ("api-measures", measure, period, area, by), lambda: records(_frame(measure, period, area, by))
    )


def partial_periods(measure: str | None, period: str | None, area: str | None, by: str | None) -> dict:
    return result(measure, period, area, by).partial


def public_rows(measure: str | None, period: str | None, by: str | None) -> list[dict]:
    """Every area's published rows (see vrhub.web.published). Disclosure control needs all boroughs at once (a
    suppressed borough is protected by suppressing a second one), so an area filter is applied to this,
    never before it."""

    def make() -> list[dict]:
        shown = published.frame(measure, period, by)
        return records(shown[[c for c in PUBLIC_COLUMNS if c in shown.columns]])

    return figures.cached(("api-public", measure, period, by), make)


def protected_rows(measure: str | None, period: str | None, area: str | None, by: str | None) -> list[dict]:
    """The engine's rows as a role given the public edition may see them: the public edition's rows and
    values, with the engine's other columns (months, notes) beside them."""

    def make() -> list[dict]:
        shown = published.frame(measure, period, by)
        if area is not None:
            shown = shown[shown["area_code"] == area]
        return records(shown)

    return figures.cached(("api-protected", measure, period, area, by), make)


def areas() -> list[dict[str, str]]:
    return figures.areas()


def quality_findings() -> list[dict]:
    return figures.cached(("api-quality",), lambda: records(hub().quality().findings))


def _read_loads() -> list[dict]:
    frame = (
        hub().loads().to_pandas().drop(columns=["file_path"])
    )  # the server's own folders are no one's business
    # Stored as naive UTC; said so, since a date-time without its zone is not RFC 3339.
    frame["loaded_at"] = pd.to_datetime(frame["loaded_at"]).dt.tz_localize("UTC")
    return records(frame)


def loads() -> list[dict]:
    return figures.cached(("api-loads",), _read_loads)
