"""The API's measure rows carry what the CSV carries: months of data, whose age or sex a breakdown counts,
the statistics against the baseline and the notes saying why a figure is blank or adjusted."""

from __future__ import annotations

import pytest

from tests.web.conftest import bearer
from vrhub.config import FORCE_CODE

pytestmark = pytest.mark.slow


@pytest.mark.django_db
def test_measure_rows_carry_months_people_baseline_statistics_and_notes(web_data, token_for) -> None:
    from vrhub.measures import COLUMNS

    _, key = token_for("analyst")
    response = bearer(key).get(
        "/api/measures", {"measure": "ed_assault_attendances", "by": "age_band"}, secure=True
    )
    assert response.status_code == 200
    items = response.json()["items"]
    assert items and all(list(r) == COLUMNS for r in items)
    rows = {r["breakdown"]: r for r in items if r["area_code"] == FORCE_CODE and r["period"] == "2019"}
    # tests/fixtures/ed-attendances/good.csv: five assaults, all in March 2019: one month of data.
    total = rows[""]
    assert total["value"] == 5 and total["months"] == 1
    assert total["notes"].startswith("part period: 1 of 12 months of data")
    assert total["breakdown_person"] == ""
    assert {r["breakdown_person"] for b, r in rows.items() if b} == {"patient"}
    assert sum(r["value"] for b, r in rows.items() if b) == 5  # the bands add up to the total
    # 2019 is its own baseline: the statistics against it say no change.
    assert total["rate_ratio_vs_baseline"] == 1.0 and total["p_value_vs_baseline"] == 1.0
