"""`vrhub export`: every file read back (pyarrow, csv, openpyxl, geopandas) holds what `vrhub measures`,
`vrhub hotspots` and `vrhub sql` print on the same warehouse, and the hand counts of tests/exports/fixture.py;
a bad format or option is a usage error (exit 2) naming the option."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import geopandas as gpd
import pyarrow.parquet as pq
import pyogrio
import pytest
from click.testing import Result
from openpyxl import load_workbook
from typer.testing import CliRunner

from tests.exports.fixture import CLEAR, COUNTS, A, B
from vrhub.cli import app
from vrhub.exports.home_office import FAMILY_OF, KNIFE_SV, measure_ids
from vrhub.measures import COLUMNS, builtin_catalogue

pytestmark = pytest.mark.slow

runner = CliRunner()
FORCE = "E23000004"
KNIFE = ["-m", "ho_knife_sv", "-m", "ho_knife_sv_suspect_u25", "--area", FORCE]


def vrhub(folder: Path, *args: str | Path, code: int = 0) -> Result:
    result = runner.invoke(app, [*map(str, args), "--data-dir", str(folder)])
    assert result.exit_code == code, result.output
    return result


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def number(text: object) -> float | None:
    """A cell as a number (None for blank), whichever file it came from."""
    if text is None or text == "":
        return None
    value = float(text)  # type: ignore[arg-type]
    return None if math.isnan(value) else value


def test_measures_csv_is_what_vrhub_measures_prints_and_counts_by_hand(loaded: Path, tmp_path: Path) -> None:
    printed = vrhub(loaded, "measures", *KNIFE, "--format", "csv").stdout
    result = vrhub(loaded, "export", "measures", *KNIFE, "--out", tmp_path / "m.csv")
    assert (tmp_path / "m.csv").read_text() == printed
    assert "rows written" in result.stdout
    knife = {r["period"]: r for r in rows_of(printed) if r["measure_id"] == "ho_knife_sv"}
    assert {p: int(knife[str(p)]["value"]) for p in COUNTS} == COUNTS
    assert knife["2020"]["change_vs_baseline_pct"] == "-25.0"  # 18 against 24


def test_measures_parquet_and_xlsx_hold_every_column_and_figure(loaded: Path, tmp_path: Path) -> None:
    expected = rows_of(vrhub(loaded, "measures", *KNIFE, "--format", "csv").stdout)
    vrhub(loaded, "export", "measures", *KNIFE, "--out", tmp_path / "m.parquet")
    vrhub(loaded, "export", "measures", *KNIFE, "--format", "xlsx", "--out", tmp_path / "m.data")
    table = pq.read_table(tmp_path / "m.parquet")
    assert table.column_names == COLUMNS
    sheet = load_workbook(io.BytesIO((tmp_path / "m.data").read_bytes()), read_only=True)["Measures"]
    header, *cells = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert header == COLUMNS
    for got in (table.to_pylist(), [dict(zip(header, r, strict=True)) for r in cells]):
        assert len(got) == len(expected)
        for mine, theirs in zip(got, expected, strict=True):
            assert (mine["measure_id"], mine["period"], mine["area_code"]) == (
                theirs["measure_id"],
                theirs["period"],
                theirs["area_code"],
            )
            for column in ("value", "change_vs_baseline_pct", "rate_per_100k", "p_value"):
                assert number(mine[column]) == pytest.approx(number(theirs[column])), column
            assert (mine["notes"] or "") == theirs["notes"]


def test_a_table_is_exported_as_stored_with_its_pseudonyms(loaded: Path, tmp_path: Path) -> None:
    query = "SELECT crime_key, person_key, lsoa_code FROM police_records ORDER BY crime_key"
    shown = rows_of(vrhub(loaded, "sql", query, "--format", "csv").stdout)
    vrhub(loaded, "export", "table", "police_records", "--out", tmp_path / "p.parquet")
    vrhub(loaded, "export", "table", "police_records", "--out", tmp_path / "p.csv")
    table = pq.read_table(tmp_path / "p.parquet").sort_by("crime_key")
    assert table.num_rows == sum(COUNTS.values())
    assert table.select(["crime_key", "person_key", "lsoa_code"]).to_pylist() == shown
    assert sorted(r["crime_key"] for r in rows_of((tmp_path / "p.csv").read_text())) == [
        r["crime_key"] for r in shown
    ]
    assert CLEAR not in (tmp_path / "p.csv").read_text()  # the extract's refs are never in clear


def test_hotspots_open_in_geopandas_with_the_statistics_of_vrhub_hotspots(
    loaded: Path, tmp_path: Path
) -> None:
    expected = {
        r["lsoa_code"]: r
        for r in rows_of(vrhub(loaded, "hotspots", "--measure", "ho_knife_sv", "--format", "csv").stdout)
    }
    vrhub(
        loaded,
        "export",
        "hotspots",
        "--measure",
        "ho_knife_sv",
        "--crs",
        "27700",
        "--out",
        tmp_path / "h.gpkg",
    )
    vrhub(loaded, "export", "hotspots", "--measure", "ho_knife_sv", "--out", tmp_path / "h.geojson")
    gpkg = gpd.read_file(tmp_path / "h.gpkg", layer="hotspots")
    geojson = gpd.read_file(tmp_path / "h.geojson")
    assert gpkg.crs.to_epsg() == 27700 and geojson.crs.to_epsg() == 4326
    for frame in (gpkg, geojson):
        assert set(frame["lsoa_code"]) == set(expected)
        assert (frame.geom_type.isin(["Polygon", "MultiPolygon"])).all()
        counts = dict(zip(frame["lsoa_code"], frame["count"], strict=True))
        assert (counts[A], counts[B]) == (24 + 12, 6)  # by hand: 2019 and 2020 in A, six months in B
        assert sum(counts.values()) == sum(COUNTS.values())
        for code, z, hot in zip(frame["lsoa_code"], frame["gi_z"], frame["hot"], strict=True):
            assert z == pytest.approx(float(expected[code]["gi_z"]))
            assert bool(hot) == (expected[code]["hot"] == "True")
    about = pyogrio.read_dataframe(tmp_path / "h.gpkg", layer="about")
    assert dict(zip(about["name"], about["value"], strict=True))["crs"] == "EPSG:27700"
    assert json.loads((tmp_path / "h.geojson").read_text())["metadata"]["crs"] == "EPSG:4326"


def test_areas_are_the_lookups_boroughs_and_lsoas_with_their_shapes(loaded: Path, tmp_path: Path) -> None:
    vrhub(loaded, "export", "areas", "--level", "borough", "--out", tmp_path / "b.geojson")
    vrhub(loaded, "export", "areas", "--vintage", "2021", "--out", tmp_path / "l.gpkg")
    boroughs = gpd.read_file(tmp_path / "b.geojson")
    lookup = rows_of(
        vrhub(loaded, "sql", "SELECT DISTINCT lad_code, lad_name FROM lsoa_lookup", "--format", "csv").stdout
    )
    assert dict(zip(boroughs["lad_code"], boroughs["lad_name"], strict=True)) == {
        r["lad_code"]: r["lad_name"] for r in lookup
    }
    lsoas = gpd.read_file(tmp_path / "l.gpkg", layer="areas")
    count = rows_of(
        vrhub(
            loaded,
            "sql",
            "SELECT count(*) AS n FROM lsoa_lookup WHERE lsoa_vintage = 2021",
            "--format",
            "csv",
        ).stdout
    )[0]["n"]
    assert len(lsoas) == int(count) and lsoas.crs.to_epsg() == 4326
    assert {"lsoa_code", "lsoa_name", "lad_code", "lad_name"} <= set(lsoas.columns)


def test_the_home_office_return_has_a_row_per_measure_and_periods_as_columns(
    loaded: Path, tmp_path: Path
) -> None:
    ids = measure_ids(builtin_catalogue())
    args = [arg for i in ids for arg in ("-m", i)]
    expected = rows_of(vrhub(loaded, "measures", *args, "--area", FORCE, "--format", "csv").stdout)
    vrhub(loaded, "export", "home-office-return", "--out", tmp_path / "ho.xlsx")
    book = load_workbook(tmp_path / "ho.xlsx", read_only=True)
    assert book.sheetnames == ["Success measures", "About"]
    header, *cells = [list(r) for r in book["Success measures"].iter_rows(values_only=True)]
    rows = [dict(zip(header, r, strict=True)) for r in cells]
    assert [r["Measure id"] for r in rows] == ids
    for r in expected:
        if r["breakdown"] == "":
            row = next(x for x in rows if x["Measure id"] == r["measure_id"])
            assert number(row[r["period"]]) == number(r["value"]), (r["measure_id"], r["period"])
    knife = next(r for r in rows if r["Measure id"] == "ho_knife_sv")
    assert (knife["2019"], knife["2020"], knife["Baseline"], knife["Baseline value"]) == (24, 18, "2019", 24)
    assert (knife["Latest period"], knife["Change on baseline (%)"]) == ("2020", -25.0)
    assert knife["Family"] == KNIFE_SV == FAMILY_OF["ho_knife_sv"]
    assert "possession" in knife["Notes"]  # the measure's own note


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["measures", "--out", "{tmp}/m.txt"], "--format"),
        (["measures", "--format", "xml", "--out", "{tmp}/m.csv"], "--format"),
        (["table", "loads", "--format", "gpkg", "--out", "{tmp}/l.gpkg"], "--format"),
        (["hotspots", "--crime-type", "Robbery", "--crs", "27700", "--out", "{tmp}/h.geojson"], "--crs"),
        (["hotspots", "--out", "{tmp}/h.gpkg"], "--crime-type"),
        (["areas", "--level", "ward", "--out", "{tmp}/a.gpkg"], "--level"),
        (["table", "vault", "--out", "{tmp}/v.parquet"], "NAME"),
        (["measures", "--out", "{tmp}/no-such-folder/m.csv"], "--out"),
        (["home-office-return", "--out", "{tmp}/ho.csv"], "--out"),
    ],
)
def test_a_bad_format_or_option_is_a_usage_error_naming_it(
    loaded: Path, tmp_path: Path, args: list[str], option: str
) -> None:
    result = vrhub(loaded, "export", *(a.format(tmp=tmp_path) for a in args), code=2)
    assert f"{option}: " in result.stderr
    assert not list(tmp_path.iterdir())  # nothing written, not even part of a file
