"""Hot spots on four real police.uk months (Merseyside, Sep-Dec 2019) from ../shared/realdata.

Run with `-s` to see the named hot spots. The violence map is written to /tmp for a person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REALDATA, TEST_KEY, copy_warehouse
from vrhub.analysis.hotmap import map_png
from vrhub.analysis.hotspots import HotspotResult, find_hotspots
from vrhub.config import settings
from vrhub.hub import Hub

pytestmark = [
    pytest.mark.realdata,
    pytest.mark.skipif(
        not REALDATA.is_dir(),
        reason=f"real public data not found at {REALDATA} (../shared/realdata beside the project)",
    ),
]

MONTHS = ["2019-09", "2019-10", "2019-11", "2019-12"]
MAP_PNG = Path("/tmp/vrhub-hotspots-violence-2019.png")
# Liverpool city centre in 2011 LSOAs (MSOAs Liverpool 060 and 061: the commercial core, Ropewalks,
# Bold Street, the waterfront), as the data show them: the most violent area of Merseyside by far.
CITY_CENTRE = {
    "Liverpool 060A",
    "Liverpool 060B",
    "Liverpool 060C",
    "Liverpool 060D",
    "Liverpool 060E",
    "Liverpool 061A",
    "Liverpool 061B",
    "Liverpool 061C",
}


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory, _initialised_warehouse: Path) -> Iterator[Hub]:
    folder = copy_warehouse(_initialised_warehouse, tmp_path_factory.mktemp("hotspots-realdata"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VRHUB_PSEUDONYM_KEY", TEST_KEY)
        mp.delenv("VRHUB_WAREHOUSE", raising=False)
        hub = Hub(settings(data_dir=folder))
        files = [REALDATA / "police-uk" / f"{m}-merseyside-street.csv" for m in MONTHS]
        list(hub.ingest("police-uk", files))
        yield hub


@pytest.fixture(scope="module")
def results(hub: Hub) -> dict[str, HotspotResult]:
    with hub.open(read_only=True) as wh:
        return {
            ct: find_hotspots(wh, crime_type=ct)
            for ct in ("Violence and sexual offences", "Robbery", "Possession of weapons")
        }


def show(result: HotspotResult) -> None:
    meta = result.metadata
    print(
        f"\n{meta['subject']}, {result.period_label}: {meta['hot']} hot LSOAs of {meta['lsoas']} "
        f"({meta['vintage']} LSOAs; {meta['rows_counted']:,} counted, excluded {meta['rows_excluded']})"
    )
    for r in result.hotspots.to_dict("records"):
        print(
            f"  {r['lsoa_name']:<16} {r['lsoa_code']}  count {r['count']:>4}  z {r['gi_z']:6.2f}  "
            f"p_fdr {r['p_fdr']:.1e}  {r['class']}"
        )


@pytest.mark.slow
def test_violence_hot_spots_are_liverpool_city_centre(results: dict[str, HotspotResult]) -> None:
    result = results["Violence and sexual offences"]
    show(result)
    meta = result.metadata
    assert meta["months"] == MONTHS and meta["vintage"] == 2011 and meta["lsoas"] == 910
    # 17,409 violence rows in the four files; 4 fall in LSOAs outside the five boroughs.
    assert meta["rows_counted"] == 17_405 and meta["rows_excluded"] == {
        "no_lsoa": 0,
        "out_of_area": 4,
        "no_boundary": 0,
    }
    assert meta["rows_mapped"]["rows"] == 0  # months all coded to 2011 LSOAs stay on them
    hot = set(result.hotspots["lsoa_name"])
    assert hot >= CITY_CENTRE
    top = result.table.head(8)
    assert top["hot"].all() and top["lsoa_name"].str.match(r"Liverpool 06[012]|Liverpool 023D").all()
    assert set(top["lsoa_name"]) >= {"Liverpool 060C", "Liverpool 061C"}  # the two busiest LSOAs
    # The town centres of Birkenhead (Wirral 016) and St Helens (St. Helens 014) stand out too.
    assert {"Wirral 016A", "Wirral 016C", "St. Helens 014C"} <= hot
    # Hot in every one of the four months: persistent.
    assert (result.table.set_index("lsoa_name").loc[sorted(CITY_CENTRE), "class"] == "persistent").all()


def test_robbery_and_weapons_hot_spots_centre_on_liverpool(results: dict[str, HotspotResult]) -> None:
    for crime_type in ("Robbery", "Possession of weapons"):
        result = results[crime_type]
        show(result)
        assert result.metadata["hot"] > 0
        assert result.table.iloc[0]["lsoa_name"] in {"Liverpool 060C", "Liverpool 061C"}
        assert result.hotspots["lad_code"].eq("E08000012").mean() > 0.9  # almost all in Liverpool


@pytest.mark.slow
def test_violence_map_is_written(results: dict[str, HotspotResult]) -> None:
    path = map_png(results["Violence and sexual offences"], MAP_PNG)
    assert path.stat().st_size > 50_000
    print(f"\nmap: {path}")
