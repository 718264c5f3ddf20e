"""Hot spots: Gi* with FDR on synthetic grids, sfhotspot's space-time classes, counts from the warehouse,
GeoJSON and the map. Fast; nothing from ../shared."""

from __future__ import annotations

import json
from pathlib import Path

import esda
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from statsmodels.stats.multitest import multipletests

import vrhub.stats.spacetime as spacetime
from vrhub.analysis.hotmap import map_png, map_spec, map_svg
from vrhub.analysis.hotspots import TABLE_COLUMNS, getis_ord, hotspots_from_counts, lsoa_counts
from vrhub.analysis.hotspots import kernel_density as lsoa_kde
from vrhub.errors import VrhubError
from vrhub.geography import load_boroughs, load_lsoa_boundaries
from vrhub.hub import Hub

SIDE = 10


def grid() -> gpd.GeoDataFrame:
    """10 x 10 squares of 0.01 degrees near Liverpool; codes G00..G99 by row then column."""
    rows, cols = np.divmod(np.arange(SIDE * SIDE), SIDE)
    x0, y0, d = -3.0, 53.3, 0.01
    return gpd.GeoDataFrame(
        {
            "lsoa_code": [f"G{r}{c}" for r, c in zip(rows, cols, strict=True)],
            "lsoa_name": [f"Cell {r},{c}" for r, c in zip(rows, cols, strict=True)],
            "lad_code": np.where(cols < 5, "W", "E"),
        },
        geometry=shapely.box(x0 + cols * d, y0 + rows * d, x0 + (cols + 1) * d, y0 + (rows + 1) * d),
        crs=4326,
    )


CLUSTER = [f"G{r}{c}" for r in (3, 4, 5) for c in (6, 7, 8)]


def planted(rng: np.random.Generator, cells: list[str] = CLUSTER, high: float = 25.0) -> pd.Series:
    codes = grid()["lsoa_code"]
    lam = np.where(codes.isin(cells), high, 3.0)
    return pd.Series(rng.poisson(lam), index=codes.to_numpy())


# -- Gi* -------------------------------------------------------------------------------------------------
def test_planted_cluster_is_hot_after_fdr() -> None:
    out = getis_ord(planted(np.random.default_rng(7)), grid())
    hot = set(out.loc[out["hot"], "lsoa_code"])
    # The centre of the cluster has eight hot neighbours: the strongest evidence of all.
    assert "G47" in hot and out.set_index("lsoa_code").loc["G47", "gi_z"] == out["gi_z"].max()
    assert len(hot & set(CLUSTER)) >= 7
    # Gi* is about neighbourhoods, so cells next to the cluster may be hot too, but nothing far away is.
    far = {f"G{r}{c}" for r in range(SIDE) for c in range(SIDE) if r > 7 or c < 4}
    assert not hot & far
    assert (out["p_fdr"] >= out["p_value"]).all()
    assert not (out["hot"] & out["cold"]).any()


def test_random_poisson_grid_has_no_hot_spots_after_fdr() -> None:
    counts = pd.Series(
        np.random.default_rng(2019).poisson(4.0, SIDE * SIDE), index=grid()["lsoa_code"].to_numpy()
    )
    out = getis_ord(counts, grid())
    assert not out["hot"].any()
    assert (out["p_value"] < 0.05).sum() <= 10  # some nominally "significant" cells, which FDR removes


def test_getis_ord_takes_long_counts_and_fills_missing_lsoas_with_zero() -> None:
    long = pd.DataFrame(
        {"month": ["2020-01", "2020-02", "2020-01"], "lsoa_code": ["G00", "G00", "NOPE"], "count": [2, 3, 9]}
    )
    out = getis_ord(long, grid())
    assert len(out) == SIDE * SIDE and out["count"].sum() == 5  # unknown code ignored, others zero
    assert out.set_index("lsoa_code").loc["G00", "count"] == 5


def test_no_events_at_all_is_no_hot_spot_rather_than_nan() -> None:
    out = getis_ord(pd.Series(dtype=float), grid())
    assert not out["hot"].any() and out["gi_z"].eq(0).all() and out["p_value"].eq(1).all()


def test_vectorised_gi_star_and_fdr_match_esda_and_statsmodels() -> None:
    g = grid()
    w = spacetime.queen_weights(g)
    y = np.random.default_rng(3).poisson(5, (SIDE * SIDE, 6)).astype(float)
    z = spacetime.gi_star_z(y, w)
    for t in range(y.shape[1]):
        expected = esda.G_Local(y[:, t], w, transform="B", star=True, permutations=0).Zs
        np.testing.assert_allclose(z[:, t], expected, rtol=1e-12, atol=1e-12)
    p = spacetime.two_sided_p(z)
    np.testing.assert_allclose(spacetime.fdr_bh(p)[:, 2], multipletests(p[:, 2], method="fdr_bh")[1])
    # Binary weights with self: G47 (interior) has 9, a corner 4.
    assert w.cardinalities[47] == 9 and w.cardinalities[0] == 4


def test_one_event_is_not_a_hot_spot_but_a_sparse_cluster_is() -> None:
    g = grid()
    w = spacetime.queen_weights(g)
    one = np.zeros(SIDE * SIDE)
    one[47] = 1
    # The normal approximation alone makes G47 and its 8 neighbours hot after FDR (z = 3.2, p = 0.0015
    # each); the exact check (p = 2 x 9/100 for a neighbourhood of 9 cells) does not.
    z = spacetime.gi_star_z(one, w)
    assert ((spacetime.fdr_bh(spacetime.two_sided_p(z)) < 0.05) & (z > 0)).sum() == 9
    assert spacetime.binomial_p(one, w)[47] == pytest.approx(2 * 9 / 100)
    assert not getis_ord(pd.Series(one, index=g["lsoa_code"].to_numpy()), g)["hot"].any()
    # Twelve events, all in the 3x3 cluster, are a hot spot under both tests.
    few = pd.Series(0.0, index=g["lsoa_code"].to_numpy())
    few[CLUSTER] = [2, 1, 1, 1, 2, 1, 1, 2, 1]
    assert "G47" in set(getis_ord(few, g).query("hot")["lsoa_code"])
    months = np.column_stack([one, few.to_numpy()])
    assert spacetime.hot_matrix(months, w)[:, 0].sum() == 0 and spacetime.hot_matrix(months, w)[47, 1]


# -- space-time classes ----------------------------------------------------------------------------------
def test_recent_window_is_the_last_fifth_of_periods_at_least_one() -> None:
    assert spacetime.recent_periods(36) == 7
    assert spacetime.recent_periods(10) == 2
    assert spacetime.recent_periods(4) == 1


def test_classes_follow_sfhotspot_definitions() -> None:
    # 10 periods: older = periods 1-8, recent = 9-10. 1 = hot that period.
    patterns = {
        "persistent": "1111111101",  # hot in 9 of 10 (>= 80%)
        "all hot": "1111111111",
        "emerging": "0000000001",  # never hot before, hot in a recent period
        "emerging both": "0000000011",
        "former": "0110000000",  # hot earlier (2 of 8), not recently
        "intermittent": "1000000001",  # hot earlier and recently, but far from persistent
        "former often": "1010101000",  # hot in 4 of the 8 older periods, in neither recent one
        "none": "0000000000",
    }
    hot = np.array([[c == "1" for c in p] for p in patterns.values()])
    got = dict(zip(patterns, spacetime.classify(hot), strict=True))
    assert got == {
        "persistent": "persistent",
        "all hot": "persistent",
        "emerging": "emerging",
        "emerging both": "emerging",
        "former": "former",
        "intermittent": "intermittent",
        "former often": "former",
        "none": "none",
    }


def test_persistent_needs_80_percent_and_one_older_hot_period_blocks_emerging() -> None:
    hot = np.array([[c == "1" for c in p] for p in ["0111111100", "1000000010", "0000000100"]])
    # 7 of 10 is not persistent; hot once before the recent window and once in it: intermittent;
    # hot only in the last older period (the one sfhotspot's code counts as recent too): former here.
    assert list(spacetime.classify(hot)) == ["former", "intermittent", "former"]


def test_a_single_period_cannot_be_classified() -> None:
    assert list(spacetime.classify(np.ones((3, 1), dtype=bool))) == ["none"] * 3


def test_spacetime_classes_on_a_grid_over_months() -> None:
    rng = np.random.default_rng(11)
    g = grid()
    w = spacetime.queen_weights(g)
    months = 10
    steady = np.stack([planted(rng).to_numpy() for _ in range(months)], axis=1)
    late = np.stack(
        [
            planted(rng, cells=["G12", "G13", "G22", "G23"], high=40 if m >= 8 else 3).to_numpy()
            for m in range(months)
        ],
        axis=1,
    )
    classes = pd.Series(spacetime.spacetime_classes(steady + late, w), index=g["lsoa_code"])
    assert classes["G47"] == "persistent"
    assert classes[["G12", "G13", "G22", "G23"]].eq("emerging").all()
    assert classes[[f"G9{c}" for c in range(SIDE)]].eq("none").all()


# -- the result: table, GeoJSON, map ---------------------------------------------------------------------
def grid_result():
    rng = np.random.default_rng(5)
    months = [f"2020-{m:02d}" for m in range(1, 7)]
    frames = [
        pd.DataFrame({"month": m, "lsoa_code": grid()["lsoa_code"], "count": planted(rng).to_numpy()})
        for m in months
    ]
    counts = pd.concat(frames, ignore_index=True)
    counts.attrs = {
        "subject": "Synthetic",
        "months": months,
        "unit": "records",
        "vintage": 2011,
        "rows_counted": int(counts["count"].sum()),
        "rows_excluded": {"no_lsoa": 0},
    }
    return hotspots_from_counts(counts, grid())


def test_table_has_the_columns_sorted_by_gi_z() -> None:
    result = grid_result()
    assert list(result.table.columns) == TABLE_COLUMNS
    assert len(result.table) == SIDE * SIDE
    assert result.table["gi_z"].is_monotonic_decreasing
    assert result.table.iloc[0]["lsoa_code"] in CLUSTER and result.table.iloc[0]["class"] == "persistent"
    assert set(result.table["class"]) <= set(spacetime.CLASSES)
    assert result.metadata["months"][0] == "2020-01" and result.metadata["hot"] == result.table["hot"].sum()
    assert result.period_label == "Jan 2020 to Jun 2020 (6 months)"
    assert result.monthly_hot.shape == (SIDE * SIDE, 6)


def test_geojson_parses_with_the_properties() -> None:
    result = grid_result()
    doc = json.loads(result.geojson())
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == SIDE * SIDE
    first = doc["features"][0]
    assert list(first["properties"]) == TABLE_COLUMNS
    assert first["geometry"]["type"] == "Polygon"
    assert isinstance(first["properties"]["hot"], bool) and isinstance(first["properties"]["count"], int)
    assert first["properties"]["lsoa_code"] == result.table.iloc[0]["lsoa_code"]
    assert doc["metadata"]["months"][-1] == "2020-06"


@pytest.mark.slow
def test_map_renders_offline_to_svg_and_png(tmp_path: Path) -> None:
    result = grid_result()
    svg = map_svg(result)
    assert svg.startswith("<svg") and "Synthetic" in svg and "Hot spot, FDR p &lt; 0.01" in svg
    png = map_png(result, tmp_path / "map.png", scale=1)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _spec_rows(spec: dict, field: str) -> list[dict]:
    """The inline rows of a Vega-Lite spec that carry `field`."""
    return [row for rows in spec.get("datasets", {}).values() for row in rows if field in row]


def test_map_has_a_closer_view_numbering_the_strongest_hot_spots() -> None:
    result = grid_result()
    spec = map_spec(result)
    main, closer = spec["hconcat"]
    strongest = result.table[result.table["p_fdr"] < 0.01].head(5)
    key = sorted(_spec_rows(spec, "line"), key=lambda r: r["row"])
    assert [r["line"] for r in key] == [
        f"{n}  {name}: {count:,} records"
        for n, (name, count) in enumerate(zip(strongest["lsoa_name"], strongest["count"], strict=True), 1)
    ]
    assert key[0]["lsoa_name"] == result.table.iloc[0]["lsoa_name"]  # 1 is the highest Gi* z
    # The closer view draws only the LSOAs around them: fewer than the whole map, these among them.
    views = [
        rows for rows in spec["datasets"].values() if rows and "band" in rows[0] and "line" not in rows[0]
    ]
    near = min(views, key=len)
    assert len(near) < len(result.table) and set(strongest["lsoa_name"]) <= {r["lsoa_name"] for r in near}


def test_map_without_a_strong_hot_spot_has_no_closer_view() -> None:
    flat = pd.DataFrame({"month": "2020-01", "lsoa_code": grid()["lsoa_code"], "count": 5})
    flat.attrs = {"subject": "Flat", "months": ["2020-01"], "unit": "records", "vintage": 2011}
    result = hotspots_from_counts(flat, grid())
    assert not result.table["hot"].any()
    spec = map_spec(result)
    assert "hconcat" not in spec and not _spec_rows(spec, "line")


# -- package boundaries ----------------------------------------------------------------------------------
def test_shipped_boundaries_cover_both_vintages_and_the_boroughs() -> None:
    for vintage, n in ((2011, 910), (2021, 923)):
        b = load_lsoa_boundaries(vintage)
        assert list(b.columns) == ["lsoa_code", "lsoa_name", "lad_code", "geometry"]
        assert len(b) == n and b["lsoa_code"].is_unique and b.crs.to_epsg() == 4326
        assert b["lad_code"].nunique() == 5 and shapely.is_valid(b.geometry.values).all()
    boroughs = load_boroughs()
    assert sorted(boroughs["lad_name"]) == ["Knowsley", "Liverpool", "Sefton", "St. Helens", "Wirral"]
    assert not [c for c in boroughs.columns if c.startswith("rr")]
    with pytest.raises(VrhubError):
        load_lsoa_boundaries(2001)


# -- counting in the warehouse ---------------------------------------------------------------------------
HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context"
)
ROWS = [  # month, LSOA code, LSOA name, crime type
    ("2022-01", "E01033793", "St. Helens 013D", "Violence and sexual offences"),  # 2021 code only
    ("2022-01", "E01033793", "St. Helens 013D", "Violence and sexual offences"),
    ("2022-01", "E01033793", "St. Helens 013D", "Robbery"),
    ("2022-01", "E01006412", "Knowsley 006A", "Violence and sexual offences"),  # in both vintages
    ("2022-02", "E01006412", "Knowsley 006A", "Burglary"),
    ("2022-01", "", "", "Violence and sexual offences"),  # no location
    ("2022-01", "E01018570", "Cheshire West and Chester 004C", "Violence and sexual offences"),  # out of area
    ("2022-02", "E01006441", "Knowsley 006D", "Violence and sexual offences"),  # 2011 code only
]


@pytest.fixture
def loaded(hub: Hub, tmp_path: Path) -> Hub:
    lines = [HEADER] + [
        f"{i:064x},{m},Merseyside Police,Merseyside Police,-2.9,53.4,On or near X,{code},{name},{ct},"
        "Under investigation,"
        for i, (m, code, name, ct) in enumerate(ROWS, start=1)
    ]
    path = tmp_path / "2022-merseyside-street.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    list(hub.ingest("police-uk", [path]))
    return hub


def test_counts_choose_the_vintage_map_2011_codes_and_report_what_was_left_out(loaded: Hub) -> None:
    with loaded.open(read_only=True) as wh:
        counts = lsoa_counts(wh)
    assert counts.attrs["vintage"] == 2021 and counts.attrs["months"] == ["2022-01", "2022-02"]
    assert counts.attrs["rows_excluded"] == {"no_lsoa": 1, "out_of_area": 1, "no_boundary": 0}
    # Knowsley 006D (2011) was split; 68% of its area is in Knowsley 006F (E01034833, 2021).
    assert counts.attrs["rows_mapped"]["rows"] == 1 and counts.attrs["rows_mapped"]["lsoas"] == 1
    assert counts.to_dict("records") == [
        {"month": "2022-01", "lsoa_code": "E01006412", "count": 1},
        {"month": "2022-01", "lsoa_code": "E01033793", "count": 3},
        {"month": "2022-02", "lsoa_code": "E01006412", "count": 1},
        {"month": "2022-02", "lsoa_code": "E01034833", "count": 1},
    ]
    assert counts.attrs["rows_counted"] == len(ROWS) - 2


@pytest.mark.slow
def test_counts_by_crime_type_measure_and_period(loaded: Hub) -> None:
    with loaded.open(read_only=True) as wh:
        violence = lsoa_counts(wh, crime_type="violence and sexual offences", end="2022-01")
        proxy = lsoa_counts(wh, measure="police_uk_sv_proxy", start="2022-01", end="2022-01")
        burglary = lsoa_counts(wh, crime_type="Burglary", start="2022-01")
        with pytest.raises(VrhubError, match="not a police.uk crime type"):
            lsoa_counts(wh, crime_type="Knife crime")
        with pytest.raises(VrhubError, match="not a month"):
            lsoa_counts(wh, start="2022-1")
        with pytest.raises(VrhubError, match="no police_uk_crimes rows"):
            lsoa_counts(wh, start="2030-01")
    assert violence.attrs["subject"] == "Violence and sexual offences"
    assert violence.attrs["months"] == ["2022-01"]
    assert violence["count"].sum() == 3 and violence.attrs["rows_excluded"]["no_lsoa"] == 1
    assert proxy["count"].sum() == 4  # violence and robbery are both in the police.uk proxy
    # Burglary counted only in February, but January was loaded too: both months are periods.
    assert burglary.attrs["months"] == ["2022-01", "2022-02"] and burglary["count"].sum() == 1


def test_permutation_p_values_are_repeatable_and_find_the_cluster() -> None:
    counts = planted(np.random.default_rng(7))
    first, again = (getis_ord(counts, grid(), permutations=999) for _ in range(2))
    assert first["p_value"].equals(again["p_value"])  # fixed seed
    assert first["p_value"].min() >= 2 / 1000 and "G47" in set(first.loc[first["hot"], "lsoa_code"])


@pytest.mark.slow
def test_kernel_density_of_police_uk_points(loaded: Hub) -> None:
    with loaded.open(read_only=True) as wh:
        kde = lsoa_kde(wh, bandwidth=1000.0, cell_size=250.0)
    # Every fixture row is at (-2.9, 53.4), in Liverpool: the density is one Gaussian bump there.
    peak = kde.loc[kde["density"].idxmax()]
    assert abs(peak["lon"] + 2.9) < 0.005 and abs(peak["lat"] - 53.4) < 0.005
    assert kde.attrs["points"] == len(ROWS)  # out-of-area and no-LSOA rows have coordinates too
    cell_km2 = 0.25**2
    assert kde["density"].sum() * cell_km2 == pytest.approx(kde.attrs["points"], rel=0.02)
    # Against the kernel summed directly at each cell centre (per km²): equal up to binning error.
    px, py = gpd.GeoSeries(gpd.points_from_xy([-2.9], [53.4]), crs=4326).to_crs(27700).iloc[0].coords[0]
    d2 = (kde["x"] - px) ** 2 + (kde["y"] - py) ** 2
    direct = kde.attrs["points"] * np.exp(-d2 / 2e6) / (2 * np.pi * 1e6) * 1e6
    near = d2 < 1000**2
    np.testing.assert_allclose(kde.loc[near, "density"], direct[near], rtol=0.1)
