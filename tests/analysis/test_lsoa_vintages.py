"""A period spanning the 2011 to 2021 LSOA change: police.uk months coded to 2011 LSOAs (to 2021-12) and
to 2021 LSOAs (from 2022-01). Hot spots and trends count every row; 2011 codes go to their best-fit 2021
LSOA and the output says how many did."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from vrhub.analysis.hotmap import map_svg
from vrhub.analysis.hotspots import find_hotspots, lsoa_counts
from vrhub.hub import Hub

pytestmark = pytest.mark.slow

HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context"
)
VIOLENCE, ROBBERY = "Violence and sexual offences", "Robbery"
KNOWSLEY, LIVERPOOL = "E08000011", "E08000012"
ROWS = [  # month, LSOA code, LSOA name, crime type
    ("2021-11", "E01006441", "Knowsley 006D", VIOLENCE),  # 2011 only: split into 006E and 006F
    ("2021-11", "E01006441", "Knowsley 006D", VIOLENCE),
    ("2021-11", "E01006720", "Liverpool 035A", VIOLENCE),  # 2011 only: merged with 035F into 035G
    ("2021-11", "E01006412", "Knowsley 006A", VIOLENCE),  # the same code in both vintages
    ("2021-12", "E01006752", "Liverpool 035F", ROBBERY),  # 2011 only: merged with 035A into 035G
    ("2021-12", "E01006441", "Knowsley 006D", VIOLENCE),
    ("2022-01", "E01034833", "Knowsley 006F", VIOLENCE),  # 2021: 68% of old 006D's area
    ("2022-01", "E01034832", "Knowsley 006E", VIOLENCE),  # 2021: the other 32%
    ("2022-01", "E01034401", "Liverpool 035G", VIOLENCE),  # 2021
    ("2022-01", "E01034401", "Liverpool 035G", ROBBERY),
    ("2022-02", "E01034401", "Liverpool 035G", VIOLENCE),
    ("2022-02", "E01006412", "Knowsley 006A", VIOLENCE),
    ("2022-02", "", "", VIOLENCE),  # no location: left out of the map, said so
]
MONTHS = ["2021-11", "2021-12", "2022-01", "2022-02"]


def write_months(folder: Path, rows: list[tuple[str, str, str, str]] = ROWS) -> list[Path]:
    """One police.uk file per month, as police.uk publishes them."""
    paths = []
    for month in sorted({r[0] for r in rows}):
        lines = [HEADER] + [
            f"{hashlib.sha256(f'{m} {i}'.encode()).hexdigest()},{m},Merseyside Police,Merseyside Police,"
            "-2.9,53.4,"
            f"On or near X,{code},{name},{ct},Under investigation,"
            for i, (m, code, name, ct) in enumerate(rows)
            if m == month
        ]
        path = folder / f"{month}-merseyside-street.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture
def spanning(hub: Hub, tmp_path: Path) -> Hub:
    list(hub.ingest("police-uk", write_months(tmp_path)))
    return hub


def test_hot_spots_count_every_row_of_both_vintages(spanning: Hub) -> None:
    with spanning.open(read_only=True) as wh:
        result = find_hotspots(wh)
    meta = result.metadata
    assert meta["vintage"] == 2021 and meta["months"] == MONTHS and meta["lsoas"] == 923
    assert meta["rows_counted"] == len(ROWS) - 1 == result.table["count"].sum()
    assert meta["rows_excluded"] == {"no_lsoa": 1, "out_of_area": 0, "no_boundary": 0}
    # Hand-counted: 006D's three rows go to 006F (most of its area), 035A and 035F's to 035G.
    assert meta["rows_mapped"] == {
        "rows": 5,
        "lsoas": 3,
        "from": 2011,
        "to": 2021,
        "lookup": "best fit by area of overlap of the shipped boundaries",
    }
    counts = result.table.set_index("lsoa_code")["count"]
    assert counts[counts > 0].sort_index().to_dict() == {
        "E01006412": 2,  # Knowsley 006A, in both vintages
        "E01034401": 5,  # Liverpool 035G: 1 (035A) + 1 (035F) + 3
        "E01034832": 1,  # Knowsley 006E: only its own 2022 row
        "E01034833": 4,  # Knowsley 006F: 3 (006D) + 1
    }
    # Every month's map, which the space-time classes are made from, is on the same 2021 LSOAs.
    assert list(result.monthly_hot.columns) == MONTHS and len(result.monthly_hot) == 923
    assert result.vintage_note == (
        "On 2021 LSOA boundaries: 5 records coded to 2011 LSOAs that changed in 2021 (3 LSOAs) were "
        "counted in their best-fit 2021 LSOA (best fit by area of overlap of the shipped boundaries)."
    )
    assert "5 coded to 2011 LSOAs counted in their best-fit 2021 LSOA" in map_svg(result)
    assert '"rows_mapped":{"rows":5' in result.geojson()


def test_monthly_counts_keep_each_month_on_2021_lsoas(spanning: Hub) -> None:
    with spanning.open(read_only=True) as wh:
        robbery = lsoa_counts(wh, crime_type=ROBBERY)
        december = lsoa_counts(wh, start="2021-11", end="2021-12")
    # Robbery: one 2011 row (035F, December) and one 2021 row (035G, January), both in 035G.
    assert robbery.to_dict("records") == [
        {"month": "2021-12", "lsoa_code": "E01034401", "count": 1},
        {"month": "2022-01", "lsoa_code": "E01034401", "count": 1},
    ]
    assert robbery.attrs["vintage"] == 2021 and robbery.attrs["rows_mapped"]["rows"] == 1
    # Months before the change alone stay on the 2011 LSOAs they were coded to: nothing to map.
    assert december.attrs["vintage"] == 2011 and december.attrs["rows_mapped"]["rows"] == 0
    assert december["count"].sum() == 6 and "E01006441" in set(december["lsoa_code"])


def _trend(hub: Hub, area: str) -> dict[str, float]:
    table = hub.trend("police_uk_sv_proxy", area).table
    return dict(zip(table["month"], table["value"], strict=True))


# Hand-counted from ROWS: the borough of each LSOA (006D/006E/006F/006A Knowsley, 035x Liverpool).
KNOWSLEY_MONTHS = {"2021-11": 3.0, "2021-12": 1.0, "2022-01": 2.0, "2022-02": 1.0}
LIVERPOOL_MONTHS = {"2021-11": 1.0, "2021-12": 1.0, "2022-01": 2.0, "2022-02": 1.0}


def test_borough_trends_count_every_row_of_both_vintages(spanning: Hub) -> None:
    assert _trend(spanning, KNOWSLEY) == KNOWSLEY_MONTHS
    assert _trend(spanning, LIVERPOOL) == LIVERPOOL_MONTHS
    assert _trend(spanning, "E23000004") == {"2021-11": 4.0, "2021-12": 2.0, "2022-01": 4.0, "2022-02": 3.0}


def test_a_lookup_of_2021_lsoas_only_still_puts_2011_codes_in_their_borough(hub: Hub, tmp_path: Path) -> None:
    """A partnership that loaded ONS's 2021 lookup alone: retired 2011 codes take their best fit's borough
    instead of falling out of the borough trends (while still counted in the force total)."""
    with hub.open() as wh:
        wh.con.raw_sql("DELETE FROM lsoa_lookup WHERE lsoa_vintage = 2011")
    summaries = list(hub.ingest("police-uk", write_months(tmp_path)))
    assert sum(s.rows_loaded for s in summaries) == len(ROWS)
    assert _trend(hub, KNOWSLEY) == KNOWSLEY_MONTHS
    assert _trend(hub, LIVERPOOL) == LIVERPOOL_MONTHS
    with hub.open(read_only=True) as wh:
        rows = wh.to_arrow(wh.table("police_uk_crimes").select("lsoa_code", "out_of_area")).to_pandas()
    assert not rows["out_of_area"].any()


# -- real police.uk months (2011 codes) beside a 2022 month (2021 codes) ---------------------------------
@pytest.mark.realdata
def test_real_2011_coded_months_and_a_2021_coded_month_lose_nothing(
    realdata: Path, hub: Hub, tmp_path: Path
) -> None:
    real = [
        realdata / "police-uk" / "police-uk-2014-04-merseyside-street.csv",
        realdata / "police-uk" / "2019-12-merseyside-street.csv",
    ]
    later = write_months(tmp_path, [r for r in ROWS if r[0] == "2022-01"])
    list(hub.ingest("police-uk", [*real, *later]))
    with hub.open(read_only=True) as wh:
        counts = lsoa_counts(wh)
    # Counted independently from the files: rows with a Merseyside LSOA of either vintage (by the ONS
    # lookup in realdata), and those whose 2011 code was retired in 2021.
    lookup = pd.read_csv(realdata / "geography" / "merseyside_lsoa_to_lad.csv", dtype=str)
    by_vintage = {v: set(g["lsoa_code"]) for v, g in lookup.groupby("lsoa_vintage")}
    frames = [pd.read_csv(p, dtype=str, usecols=["Month", "LSOA code"]) for p in [*real, *later]]
    rows = pd.concat(frames, ignore_index=True)
    assert len(rows) == 12_925 + 12_743 + 4
    inside = rows["LSOA code"].isin(by_vintage["2011"] | by_vintage["2021"])
    retired = rows["LSOA code"].isin(by_vintage["2011"] - by_vintage["2021"])
    assert counts.attrs["vintage"] == 2021
    assert counts.attrs["rows_counted"] == inside.sum() == counts["count"].sum()
    assert counts.attrs["rows_mapped"]["rows"] == retired.sum() > 0
    excluded = counts.attrs["rows_excluded"]
    assert excluded["no_boundary"] == 0
    assert excluded["no_lsoa"] + excluded["out_of_area"] == len(rows) - inside.sum()
    print(f"\n{inside.sum():,} rows counted, {retired.sum():,} mapped from 2011 LSOAs, excluded {excluded}")
