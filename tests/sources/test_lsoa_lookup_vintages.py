"""Placing records in boroughs when the loaded lookup has one LSOA vintage only: a retired 2011 code takes
its best-fit 2021 LSOA's borough; a code the lookup does not know at all is still kept, out of area."""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES
from tests.sources.helpers import ingest, rows
from vrhub.hub import Hub

pytestmark = pytest.mark.slow

PLACES = "SELECT DISTINCT lsoa_code, lad_code, out_of_area FROM police_records ORDER BY lsoa_code"
# The fixture's codes, by hand: E01006412 Knowsley 006A (both vintages), E01033793 St. Helens 013D (2021),
# E01006441 Knowsley 006D (2011; best fit Knowsley 006F), e01006513 Liverpool 060A (2011; best fit
# Liverpool 060F), E01018570 Cheshire West and Chester 004C (outside Merseyside), and a blank.
WITH_BOTH = [
    {"lsoa_code": "E01006412", "lad_code": "E08000011", "out_of_area": False},
    {"lsoa_code": "E01006441", "lad_code": "E08000011", "out_of_area": False},
    {"lsoa_code": "E01006513", "lad_code": "E08000012", "out_of_area": False},
    {"lsoa_code": "E01018570", "lad_code": None, "out_of_area": True},
    {"lsoa_code": "E01033793", "lad_code": "E08000013", "out_of_area": False},
    {"lsoa_code": None, "lad_code": None, "out_of_area": False},
]


@pytest.mark.parametrize("lookup", ["both vintages", "2021 only"])
def test_retired_2011_codes_find_their_borough(hub: Hub, lookup: str) -> None:
    if lookup == "2021 only":
        with hub.open() as wh:
            wh.con.raw_sql("DELETE FROM lsoa_lookup WHERE lsoa_vintage = 2011")
        assert rows(hub, "SELECT count(*) AS n FROM lsoa_lookup") == [{"n": 923}]
    ingest(hub, "police-records", FIXTURES / "police-records" / "good.csv")
    assert rows(hub, PLACES) == WITH_BOTH


def test_the_lookup_loaded_wins_over_the_best_fit(hub: Hub) -> None:
    """A partnership's own lookup may place a 2011 LSOA differently; the best fit only fills gaps."""
    with hub.open() as wh:
        wh.con.raw_sql("UPDATE lsoa_lookup SET lad_code = 'E08000015' WHERE lsoa_code = 'E01006441'")
    ingest(hub, "police-records", FIXTURES / "police-records" / "good.csv")
    assert rows(hub, "SELECT DISTINCT lad_code FROM police_records WHERE lsoa_code = 'E01006441'") == [
        {"lad_code": "E08000015"}
    ]
