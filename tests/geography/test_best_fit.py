"""The 2011-to-2021 LSOA best-fit table: the shipped Merseyside one is the area best fit of the shipped
boundaries (recomputed here), hand-checked on a split and two merges; a user's ONS lookup is read or
refused with the file, row and column."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from vrhub.errors import InputRefused
from vrhub.geography import load_lsoa_boundaries
from vrhub.geography.best_fit import BEST_FIT_SETTING, SHIPPED, compute_best_fit, load_best_fit


@pytest.fixture(scope="module")
def shipped() -> pd.DataFrame:
    return load_best_fit()


@pytest.mark.slow
def test_shipped_table_is_the_best_fit_of_the_shipped_boundaries(shipped: pd.DataFrame) -> None:
    fresh = compute_best_fit(load_lsoa_boundaries(2011), load_lsoa_boundaries(2021))
    assert shipped.attrs["source"] == SHIPPED
    # If this fails the boundaries changed: run vrhub.geography.best_fit.write_best_fit() and commit.
    assert fresh["lsoa11_code"].tolist() == shipped["lsoa11_code"].tolist()
    assert fresh["lsoa21_code"].tolist() == shipped["lsoa21_code"].tolist()
    assert (fresh["share_of_2011_area"] - shipped["share_of_2011_area"]).abs().max() < 1e-4


def test_every_2011_lsoa_once_unchanged_codes_to_themselves(shipped: pd.DataFrame) -> None:
    codes11 = set(load_lsoa_boundaries(2011)["lsoa_code"])
    codes21 = set(load_lsoa_boundaries(2021)["lsoa_code"])
    assert len(shipped) == 910 and set(shipped["lsoa11_code"]) == codes11
    assert set(shipped["lsoa21_code"]) <= codes21
    fit = shipped.set_index("lsoa11_code")["lsoa21_code"]
    kept = sorted(codes11 & codes21)
    assert len(kept) == 889 and (fit[kept] == kept).all()
    # The 21 retired 2011 codes: 15 splits (each to a code of its own) and three pairs merged into one.
    retired = fit[sorted(codes11 - codes21)]
    assert len(retired) == 21 and retired.value_counts().value_counts().to_dict() == {1: 15, 2: 3}


def _area_m2(a: shapely.Geometry, b: shapely.Geometry | None = None) -> float:
    shape = a if b is None else shapely.intersection(a, b)
    return float(gpd.GeoSeries([shape], crs=4326).to_crs(27700).area.iloc[0])


def test_hand_checked_split_goes_to_the_part_holding_most_of_its_area(shipped: pd.DataFrame) -> None:
    old = load_lsoa_boundaries(2011).set_index("lsoa_code")
    new = load_lsoa_boundaries(2021).set_index("lsoa_code")
    # Knowsley 006D (E01006441) was split into Knowsley 006E (E01034832) and 006F (E01034833).
    assert old.loc["E01006441", "lsoa_name"] == "Knowsley 006D"
    assert new.loc[["E01034832", "E01034833"], "lsoa_name"].tolist() == ["Knowsley 006E", "Knowsley 006F"]
    whole = _area_m2(old.geometry["E01006441"])
    e, f = (_area_m2(old.geometry["E01006441"], new.geometry[c]) for c in ("E01034832", "E01034833"))
    assert (e + f) / whole == pytest.approx(1, abs=0.01)  # the two parts make the whole
    assert f / whole == pytest.approx(0.68, abs=0.01) and e / whole == pytest.approx(0.32, abs=0.01)
    row = shipped.set_index("lsoa11_code").loc["E01006441"]
    assert row["lsoa21_code"] == "E01034833" and row["share_of_2011_area"] == pytest.approx(
        f / whole, abs=1e-3
    )


def test_merged_lsoas_map_many_to_one(shipped: pd.DataFrame) -> None:
    fit = shipped.set_index("lsoa11_code")["lsoa21_code"]
    names11 = load_lsoa_boundaries(2011).set_index("lsoa_code")["lsoa_name"]
    names21 = load_lsoa_boundaries(2021).set_index("lsoa_code")["lsoa_name"]
    # Liverpool 035A + 035F became Liverpool 035G; Liverpool 062C + 062D became Liverpool 062E.
    for merged, into in (
        (["E01006720", "E01006752"], "E01034401"),
        (["E01033753", "E01033755"], "E01034409"),
    ):
        assert (fit[merged] == into).all()
        assert names21[into][:-1] == names11[merged[0]][:-1] == names11[merged[1]][:-1]


# -- a lookup the user gives -----------------------------------------------------------------------------
ONS_HEADER = "LSOA11CD,LSOA11NM,LSOA21CD,LSOA21NM,CHGIND,LAD22CD,LAD22NM,LAD22NMW,ObjectId"


def test_an_ons_best_fit_lookup_is_read_by_its_column_names(tmp_path: Path) -> None:
    path = tmp_path / "LSOA11_LSOA21_LAD22_EW_LU_best_fit.csv"
    path.write_text(
        "\ufeff" + ONS_HEADER + "\n"
        "E01006441,Knowsley 006D,E01034832,Knowsley 006E,S,E08000011,Knowsley,,1\n"
        "E01006412,Knowsley 006A,E01006412,Knowsley 006A,U,E08000011,Knowsley,,2\n"
        "\n",
        encoding="utf-8",
    )
    table = load_best_fit(path)
    assert table[["lsoa11_code", "lsoa21_code"]].values.tolist() == [
        ["E01006412", "E01006412"],
        ["E01006441", "E01034832"],  # ONS's choice is followed even where the area best fit differs
    ]
    assert table.attrs["source"] == f"best-fit lookup {path.name}"


def test_the_setting_names_the_lookup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "fit.csv"
    path.write_text("lsoa11_code,lsoa21_code\nE01006441,E01034832\n", encoding="utf-8")
    monkeypatch.setenv(BEST_FIT_SETTING, str(path))
    assert load_best_fit()["lsoa21_code"].tolist() == ["E01034832"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (  # ONS's exact-fit lookup: a split LSOA has a row per part
            "E01006441,Knowsley 006D,E01034832,Knowsley 006E,S,E08000011,Knowsley,,1\n"
            "E01006441,Knowsley 006D,E01034833,Knowsley 006F,S,E08000011,Knowsley,,2\n",
            r"fit\.csv, row 3, LSOA21CD: 2011 LSOA E01006441 is given a second 2021 LSOA \(E01034833; "
            r"row 2 gave E01034832\)",
        ),
        (
            "E01006441,Knowsley 006D,E0103483,Knowsley 006E,S,E08000011,Knowsley,,1\n",
            r"fit\.csv, row 2, LSOA21CD: 'E0103483' is not an LSOA code",
        ),
        ("E01006441\n", r"fit\.csv, row 2, LSOA21CD: '' is not an LSOA code"),
        ("", r"fit\.csv: the LSOA best-fit lookup has no rows"),
    ],
)
def test_a_bad_lookup_is_refused_naming_file_row_and_column(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "fit.csv"
    path.write_text(ONS_HEADER + "\n" + body, encoding="utf-8")
    with pytest.raises(InputRefused, match=message):
        load_best_fit(path)


def test_a_lookup_without_the_columns_or_the_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fit.csv"
    path.write_text("LSOA11CD,LAD22CD\nE01006441,E08000011\n", encoding="utf-8")
    with pytest.raises(InputRefused, match=r"fit\.csv: no LSOA21CD column"):
        load_best_fit(path)
    with pytest.raises(InputRefused, match="not found"):
        load_best_fit(tmp_path / "missing.csv")


# -- against the full-detail ONS boundaries ---------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.realdata
def test_full_detail_boundaries_give_the_same_best_fit(realdata: Path, shipped: pd.DataFrame) -> None:
    """The shipped boundaries are generalised (about 15 m); the choices must not depend on it."""

    def read(yy: str) -> gpd.GeoDataFrame:
        files = sorted((realdata / "geography" / "boundaries" / f"lsoa{yy}").glob("*.geojson"))
        parts = pd.concat([gpd.read_file(f) for f in files], ignore_index=True)
        return gpd.GeoDataFrame(parts.rename(columns={f"LSOA{yy}CD": "lsoa_code"}), crs=4326)

    full = compute_best_fit(read("11"), read("21"))
    assert full["lsoa21_code"].tolist() == shipped["lsoa21_code"].tolist()
    assert (full["share_of_2011_area"] - shipped["share_of_2011_area"]).abs().max() < 0.02
