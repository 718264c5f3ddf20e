"""Real public files nobody on the project wrote (../shared/realdata): every row accounted for, counts equal
to a count made independently off the CSVs, the hand-edited file refused, the ONS population figures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from tests.conftest import REALDATA, TEST_KEY, copy_warehouse
from tests.sources.helpers import assert_accounted, rows
from vrhub.cli import app
from vrhub.config import settings
from vrhub.hub import Hub
from vrhub.sources.ingest import LoadSummary

pytestmark = [
    pytest.mark.realdata,
    pytest.mark.skipif(
        not REALDATA.is_dir(),
        reason=f"real public data not found at {REALDATA} (../shared/realdata beside the project)",
    ),
]

POLICE_UK = {
    "2019-09-merseyside-street.csv": 13_350,
    "2019-10-merseyside-street.csv": 15_523,
    "2019-11-merseyside-street.csv": 14_060,
    "2019-12-merseyside-street.csv": 12_743,
    "police-uk-2014-04-merseyside-street.csv": 12_925,  # old Mac line endings (CR only)
}
LOOKUP = REALDATA / "geography" / "merseyside_lsoa_to_lad.csv"


@pytest.fixture(scope="module")
def loaded(
    tmp_path_factory: pytest.TempPathFactory, _initialised_warehouse: Path
) -> Iterator[tuple[Hub, dict[str, LoadSummary]]]:
    folder = copy_warehouse(_initialised_warehouse, tmp_path_factory.mktemp("realdata"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VRHUB_PSEUDONYM_KEY", TEST_KEY)
        mp.delenv("VRHUB_WAREHOUSE", raising=False)
        hub = Hub(settings(data_dir=folder))
        paths = [REALDATA / "police-uk" / name for name in POLICE_UK]
        summaries = {Path(s.file).name: s for s in hub.ingest("police-uk", paths)}
        yield hub, summaries


@pytest.mark.parametrize("name", POLICE_UK)
@pytest.mark.slow
def test_every_row_of_a_real_police_uk_month_is_loaded(loaded: tuple[Hub, dict], name: str) -> None:
    hub, summaries = loaded
    summary = summaries[name]
    assert_accounted(summary)
    path = REALDATA / "police-uk" / name
    # An independent count of the file's records (DuckDB's own sniffer, CR-only file included).
    records = duckdb.sql(f"SELECT count(*) FROM read_csv('{path}')").fetchone()[0]
    assert summary.rows_read == records == POLICE_UK[name]
    assert (summary.rows_loaded, summary.rows_quarantined, summary.duplicates_skipped) == (records, 0, 0)


@pytest.mark.parametrize("name", POLICE_UK)
def test_counts_by_borough_and_crime_type_equal_an_independent_count(
    loaded: tuple[Hub, dict], name: str
) -> None:
    hub, summaries = loaded
    path = REALDATA / "police-uk" / name
    independent = duckdb.sql(
        f"""WITH lookup AS (SELECT DISTINCT lsoa_code, lad_code
                            FROM read_csv('{LOOKUP}', all_varchar = true)),
                 crimes AS (SELECT * FROM read_csv('{path}', all_varchar = true))
            SELECT coalesce(l.lad_code,
                            CASE WHEN c."LSOA code" IS NULL THEN 'no location' ELSE 'out of area' END)
                       AS place, c."Crime type" AS crime_type, count(*) AS n
            FROM crimes c LEFT JOIN lookup l ON c."LSOA code" = l.lsoa_code GROUP BY ALL"""
    ).fetchall()
    stored = rows(
        hub,
        f"""
        SELECT coalesce(lad_code, CASE WHEN lsoa_code IS NULL THEN 'no location'
                                       WHEN out_of_area THEN 'out of area' END) AS place,
               crime_type, count(*) AS n
        FROM police_uk_crimes WHERE load_id = {summaries[name].load_id} GROUP BY ALL""",
    )
    assert sorted((r["place"], r["crime_type"], r["n"]) for r in stored) == sorted(independent)
    places = {p for p, _, _ in independent}
    assert {"E08000011", "E08000012", "E08000013", "E08000014", "E08000015", "out of area"} <= places
    # Every row with an LSOA has a borough or is marked out of area; never both, never neither.
    assert rows(
        hub,
        f"""SELECT count(*) AS n FROM police_uk_crimes WHERE load_id = {summaries[name].load_id}
                         AND lsoa_code IS NOT NULL AND (lad_code IS NULL) <> out_of_area""",
    ) == [{"n": 0}]


def test_asb_rows_keep_their_blank_crime_id_and_only_they_do(loaded: tuple[Hub, dict]) -> None:
    hub, _ = loaded
    found = rows(
        hub,
        """SELECT crime_type = 'Anti-social behaviour' AS asb, crime_id IS NULL AS blank, count(*) AS n
                         FROM police_uk_crimes GROUP BY ALL ORDER BY ALL""",
    )
    assert [(r["asb"], r["blank"]) for r in found] == [(False, False), (True, True)]


@pytest.mark.slow
def test_the_hand_edited_file_is_refused_with_exit_2_and_nothing_loaded(data_dir: Path, key: bytes) -> None:
    hub = Hub(settings(data_dir=data_dir))
    before = (
        hub.loads().num_rows,
        rows(hub, "SELECT count(*) AS n FROM police_uk_crimes"),
        rows(hub, "SELECT count(*) AS n FROM quarantine"),
    )
    path = REALDATA / "bad-input" / "2018-06-merseyside-street-hand-edited.csv"
    result = CliRunner().invoke(app, ["ingest", "police-uk", str(path), "--data-dir", str(data_dir)])
    assert result.exit_code == 2
    what, _, hint = result.stderr.partition("\n\n")
    assert what.startswith(f"Error: {path}: refused, nothing loaded: missing required column(s) 'Crime ID'")
    assert "3,954 row(s) with 'Last outcome category'" in what and "unquoted comma" in what
    assert "Crime ID" in hint
    assert (
        hub.loads().num_rows,
        rows(hub, "SELECT count(*) AS n FROM police_uk_crimes"),
        rows(hub, "SELECT count(*) AS n FROM quarantine"),
    ) == before


@pytest.mark.slow
def test_the_2020_ons_population_file_in_windows_1252_loads(hub: Hub) -> None:
    path = REALDATA / "population" / "ONS2020_PopnByAgeYearEstimate.csv"
    [summary] = list(hub.ingest("population", [path]))
    assert_accounted(summary)
    assert (summary.rows_read, summary.rows_quarantined) == (420, 0)  # its 10 empty rows ignored
    found = rows(
        hub,
        """SELECT area_name, sum(population) AS everyone, sum(population) FILTER (WHERE age < 25) AS u25
                         FROM population WHERE year = 2020 AND area_code BETWEEN 'E08000011' AND 'E08000015'
                         GROUP BY ALL ORDER BY area_name""",
    )
    assert [(r["area_name"], r["everyone"], r["u25"]) for r in found] == [
        ("Knowsley", 152_452, 46_468),
        ("Liverpool", 500_474, 166_219),
        ("Sefton", 275_899, 72_470),
        ("St. Helens", 181_095, 49_797),
        ("Wirral", 324_336, 89_657),
    ]
    assert rows(hub, "SELECT count(DISTINCT area_code) AS n FROM population WHERE year = 2020") == [
        {"n": 420}
    ]


@pytest.mark.slow
def test_the_2019_ons_population_file_loads_and_agrees_with_the_shipped_extract(hub: Hub) -> None:
    shipped = rows(hub, "SELECT area_code, age, population FROM population WHERE year = 2019 ORDER BY ALL")
    [summary] = list(
        hub.ingest("population", [REALDATA / "population" / "ONS2019_PopnByAgeYearEstimate.csv"])
    )
    assert (summary.rows_read, summary.rows_quarantined, summary.duplicates_skipped) == (426, 0, 5)
    assert (
        rows(
            hub,
            "SELECT area_code, age, population FROM population WHERE year = 2019 "
            "AND area_code BETWEEN 'E08000011' AND 'E08000015' ORDER BY ALL",
        )
        == shipped
    )
