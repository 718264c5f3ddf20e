"""The pages and the API break down the measures the catalogue says break down (Catalogue.breakable): no
reported indicator and no measure split by a column of its own is asked for by age band or sex."""

from __future__ import annotations

import pytest

from tests.web.conftest import bearer
from vrhub.measures import builtin_catalogue

pytestmark = pytest.mark.slow


@pytest.mark.django_db
@pytest.mark.parametrize("by", ["age_band", "sex"])
def test_every_breakdown_is_of_the_catalogues_breakable_measures(web_data, token_for, by: str) -> None:
    from vrhub.web import figures

    breakable = builtin_catalogue().breakable(by)
    # Every source those measures count is loaded (web_data): each has rows, broken down.
    frame = figures.measures_frame(by=by)
    assert set(frame["measure_id"]) == set(breakable)
    assert set(frame.loc[frame["breakdown"].str.startswith(f"{by}="), "measure_id"]) == set(breakable)
    _, key = token_for("viewer")
    body = bearer(key).get("/api/measures", {"by": by, "limit": 1}, secure=True).json()
    offset, measures = 0, set()
    while offset < body["count"]:
        page = bearer(key).get("/api/measures", {"by": by, "limit": 1000, "offset": offset}, secure=True)
        measures |= {r["measure_id"] for r in page.json()["items"]}
        offset += 1000
    assert measures == set(breakable)
