"""The dashboard pages on the fixture warehouse (tests/fixtures/*/good.csv), checked against hand counts.

Hand counts from tests/fixtures/police-records/good.csv, local definition (merseyside_local), 2019:
crimes 000123 (8N, E01006412 Knowsley), 000124 (5D, E01033793), 000125 (34B, E01018570 St Helens),
000126 (1, homicide), 000128 (8N) are serious violence -> 5 offences in Merseyside; 2 of them in Knowsley,
1 in St Helens (the engine's borough split, checked below against hub().measures too).
"""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from vrhub.config import FORCE_CODE
from vrhub.measures import MeasureRequest

pytestmark = pytest.mark.django_db

KNOWSLEY, ST_HELENS, LIVERPOOL = "E08000011", "E08000013", "E08000012"
PAGES = [
    "/dashboard/",
    "/dashboard/?area=E08000011",
    "/measures/local_sv_offences/",
    "/measures/local_permanent_exclusions/",
    "/boroughs/E08000011/",
    "/hotspots/",
    "/quality/",
    "/definitions/",
    "/reports/",
]


def _engine_value(measure: str, area: str, period: str = "2019") -> float:
    from vrhub.web.warehouse import hub

    df = hub().measures(MeasureRequest(measures=[measure])).table.to_pandas()
    row = df[(df.area_code == area) & (df.period == period) & (df.breakdown == "")]
    return float(row["value"].iloc[0])


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.slow
def test_each_page_answers_a_signed_in_viewer_with_a_title_and_heading(web_data, client_as, path) -> None:
    response = client_as("viewer").get(path, secure=True)
    assert response.status_code == 200, path
    html = response.content.decode()
    assert "<title>" in html and "</title>" in html and "<h1" in html
    assert "<title> – vrhub</title>" not in html  # a title of its own, not the empty default
    assert 'style="' not in html  # the CSP allows no inline styles
    assert "<script>" not in html  # nor inline scripts


@pytest.mark.parametrize(
    "path", [*PAGES, "/measures/local_sv_offences.csv", "/hotspots.geojson", "/reports/status.json"]
)
def test_signed_out_visitors_are_sent_to_sign_in(client, path) -> None:
    response = client.get(path, secure=True)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.slow
def test_overview_shows_the_hand_counted_figure_and_its_wording(web_data, client_as) -> None:
    assert _engine_value("local_sv_offences", FORCE_CODE) == 5  # the hand count above
    response = client_as("viewer").get("/dashboard/", secure=True)
    html = response.content.decode()
    assert "Home Office success measures" in html and "Local success measures" in html
    assert 'href="/measures/local_sv_offences/"' in html
    assert '<span class="vrhub-figure">5</span> offences' in html
    # Only 2019 is loaded: nothing to compare with, and describe_change says so.
    assert "cannot be compared with 2018: a figure is missing" in html


@pytest.mark.slow
def test_overview_borough_selector_shows_that_borough(web_data, client_as) -> None:
    assert _engine_value("local_sv_offences", KNOWSLEY) == 2
    viewer = client_as("analyst")
    html = viewer.get(f"/dashboard/?area={KNOWSLEY}", secure=True).content.decode()
    assert "Success measures: Knowsley" in html
    assert f'<option value="{KNOWSLEY}" selected>Knowsley</option>' in html
    assert '<span class="vrhub-figure">2</span> offences' in html
    # An unknown area is said to be unknown (as on the API and the command line), not silently replaced.
    other = viewer.get("/dashboard/?area=nowhere", secure=True)
    assert other.status_code == 422 and "no area &#x27;nowhere&#x27;" in other.content.decode()


@pytest.mark.slow
def test_measure_page_tables_versions_and_quality_notes(web_data, client_as) -> None:
    from vrhub.web.warehouse import hub

    html = client_as("analyst").get("/measures/local_sv_offences/", secure=True).content.decode()
    assert "merseyside_offence_groups@2022.1+" in html
    assert 'id="area-E08000011"' in html  # the borough table's Knowsley row, which borough pages link to
    # Knowsley: 2 offences; its rate per 100,000 is the engine's.
    df = hub().measures(MeasureRequest(measures=["local_sv_offences"])).table.to_pandas()
    rate = df[(df.area_code == KNOWSLEY) & (df.breakdown == "")]["rate_per_100k"].iloc[0]
    assert f"{rate:,.1f}" in html
    # By age band: victims 19 (18-24), 34 (25-34), 16 (10-17); the suspect-only crime 000128 (19) counts
    # by its people too, as the engine does. At least the 10-17 band holds one offence.
    assert "By age band" in html and "10-17" in html
    # The fixture's police records skip June 2019: the quality check's error is noted on this measure.
    assert "No police records crimes in 2019-06" in html
    assert 'id="chart-data"' in html and "data-vrhub-chart" in html


@pytest.mark.slow
def test_proxy_measure_is_labelled(web_data, client_as) -> None:
    html = client_as("viewer").get("/measures/police_uk_sv_proxy/", secure=True).content.decode()
    assert "Proxy" in html and "not a count of serious violence" in html


@pytest.mark.slow
def test_unknown_measure_and_borough_are_404(web_data, client_as) -> None:
    viewer = client_as("viewer")
    assert viewer.get("/measures/no_such_measure/", secure=True).status_code == 404
    assert viewer.get("/measures/no_such_measure.csv", secure=True).status_code == 404
    assert viewer.get("/boroughs/E09999999/", secure=True).status_code == 404


@pytest.mark.slow
def test_measure_downloads_parse_back_to_the_same_rows(web_data, client_as) -> None:
    from vrhub.web.dashboard import data

    expected = data.measure_rows(data.catalogue().get("local_sv_offences"))
    viewer = client_as("analyst")
    response = viewer.get("/measures/local_sv_offences.csv", secure=True)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == len(expected)
    assert list(rows[0]) == list(expected.columns)
    assert [r["area_code"] for r in rows] == list(expected["area_code"])
    force_2019 = next(
        r for r in rows if r["area_code"] == FORCE_CODE and r["period"] == "2019" and r["breakdown"] == ""
    )
    assert float(force_2019["value"]) == 5
    assert any(r["breakdown"].startswith("age_band=") for r in rows)
    assert any(r["period"] == "2019-03" for r in rows)  # monthly rows too

    book = load_workbook(io.BytesIO(viewer.get("/measures/local_sv_offences.xlsx", secure=True).content))
    sheet = list(book.active.iter_rows(values_only=True))
    assert list(sheet[0]) == list(expected.columns)
    assert len(sheet) - 1 == len(expected)
    column = {name: i for i, name in enumerate(sheet[0])}
    for xrow, crow in zip(sheet[1:], rows, strict=True):
        assert (xrow[column["period"]], xrow[column["area_code"]]) == (crow["period"], crow["area_code"])
        assert float(xrow[column["value"]]) == float(crow["value"])


@pytest.mark.slow
def test_borough_page_lists_its_measures_with_links_to_its_rows(web_data, client_as) -> None:
    html = client_as("viewer").get(f"/boroughs/{KNOWSLEY}/", secure=True).content.decode()
    assert '<h1 class="govuk-heading-xl">Knowsley</h1>' in html
    assert f'href="/measures/local_sv_offences/#area-{KNOWSLEY}"' in html
    assert 'aria-label="Breadcrumb"' in html


@pytest.mark.slow
def test_quality_page_shows_findings_with_severity_tags(web_data, client_as) -> None:
    html = client_as("viewer").get("/quality/", secure=True).content.decode()
    assert "govuk-tag--red" in html and "No police records crimes in 2019-06" in html
    assert "Completeness" in html and "committed date" in html


@pytest.mark.slow
def test_definitions_page_gives_codes_and_versions(web_data, client_as) -> None:
    from vrhub.definitions import builtin_definitions

    html = client_as("viewer").get("/definitions/", secure=True).content.decode()
    for definition in builtin_definitions().values():
        assert definition.label in html
    assert "<code>8N</code>" in html  # assault with injury, in the local definition
    assert "<code>violence-against-the-person</code>" in html  # the offence groups Table 2 counted


@pytest.mark.slow
def test_definitions_page_shows_what_the_domestic_exclusion_removes(web_data, client_as) -> None:
    import re

    from vrhub.config import settings
    from vrhub.hub import Hub

    effect = Hub(settings(data_dir=web_data)).definition_effect("merseyside_local").to_pylist()
    assert effect and any(row["excluded"] for row in effect)  # the fixture has a domestic SV crime
    html = client_as("viewer").get("/definitions/", secure=True).content.decode()
    table = html.split('data-effect="merseyside_local"')[1].split("</table>")[0]
    assert "Excluded (domestic)" in table
    cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", table)]
    expected = [str(v) for row in effect for v in row.values()]
    assert cells == expected


@pytest.mark.slow
def test_hotspots_page_and_geojson(web_data, client_as) -> None:
    import json

    viewer = client_as("viewer")
    html = viewer.get("/hotspots/?measure=local_sv_offences", secure=True).content.decode()
    assert "Hot spot LSOAs" in html and 'data-geojson="/hotspots.geojson?measure=local_sv_offences"' in html
    assert 'data-tile-url=""' in html  # no tiles unless configured
    # The fixture's 2019 crimes include a 2021 LSOA code: the two offences in Table 2's groups coded to 2011
    # LSOAs that changed are mapped, not dropped.
    assert "2 offences coded to 2011 LSOAs that changed in 2021 (2 LSOAs) were counted in their" in html
    doc = json.loads(viewer.get("/hotspots.geojson?measure=local_sv_offences", secure=True).content)
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) > 900  # every Merseyside LSOA
    counted = {f["properties"]["lsoa_code"]: f["properties"]["count"] for f in doc["features"]}
    assert counted["E01006412"] == "*"  # a viewer has the public edition: 1 to 7 hidden
    exact = client_as("analyst").get("/hotspots.geojson?measure=local_sv_offences", secure=True).json()
    counted = {f["properties"]["lsoa_code"]: f["properties"]["count"] for f in exact["features"]}
    assert counted["E01006412"] == 1  # crime 000123, the one SV offence placed in that LSOA
    # No police.uk rows are loaded: a crime type explains that instead of failing.
    none = viewer.get("/hotspots/?crime_type=Robbery", secure=True)
    assert none.status_code == 200 and "No hot spots can be found" in none.content.decode()


@pytest.mark.slow
def test_hotspots_page_adds_tiles_only_when_configured(web_data, client_as, settings) -> None:
    settings.VRHUB_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    html = client_as("viewer").get("/hotspots/", secure=True).content.decode()
    assert 'data-tile-url="https://tiles.example/{z}/{x}/{y}.png"' in html


@pytest.mark.slow
def test_measure_note_is_shown_on_its_page_and_the_overview(web_data, client_as, monkeypatch) -> None:
    import dataclasses

    from vrhub.measures.catalogue import Catalogue
    from vrhub.web.dashboard import data

    real = data.catalogue()
    note = "Counts crimes once however many victims; the strategy's 'offences' read as crimes."
    measures = {
        **real.measures,
        "local_sv_offences": dataclasses.replace(real.get("local_sv_offences"), note=note),
    }
    monkeypatch.setattr(data, "catalogue", lambda: Catalogue(measures=measures, sha256=real.sha256))
    viewer = client_as("viewer")
    page = viewer.get("/measures/local_sv_offences/", secure=True).content.decode()
    assert 'id="measure-note"' in page and "the strategy&#x27;s &#x27;offences&#x27; read as crimes" in page
    assert (
        "the strategy&#x27;s &#x27;offences&#x27; read as crimes"
        in viewer.get("/dashboard/", secure=True).content.decode()
    )
