"""The public page: published figures only, with disclosure control, and no sign-in."""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
import pytest

from vrhub.config import FORCE_CODE
from vrhub.measures import load_catalogue

pytestmark = pytest.mark.django_db


def _cell(html: str, measure_title: str, area: str) -> str:
    """The text of the public table's cell for one measure's row and one area."""
    row = html.split(measure_title, 1)[1].split("</tr>", 1)[0]
    found = re.search(rf'data-area="{area}">(.*?)</td>', row, re.S)
    assert found, (measure_title, area)
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


@pytest.mark.slow
def test_public_page_needs_no_sign_in_and_suppresses_small_borough_counts(web_data, client) -> None:
    response = client.get("/", secure=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "suppressed to protect small numbers" in html and "rounded to the nearest 5" in html
    title = load_catalogue().get("local_sv_offences").title
    # Hand count (tests/fixtures/police-records/good.csv): 5 SV offences in Merseyside, 2 in Knowsley and
    # 1 in St Helens. The force total is published exactly; 1 and 2 are 1-7, so '*'. Showing the other
    # boroughs' 0 would give the two '*' a sum of 5 - 0 = 5, under 8, and no borough can lift it to 8:
    # every borough is hidden (issue 12, item 11).
    assert _cell(html, title, FORCE_CODE) == "5"
    for borough in ("E08000011", "E08000012", "E08000013", "E08000014", "E08000015"):
        assert _cell(html, title, borough) == "*"
    # Nothing record-level and no quality internals on the public page.
    assert "quarantine" not in html.lower() and "Data quality" not in html


@pytest.mark.slow
def test_published_csv_holds_the_same_protected_figures(web_data, client) -> None:
    response = client.get("/published.csv", secure=True)
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    sv = {r["area_code"]: r["value"] for r in rows if r["measure_id"] == "local_sv_offences"}
    assert sv[FORCE_CODE] in ("5", "5.0") and sv["E08000011"] == "*" and sv["E08000013"] == "*"
    # Only the strategy's Table 1 and 2 measures, whole population, one period each.
    assert {r["breakdown"] for r in rows} == {""}
    assert not any(r["measure_id"] == "police_uk_sv_proxy" for r in rows)


def test_public_table_rounds_and_hides_the_cell_beside_a_suppressed_one() -> None:
    """A hand-made frame: force 120, boroughs 3, 12, 52, 23, 30 in 2021.

    3 is in 1-7: '*'. It is the only '*' among the boroughs, so 120 - (others) would give it back: the
    next smallest, 12, is hidden too. The rest round to 5: 52 -> 50, 23 -> 25, 30 -> 30. The force total
    is exact.
    """
    from vrhub.web.dashboard.tables import public_table

    catalogue = load_catalogue()
    areas = [(FORCE_CODE, "Merseyside"), ("A", "A"), ("B", "B"), ("C", "C"), ("D", "D"), ("E", "E")]
    values = [120, 3, 12, 52, 23, 30]
    frame = pd.DataFrame(
        {
            "measure_id": "local_sv_offences",
            "period": "2021",
            "area_code": [a for a, _ in areas],
            "area_name": [n for _, n in areas],
            "breakdown": "",
            "value": [float(v) for v in values],
            "unit": "offences",
            "rate_per_100k": [10.0] * 6,
            "change_vs_previous_pct": [5.0] * 6,
            "change_vs_baseline_pct": [-2.0] * 6,
            "definition_version": "x",
        }
    )
    [row] = public_table(frame, catalogue, {}, ["local_sv_offences"], areas)
    shown = {c["area_code"]: c["value"] for c in row["cells"]}
    assert shown == {FORCE_CODE: 120, "A": "*", "B": "*", "C": 50, "D": 25, "E": 30}
    assert [c["suppressed"] for c in row["cells"]] == [False, True, True, False, False, False]
    assert row["change_vs_baseline_pct"] == -2.0  # force-wide change, from exact totals
