"""The API's hot spots are the hot-spots page's: counts checked by hand against the file loaded, and the
library's own table row for row; and an endpoint refuses a query parameter it does not take."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from tests.conftest import FIXTURES
from tests.web.conftest import bearer

SAMPLE = FIXTURES / "police-uk" / "2019-09-merseyside-street-sample.csv"

pytestmark = pytest.mark.django_db


@pytest.fixture
def police_uk_loaded(web_data):
    from vrhub.web import figures
    from vrhub.web.warehouse import close

    close()  # the load writes: no reader may hold the file meanwhile
    from vrhub.config import settings as vrhub_settings
    from vrhub.hub import Hub

    loader = Hub(vrhub_settings(data_dir=web_data, warehouse=str(web_data / "warehouse.duckdb")))
    (summary,) = loader.ingest("police-uk", [SAMPLE])
    assert summary.rows_loaded == 200
    figures.clear()
    return web_data


@pytest.mark.slow
def test_every_lsoas_count_is_the_files_and_the_table_is_the_librarys(police_uk_loaded, token_for) -> None:
    from vrhub.web.warehouse import hub

    _, key = token_for("analyst")
    answer = bearer(key).get(
        "/api/hotspots", {"crime_type": "drugs", "all": "true", "limit": 10_000}, secure=True
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    # Counted here from the file itself: drugs rows by LSOA (rows outside the area's LSOAs are not rows).
    with SAMPLE.open(newline="") as f:
        by_lsoa = Counter(r["LSOA code"] for r in csv.DictReader(f) if r["Crime type"] == "Drugs")
    got = {r["lsoa_code"]: r["count"] for r in body["items"]}
    assert body["count"] == body["lsoas"] == len(got)  # every LSOA of the area, once
    for lsoa, count in got.items():
        assert count == by_lsoa.get(lsoa, 0), lsoa
    assert sum(got.values()) > 0 and body["subject"] == "Drugs" and body["months"] == ["2019-09"]
    # Row for row the library's answer, hottest first.
    table = hub().hotspots(crime_type="Drugs").table
    assert [r["lsoa_code"] for r in body["items"]] == list(table["lsoa_code"])
    assert [r["hot"] for r in body["items"]] == [bool(h) for h in table["hot"]]
    # Without `all`: the hot spots only.
    hot = bearer(key).get("/api/hotspots", {"crime_type": "Drugs"}, secure=True).json()
    assert [r["lsoa_code"] for r in hot["items"]] == [r["lsoa_code"] for r in body["items"] if r["hot"]]
    geo = bearer(key).get("/api/hotspots.geojson", {"crime_type": "Drugs"}, secure=True)
    assert geo.status_code == 200 and geo["Content-Type"] == "application/geo+json"
    features = geo.json()["features"]
    assert {f["properties"]["lsoa_code"] for f in features} == set(got)


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"crime_type": "Pickpocketing"}, "crime_type"),
        ({"crime_type": "Robbery", "measure": "local_sv_offences"}, "crime_type"),
        ({"start": "2019-13"}, "start"),
        ({"measure": "no_such_measure"}, "measure"),
    ],
)
def test_a_bad_choice_is_a_422_naming_its_parameter(web_data, token_for, params, parameter) -> None:
    _, key = token_for("analyst")
    answer = bearer(key).get("/api/hotspots", params, secure=True)
    assert answer.status_code == 422, answer.content
    assert answer.json()["parameter"] == parameter


def test_hotspots_need_a_sign_in(web_data, client) -> None:
    assert client.get("/api/hotspots", secure=True).status_code == 401


@pytest.mark.parametrize(
    ("path", "params", "known"),
    [
        ("/api/measures", {"measure_id": "local_sv_offences"}, "measure"),
        ("/api/public/measures", {"measure": "x", "areas": "E08000011"}, "by"),
        ("/api/catalogue", {"page": "2"}, None),
    ],
)
def test_an_unknown_query_parameter_is_a_422_naming_it_and_the_known_ones(
    web_data, token_for, path, params, known
) -> None:
    _, key = token_for("analyst")
    answer = bearer(key).get(path, params, secure=True)
    assert answer.status_code == 422, answer.content
    body = answer.json()
    unknown = sorted(set(params) - {"measure"} if path == "/api/public/measures" else params)
    assert [e["parameter"] for e in body["errors"]] == unknown
    assert all(e["location"] == "query" for e in body["errors"])
    message = body["errors"][0]["message"]
    assert message.startswith("not a parameter of this endpoint; this endpoint takes ")
    if known:
        assert known in message.split("takes ", 1)[1].split(", ")
    else:
        assert message.endswith("takes none")


def test_known_parameters_still_answer(web_data, token_for) -> None:
    _, key = token_for("analyst")
    assert (
        bearer(key)
        .get("/api/measures", {"measure": "local_sv_offences", "limit": 1}, secure=True)
        .status_code
        == 200
    )


@pytest.mark.slow
def test_a_viewer_gets_the_public_editions_hotspot_counts(police_uk_loaded, token_for) -> None:
    """One disclosure rule per role (QA stop 16, item 1): a viewer has the public edition, whose hot-spot
    counts follow the HES rule (reports.public.public_copy): 1 to 7 as '*', others rounded to 5."""
    with SAMPLE.open(newline="") as f:
        by_lsoa = Counter(r["LSOA code"] for r in csv.DictReader(f) if r["Crime type"] == "Drugs")
    assert any(1 <= n <= 7 for n in by_lsoa.values())  # small counts to hide
    token, key = token_for("viewer")
    body = bearer(key).get(
        "/api/hotspots", {"crime_type": "drugs", "all": "true", "limit": 10_000}, secure=True
    )
    got = {r["lsoa_code"]: r["count"] for r in body.json()["items"]}
    assert all(c == "*" or c % 5 == 0 for c in got.values())
    assert all(got[lsoa] == "*" for lsoa, n in by_lsoa.items() if 1 <= n <= 7 and lsoa in got)
    geo = bearer(key).get("/api/hotspots.geojson", {"crime_type": "drugs"}, secure=True).json()
    assert {f["properties"]["lsoa_code"]: f["properties"]["count"] for f in geo["features"]} == got
    from django.test import Client

    browser = Client()
    browser.force_login(token.user)
    # The page's map reads the same published counts as the API's GeoJSON.
    mapped = browser.get("/hotspots.geojson", {"crime_type": "Drugs"}, secure=True).json()
    assert {f["properties"]["lsoa_code"]: f["properties"]["count"] for f in mapped["features"]} == got
