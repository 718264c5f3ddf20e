"""The overview's table of every measure, read at a glance: figures from the engine, the verdict by polarity
(the engine's like-for-like change against a part baseline year), the sparkline and its words, thousands
separators on the page and none in the CSV."""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest
from scipy.stats import binomtest

from vrhub.config import FORCE_CODE
from vrhub.measures import MeasureRequest, load_catalogue
from vrhub.measures.catalogue import Catalogue
from vrhub.stats.wording import verdict
from vrhub.web.dashboard import glance, tables


def _frame(measure: str, values: dict[str, float], **engine: dict[str, object]) -> pd.DataFrame:
    """Figures by period, with any of the engine's columns given as {period: value} (`engine`)."""
    frame = pd.DataFrame(
        {
            "measure_id": measure,
            "period": list(values),
            "area_code": FORCE_CODE,
            "area_name": "Merseyside",
            "breakdown": "",
            "value": list(values.values()),
            "unit": "offences",
            "rate_per_100k": 1.0,
            "change_vs_previous_pct": 999.0,
            "change_vs_baseline_pct": 999.0,
            "definition_version": "x",
        }
    )
    for column, by_period in engine.items():
        frame[column] = [by_period.get(p) for p in values]
    return frame


def _with_polarity(polarity: str) -> Catalogue:
    real = load_catalogue()
    changed = dataclasses.replace(real.get("local_sv_offences"), polarity=polarity)
    return Catalogue(measures={**real.measures, "local_sv_offences": changed}, sha256=real.sha256)


@pytest.mark.parametrize(
    ("polarity", "expected"),
    [("lower_is_better", "better"), ("higher_is_better", "worse"), ("neutral", "changed")],
)
def test_the_verdict_reads_the_engines_like_for_like_baseline_by_polarity(
    polarity: str, expected: str
) -> None:
    # The 2019 baseline holds Apr-Dec: 900. Of 2021's 1,080, 720 fell in Apr-Dec: like for like -20% (the
    # engine's ratio 0.8, exact conditional test of 720 of 1,620 at one half: p < 0.001). Per month of data
    # it would be 90 a month against 100 (-10%); by the totals +20%. The page shows the engine's -20%.
    frame = _frame(
        "local_sv_offences",
        {"2019": 900.0, "2020": 1_000.0, "2021": 1_080.0},
        months={"2019": 9, "2020": 12, "2021": 12},
        rate_ratio_vs_baseline={"2021": 0.8},
        p_value_vs_baseline={"2021": binomtest(720, 1_620, 0.5).pvalue},
        notes={"2021": "change on 2019 like for like: on Apr-Dec of both, 9 months"},
    )
    partial = {"police_records": {"2019": 9}}
    summary = tables.summary_rows(frame, _with_polarity(polarity), partial, FORCE_CODE, ["local_sv_offences"])
    [row] = glance.rows(summary, {})
    assert row["period"] == "2021" and row["baseline_period"] == "2019 (9 months of data)"
    assert round(row["change_vs_baseline_pct"], 6) == -20.0
    assert row["baseline_like_for_like"] == "Apr-Dec of both, 9 months"
    assert row["baseline_p_value"] < 0.001
    assert row["verdict_against"] == "baseline" and row["verdict"] == expected


def test_the_verdict_rules() -> None:
    assert verdict(-12.0, 0.001, "lower_is_better") == "better"
    assert verdict(-12.0, 0.001, "higher_is_better") == "worse"
    assert verdict(12.0, 0.001, "higher_is_better") == "better"
    assert verdict(12.0, 0.30, "lower_is_better") == "no significant change"
    assert verdict(12.0, 0.001, "lower_is_better", small=True) == "too few to tell"
    assert verdict(12.0, 0.001, "lower_is_better", recording=True) == "may be a recording change"
    assert verdict(None, None) == "not tested" and verdict(5.0, float("nan")) == "not tested"


def test_a_measure_whose_latest_year_is_the_baseline_is_judged_on_the_year_before() -> None:
    # 2019 against 2018: 50 -> 20, p well under 0.05 (exact test, 20 of 70 at one half: p < 0.001).
    frame = _frame(
        "local_sv_offences",
        {"2018": 50.0, "2019": 20.0},
        rate_ratio={"2019": 0.4},
        p_value={"2019": binomtest(20, 70, 0.5).pvalue},
    )
    summary = tables.summary_rows(frame, load_catalogue(), {}, FORCE_CODE, ["local_sv_offences"])
    [row] = glance.rows(summary, {})
    assert row["verdict_against"] == "previous" and row["verdict"] == "better"


def test_sparkline_is_inline_svg_with_its_figures_in_words() -> None:
    points = [("2020-01", 1_200.0), ("2020-02", 900.0), ("2020-03", 1_500.0), ("2020-04", 1_000.0)]
    words = glance.describe(points)
    assert words == (
        "Monthly figures, Jan 2020 to Apr 2020: lowest 900 (Feb 2020), highest 1,500 (Mar 2020), "
        "latest 1,000 (Apr 2020)."
    )
    svg = str(glance.sparkline(points))
    assert svg.startswith("<svg") and 'role="img"' in svg and f'aria-label="{words}"' in svg
    assert f"<title>{words}</title>" in svg
    # The highest point at the top (y = 3), the lowest at the bottom (y = 25), four points in all.
    line = re.search(r'points="([^"]+)"', svg).group(1).split()
    assert len(line) == 4 and line[1].endswith(",25.0") and line[2].endswith(",3.0")


def test_series_leaves_out_a_part_year_where_there_are_no_months() -> None:
    frame = _frame("local_sv_offences", {"2018": 9.0, "2019": 20.0, "2020": 22.0})
    empty = frame.iloc[0:0]
    found = glance.series(
        empty, frame, FORCE_CODE, {"police_records": {"2018": 9}}, {"local_sv_offences": "police_records"}
    )
    assert found == {"local_sv_offences": [("2019", 20.0), ("2020", 22.0)]}


def _glance_cells(html: str) -> dict[str, str]:
    table = html.split('id="at-a-glance"', 1)[1].split("</table>", 1)[0]
    return dict(
        re.findall(r'<tr class="govuk-table__row" id="glance-([^"]+)">.*?data-value="([^"]*)"', table, re.S)
    )


@pytest.mark.slow
@pytest.mark.django_db
def test_overview_table_rows_are_the_engines_latest_figures(web_data, client_as) -> None:
    from vrhub.web.warehouse import hub

    html = client_as("viewer").get("/dashboard/", secure=True).content.decode()
    # The table leads: before the first card.
    assert html.index('id="at-a-glance"') < html.index('class="vrhub-card"')
    cells = _glance_cells(html)
    result = hub().measures(MeasureRequest())
    df = result.table.to_pandas()
    catalogue = load_catalogue()
    whole = df[(df.area_code == FORCE_CODE) & (df.breakdown == "")]
    expected = {}
    for measure_id, rows in whole.groupby("measure_id"):
        measure = catalogue.get(measure_id)
        period = tables.latest_period(df, measure, result.partial)
        value = rows[rows.period == period]["value"]
        if len(value) and pd.notna(value.iloc[0]):
            expected[measure_id] = float(value.iloc[0])
    assert {m: float(v) for m, v in cells.items()} == expected
    # Hand count (tests/web/test_dashboard.py): 5 serious violence offences in Merseyside in 2019.
    assert float(cells["local_sv_offences"]) == 5
    row = html.split('id="glance-local_sv_offences"', 1)[1].split("</tr>", 1)[0]
    assert "offences, 2019" in row and "This is the baseline" in row and "not tested" in row


@pytest.mark.slow
@pytest.mark.django_db
def test_thousands_separators_on_the_page_none_in_the_csv(web_data, client_as, monkeypatch) -> None:
    from vrhub.web.dashboard import data

    real = data.annual()
    frame = real.copy()
    mine = (
        (frame.measure_id == "local_sv_offences") & (frame.area_code == FORCE_CODE) & (frame.breakdown == "")
    )
    frame.loc[mine & (frame.period == "2019"), "value"] = 12_345.0
    monkeypatch.setattr(data, "annual", lambda exact=True: frame)
    viewer = client_as("viewer")
    html = viewer.get("/dashboard/", secure=True).content.decode()
    assert '<span class="vrhub-figure">12,345</span>' in html
    row = html.split('id="glance-local_sv_offences"', 1)[1].split("</tr>", 1)[0]
    assert "12,345<br>" in row
    csv_text = viewer.get("/measures/local_sv_offences.csv", secure=True).content.decode()
    assert "12345" in csv_text and "12,345" not in csv_text


@pytest.mark.slow
@pytest.mark.django_db
def test_a_configured_base_map_credits_openstreetmap(web_data, client_as, settings) -> None:
    viewer = client_as("viewer")
    plain = viewer.get("/hotspots/", secure=True).content.decode()
    assert "OpenStreetMap" not in plain and 'data-tile-attribution=""' in plain
    settings.VRHUB_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    html = viewer.get("/hotspots/", secure=True).content.decode()
    credit = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
    assert f"Base map: {credit}." in html  # beneath the map, without script
    assert 'data-tile-attribution="&amp;copy; &lt;a href=' in html  # for Leaflet's corner
