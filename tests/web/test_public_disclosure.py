"""Every public table, on a demo-like warehouse, audited as an intruder would: no '*' can be worked out by
subtraction from the shown figures and totals (issue 12, item 11). See tests/reports/intruder.py.

The warehouse: the demo files with one police crime in 50 and one record in 10 of the other sources kept,
so borough, month and age-band counts are small and suppression is everywhere.
"""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import TEST_KEY, copy_warehouse
from tests.reports.intruder import problems
from vrhub.config import FORCE_CODE
from vrhub.config import settings as vrhub_settings
from vrhub.hub import Hub

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
KEY = ["measure_id", "period", "area_code", "breakdown"]


def _thin(source: Path, target: Path, key: str, keep_one_in: int) -> None:
    with source.open(newline="") as fin, target.open("w", newline="") as fout:
        reader = csv.DictReader(fin)
        writer = csv.DictWriter(fout, fieldnames=reader.fieldnames or [])
        writer.writeheader()
        for row in reader:
            if int(hashlib.sha256(row[key].encode()).hexdigest()[:8], 16) % keep_one_in == 0:
                writer.writerow(row)


@pytest.fixture(scope="session")
def _demo_like(
    _initialised_warehouse: Path, _demo_files: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    files = _demo_files
    thin = tmp_path_factory.mktemp("demo-thin")
    keys = {
        "police-records": ("crime_ref", 50),
        "ed-attendances": ("attendance_ref", 10),
        "hospital-admissions": ("admission_ref", 10),
        "ambulance": ("incident_ref", 10),
        "fire": ("incident_ref", 10),
    }
    folder = copy_warehouse(_initialised_warehouse, tmp_path_factory.mktemp("demo-like"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VRHUB_PSEUDONYM_KEY", TEST_KEY)
        hub = Hub(vrhub_settings(data_dir=folder, warehouse=str(folder / "warehouse.duckdb")))
        for source, path in files.items():
            if source in keys:
                _thin(path, thin / path.name, *keys[source])
                path = thin / path.name
            list(hub.ingest(source, [path]))
    return folder


@pytest.fixture
def demo_like(
    tmp_path: Path, _demo_like: Path, settings: object, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    from vrhub.web import figures, warehouse

    folder = copy_warehouse(_demo_like, tmp_path / "data")
    monkeypatch.setenv("VRHUB_PSEUDONYM_KEY", TEST_KEY)
    settings.DATA_DIR = folder  # type: ignore[attr-defined]
    settings.VRHUB_WAREHOUSE = str(folder / "warehouse.duckdb")  # type: ignore[attr-defined]
    warehouse.close()
    figures.clear()
    yield folder
    warehouse.close()
    figures.clear()
    shutil.rmtree(folder, ignore_errors=True)


def _public(client, **params: str) -> pd.DataFrame:
    rows, offset = [], 0
    while True:
        response = client.get(
            "/api/public/measures", {**params, "limit": 10000, "offset": offset}, secure=True
        )
        assert response.status_code == 200, response.content
        body = response.json()
        rows += body["items"]
        offset += 10000
        if offset >= body["count"]:
            return pd.DataFrame(rows)


def _aligned(true: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    t = true.assign(breakdown=true["breakdown"].fillna(""), period=true["period"].astype(str))
    p = published.assign(breakdown=published["breakdown"].fillna(""), period=published["period"].astype(str))
    p = p.set_index(KEY).loc[pd.MultiIndex.from_frame(t[KEY])].reset_index()
    return p


QUERIES = [
    {},
    {"by": "age_band"},
    {"by": "sex"},
    {"period": "quarter"},
    {"period": "financial-year"},
    {"period": "month"},
]


def test_no_public_api_table_gives_a_hidden_count_away(demo_like, client) -> None:
    from vrhub.web.api import data

    true = data._frame(None, None, None, None)
    published = _aligned(true, _public(client))
    assert (published["value"] == "*").sum() > 20  # the audit has something to audit
    assert problems(true, published, FORCE_CODE) == []


@pytest.mark.parametrize("params", QUERIES[1:], ids=lambda p: "-".join(p.values()))
def test_breakdowns_and_parts_of_years_are_published_force_wide_only(demo_like, client, params) -> None:
    """A borough's bands add up to its whole figure and its months to its year: published beside the
    annual borough table, each protected on its own, they would give its hidden cells back."""
    from vrhub.web.api import data

    published = _public(client, **params)
    assert set(published["area_code"]) == {FORCE_CODE}
    # Their bands still hide small counts, and their only total beside them is the force's exact figure,
    # the same in every table: audited as a table, this is audited against every other publication too.
    true = data._frame(None, params.get("period"), FORCE_CODE, params.get("by"))
    assert problems(true, _aligned(true, published), FORCE_CODE) == []


def test_every_publication_shows_a_borough_figure_the_same_way(demo_like, client) -> None:
    """The API, the public page, its CSV and the public report's borough table hide the same cells: a
    figure shown in one and hidden in another would undo the hiding."""
    from vrhub.reports.build import gather
    from vrhub.reports.public import public_copy

    api = _public(client).astype({"period": str}).set_index(KEY)["value"].astype(str)
    csv_rows = pd.read_csv(
        io.StringIO(client.get("/published.csv", secure=True).content.decode()),
        dtype={"value": str, "period": str},
        keep_default_na=False,
    )
    csv_rows["breakdown"] = ""
    from vrhub.web.warehouse import hub

    with hub().open(read_only=True) as wh:  # the server's own connection holds the file
        places = public_copy(gather(wh))["places"]
    places = places.assign(period=places["period"].astype(str), breakdown="")
    compared = 0
    for other in (csv_rows, places):
        shown = other.set_index(KEY)["value"].map(lambda v: v if v in ("*", "") else str(float(v)))
        common = shown.index.intersection(api.index)
        assert len(common) > 5
        mine = api[common].map(lambda v: v if v in ("*", "", "None") else str(float(v)))
        differ = mine != shown[common]
        assert not differ.any(), (mine[differ], shown[common][differ])
        compared += len(common)
    assert compared > 10


def test_public_page_and_csv_give_no_hidden_count_away(demo_like, client) -> None:
    from vrhub.web.dashboard import data, tables

    response = client.get("/published.csv", secure=True)
    assert response.status_code == 200
    published = pd.read_csv(
        io.StringIO(response.content.decode()), dtype={"value": str}, keep_default_na=False
    )
    published["value"] = published["value"].map(lambda v: v if v in ("*", "") else float(v))
    catalogue = data.catalogue()
    frame = data.annual()
    ids = tables.strategy_ids(catalogue)
    whole = frame[frame["measure_id"].isin(ids) & (frame["breakdown"].fillna("") == "")]
    true = whole.merge(
        published[["measure_id", "period"]].drop_duplicates().astype(str), on=["measure_id", "period"]
    )
    assert problems(true, _aligned(true, published), FORCE_CODE) == []
    # The page shows the same cells as the CSV.
    html = client.get("/", secure=True).content.decode()
    assert html.count('data-area="') >= len(published)
