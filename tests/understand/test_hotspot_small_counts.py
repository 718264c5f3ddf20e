"""Hot spots are not called on a handful of records, and a hot spot whose class is "none" says why."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from vrhub.analysis.hotspots import MIN_COUNT, hotspots_from_counts

SIDE = 10


def grid() -> gpd.GeoDataFrame:
    rows, cols = np.divmod(np.arange(SIDE * SIDE), SIDE)
    x0, y0, d = -3.0, 53.3, 0.01
    return gpd.GeoDataFrame(
        {
            "lsoa_code": [f"G{r}{c}" for r, c in zip(rows, cols, strict=True)],
            "lsoa_name": [f"Cell {r},{c}" for r, c in zip(rows, cols, strict=True)],
            "lad_code": "E",
        },
        geometry=shapely.box(x0 + cols * d, y0 + rows * d, x0 + (cols + 1) * d, y0 + (rows + 1) * d),
        crs=4326,
    )


def one_month(counts: dict[str, int], month: str = "2014-04") -> pd.DataFrame:
    frame = pd.DataFrame({"month": month, "lsoa_code": list(counts), "count": list(counts.values())})
    frame.attrs = {"months": [month], "unit": "records"}
    return frame


def test_a_single_record_inside_a_cluster_is_not_called_a_hot_spot() -> None:
    # A 3x3 block: eight cells of 9 records around a centre of 1 (73 records), nothing elsewhere. Gi* finds
    # the centre's neighbourhood (all 73) far above chance, but 1 record there is no concentration.
    block = {f"G{r}{c}": 9 for r in (3, 4, 5) for c in (6, 7, 8)} | {"G47": 1}
    result = hotspots_from_counts(one_month(block), grid())
    table = result.table.set_index("lsoa_code")
    centre = table.loc["G47"]
    assert centre["p_fdr"] < 0.05 and centre["gi_z"] > 0  # significant and high by Gi* alone...
    assert not centre["hot"]  # ...but fewer than MIN_COUNT records: not a hot spot
    assert centre["note"].startswith(f"not called a hot spot: 1 record here, fewer than {MIN_COUNT}")
    assert set(result.hotspots["lsoa_code"]) <= set(block) - {"G47"}
    assert (result.hotspots["count"] >= MIN_COUNT).all() and len(result.hotspots) >= 1
    # Empty cells touching the block are significant too (Gi* reads their neighbourhood): withheld alike.
    withheld = table[table["note"].str.startswith("not called a hot spot")]
    assert "G47" in withheld.index and (withheld["count"] < MIN_COUNT).all()
    assert (withheld["p_fdr"] < 0.05).all() and (withheld["gi_z"] > 0).all()
    assert result.metadata["withheld"] == len(withheld) and result.metadata["hot"] == len(result.hotspots)
    assert result.metadata["warnings"][0].startswith(
        f"{len(withheld)} LSOAs significant by Gi* but with fewer than 5 records each were not called hot "
        "spots"
    )


def test_one_month_hot_spot_says_why_its_class_is_none() -> None:
    block = {f"G{r}{c}": 9 for r in (3, 4, 5) for c in (6, 7, 8)}
    result = hotspots_from_counts(one_month(block), grid())
    hot = result.hotspots
    assert len(hot) >= 1 and set(hot["class"]) == {"none"}
    assert set(hot["note"]) == {
        "class none: one month only, and a space-time class needs two or more monthly maps"
    }
    quiet = result.table.loc[~result.table["hot"], "note"]
    assert (quiet.eq("") | quiet.str.startswith("not called a hot spot")).all()


def test_sparse_counts_are_warned_about() -> None:
    # 81 records over 100 cells: fewer than one per LSOA.
    sparse = {f"G{r}{c}": 9 for r in (3, 4, 5) for c in (6, 7, 8)}
    result = hotspots_from_counts(one_month(sparse), grid())
    assert any(
        w.startswith("Only 81 records over 100 LSOAs (0.81 per LSOA; 91% of LSOAs have none)")
        for w in result.metadata["warnings"]
    )
    dense = one_month({f"G{r}{c}": 2 for r in range(SIDE) for c in range(SIDE)} | sparse)
    assert not any(w.startswith("Only") for w in hotspots_from_counts(dense, grid()).metadata["warnings"])
