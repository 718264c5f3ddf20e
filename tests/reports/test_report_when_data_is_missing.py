"""The report a steering group can trust when data are missing or small: it builds on an empty hub, says
per source what is not loaded, takes its year from the data, keeps a hidden category on the chart with its
'*', and holds its own small-number rule at the force level too."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from vrhub.config import FORCE_CODE
from vrhub.hub import Hub
from vrhub.measures import load_catalogue
from vrhub.reports import charts
from vrhub.reports.build import FOOTERS, _differs, _not_loaded, _reconcile, write_report
from vrhub.reports.coverage import Coverage, report_year
from vrhub.reports.public import _small_counts
from vrhub.reports.reproduction import Check
from vrhub.reports.strategy_tables import strategy_table


def _months(first: str, last: str) -> tuple[str, ...]:
    return tuple(pd.period_range(first, last, freq="M").strftime("%Y-%m"))


def test_coverage_names_first_last_and_gaps() -> None:
    police_uk = Coverage("police_uk_crimes", "police.uk", 68_602, ("2014-04", *_months("2019-09", "2019-12")))
    assert (police_uk.first, police_uk.last) == ("2014-04", "2019-12")
    assert police_uk.gaps == ["2014-05 to 2019-08 (64 months)"]
    assert police_uk.text == (
        "April 2014 to December 2019 (5 months); no data for 2014-05 to 2019-08 (64 months)"
    )
    assert Coverage("fire_incidents", "Fire", 0).text == "not loaded"


def test_the_year_is_the_latest_whole_year_of_any_source_else_what_there_is() -> None:
    police = Coverage("police_records", "Police", 10, _months("2018-04", "2021-12"))
    ed = Coverage("ed_attendances", "ED", 10, _months("2019-01", "2022-12"))
    assert report_year([police, ed]).year == "2022"
    assert report_year([police, ed]).whole
    # police.uk only, no whole year: the latest year there is, marked as not whole, with its months.
    only = Coverage("police_uk_crimes", "police.uk", 5, ("2014-04", *_months("2019-09", "2019-12")))
    found = report_year([only, Coverage("police_records", "Police", 0)])
    assert (found.year, found.whole) == ("2019", False)
    assert found.months == {"police_uk_crimes": list(_months("2019-09", "2019-12"))}
    assert report_year([Coverage("police_records", "Police", 0)]).year is None


def test_a_figure_that_cannot_be_computed_reads_not_loaded_not_differs() -> None:
    missing = Check("local_sv_offences", "2021", "count", "40,490", "missing", False)
    no_change = Check("local_sv_offences", "2021", "change vs 2020", "+15%", "n/a", False)
    wrong = Check("local_sv_offences", "2021", "count", "40,490", "40,000", False)
    assert _not_loaded(missing) and _not_loaded(no_change) and not _differs(missing)
    assert _differs(wrong) and not _not_loaded(wrong)


def test_places_reconcile_the_force_with_its_boroughs() -> None:
    places = pd.DataFrame(
        {
            "area_code": [FORCE_CODE, "E08000011", "E08000012"],
            "value": [100, 40, 55],
            "rate_per_100k": [1, 2, 3],
        }
    )
    assert _reconcile(places) == {"no_borough": 5.0, "borough_sum": 95.0}
    # A hidden borough: no sum that would let a reader work it out.
    hidden = places.assign(value=[100, "*", 55])
    assert _reconcile(hidden) == {"no_borough": None, "borough_sum": None}


def test_a_suppressed_category_stays_on_the_chart_with_its_marker() -> None:
    df = pd.DataFrame(
        {
            "method": ["knife", "firearm", "other sharp"],
            "value": [120.0, float("nan"), 45.0],
            "suppressed": [False, True, False],
        }
    )
    svg = charts.bars(df, "method", "value", "By weapon, 2021", flag="suppressed", notes=["* suppressed"])
    assert ">firearm<" in svg  # the hidden category is on the axis
    assert re.search(r"<text[^>]*>\*</text>", svg)  # and marked where its bar would be


def test_the_public_footer_marking_is_whole() -> None:
    template = (Path(charts.__file__).parent / "templates" / "report.html.j2").read_text()
    assert "marking[:" not in template
    assert 'content: "{{ footer_marking }} - page "' in template
    # Short enough for the footer's width at 8pt on A4 (some 110 characters with the page number).
    assert all(len(text) <= 90 for text in FOOTERS.values())


def test_public_small_counts_at_the_force_level_are_not_shown_exactly() -> None:
    catalogue = load_catalogue()
    measure = "ho_non_domestic_knife_homicide_u25"
    if measure not in catalogue.measures:
        measure = next(m.id for m in catalogue.measures.values() if m.source == "police_records")
    values = {
        (measure, "2018", FORCE_CODE, ""): 9.0,
        (measure, "2019", FORCE_CODE, ""): 2.0,
        (measure, "2020", FORCE_CODE, ""): 0.0,
        (measure, "2021", FORCE_CODE, ""): 12.0,
    }
    rows = [
        r
        for t in ("table1", "table2")
        for r in strategy_table(t, values, catalogue)
        if r.measure_id == measure
    ]
    if not rows:
        pytest.skip(f"{measure} is in neither strategy table")
    data = {
        "values": values,
        "tables": [{"caption": "t", "rows": rows}],
        "summary": [],
        "stats": pd.DataFrame(),
        "checks": [Check(measure, "2019", "change vs 2018", "-100%", "-77.8%", False)],
    }
    out = _small_counts(data, catalogue)
    cells = out["tables"][0]["rows"][0].cells
    assert cells["2019"].text == "fewer than 10" and cells["2019"].change is None
    assert cells["2020"].text == "n=0"  # an exact zero is no small count to protect
    assert cells["2020"].change is None  # read off 2019's 2
    assert cells["2021"].text == "n=12" and cells["2021"].change is None  # against 2020's 0: no base
    assert "not shown" in out["checks"][0].computed


@pytest.mark.slow
@pytest.mark.parametrize("edition", ["public", "partner"])
def test_every_edition_builds_on_an_empty_hub_and_says_what_is_not_loaded(
    hub: Hub, tmp_path: Path, edition: str
) -> None:
    with hub.open(read_only=True) as wh:
        report = write_report(wh, tmp_path / "out", edition, pdf=False)
    html = report.html.read_text()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert html.count('class="missing">Not loaded<') == 6  # one row per source in section 3
    assert "No warnings" not in text
    assert "Nothing is loaded, so nothing was checked" in text
    assert "No police records loaded" in text  # the people section
    assert "no hot spot map" in text
    assert "2021" not in text.split("The year reported on:")[1][:40]  # no year assumed
    assert "reproduced within rounding; 0 cannot be" in text and "0 differ" in text
    assert "cannot be computed because their data are not loaded" in text


@pytest.mark.slow
def test_a_police_uk_only_hub_reports_its_months_not_a_fixed_2021(hub: Hub, tmp_path: Path) -> None:
    """One month of police.uk data (September 2019): the report says it covers that month, that no source
    holds a whole year, and draws what it can from it rather than falling back to 2021."""
    fixture = Path(__file__).parents[1] / "fixtures" / "police-uk" / "2019-09-merseyside-street-sample.csv"
    list(hub.ingest("police-uk", [fixture]))
    with hub.open(read_only=True) as wh:
        report = write_report(wh, tmp_path / "out", "public", pdf=False)
    html = report.html.read_text()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "The year reported on: 2019 (September only: no source holds a whole year)" in text
    assert "September 2019 to September 2019 (1 month)" in text  # section 3, beside the source
    assert html.count('class="missing">Not loaded<') == 5  # every other source
    assert "PROXY: police.uk" in text  # the places table counts the police.uk proxy
    assert "Source: police.uk street-level crimes" in text


def test_each_strategy_row_names_its_definition_and_version() -> None:
    from vrhub.reports.strategy_tables import counts

    catalogue = load_catalogue()
    victims = catalogue.get("local_sv_victims_u25")
    assert f"({victims.definition_version})" in counts(victims)
    assert victims.definition_version.startswith(victims.definition or "")


def test_a_suppressed_hour_is_marked_on_the_heatmap_not_left_blank() -> None:
    df = pd.DataFrame(
        {
            "hour": [0, 1, 2],
            "weekday": ["Monday"] * 3,
            "n": [20.0, float("nan"), 15.0],
            "suppressed": [False, True, False],
        }
    )
    svg = charts.heatmap(df, "hour", "weekday", "n", "By hour, 2021", flag="suppressed")
    assert len(re.findall(r"<text[^>]*>\*</text>", svg)) == 1
