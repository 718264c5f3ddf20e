"""What the strategy's rows count: possession of a blade whatever its flags, the appendix's definition beside
the offence groups Table 2 counted, and the Home Office definitions, on one hand-made extract."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import copy_warehouse
from vrhub.config import settings
from vrhub.hub import Hub
from vrhub.measures import MeasureRequest, load_catalogue

FORCE = "E23000004"

# K1 possession of a blade, no flags, 2019: suspect 30
# K2 possession of a blade, firearm flag only, 2019: suspect 40
# K3 possession of a blade, knife flag, 2019: victim 20 (a person threatened), suspect 17
# K4 knife assault with injury, domestic, 2019: victim 35
# K5 personal robbery, no flags, 2019: victim 50
# K6 possession of firearms with intent, no flags, 2019: suspect 22
EXTRACT = """crime_ref,recorded_date,committed_date,offence_code,knife_flag,firearm_flag,domestic_flag,lsoa_code,person_role,person_ref,age,sex
K1,2019-02-01,2019-02-01,10D,N,N,N,E01006412,suspect,Q1,30,M
K2,2019-03-01,2019-03-01,10D,N,Y,N,E01006412,suspect,Q2,40,M
K3,2019-04-01,2019-04-01,10D,Y,N,N,E01006412,victim,Q3,20,F
K3,2019-04-01,2019-04-01,10D,Y,N,N,E01006412,suspect,Q4,17,M
K4,2019-05-01,2019-05-01,8N,Y,N,Y,E01006412,victim,Q5,35,F
K5,2019-06-01,2019-06-01,34B,N,N,N,E01006412,victim,Q6,50,M
K6,2019-07-01,2019-07-01,10A,N,N,N,E01006412,suspect,Q7,22,M
"""  # noqa: E501 - a CSV header line is as long as it is

EXPECTED = {
    # every 10D, whatever its flags: K1, K2, K3
    "local_knife_sv": 3,
    "ho_knife_sv": 3,
    "ho_knife_sv_suspect_u25": 1,  # K3's suspect is 17
    "ho_knife_sv_victim_u25": 1,  # K3 names a victim of 20
    "local_knife_victims_u25": 1,
    # the appendix: K5 (robbery on any flag); K4 is domestic, possession offences are never on it
    "local_sv_offences_appendix": 1,
    # the offence groups Table 2 counted: K1, K2, K3, K6 (possession of weapons), K4 (violence against the
    # person); robbery (K5) is its own group
    "local_sv_offences": 5,
    "local_sv_victims_u25": 1,  # K3's victim (20) is the only victim under 25 in those groups
    "ho_sv_offences": 1,  # K4: knife-enabled assault with injury
    "ho_hotspot_offences": 2,  # K4 (violence with injury), K5 (robbery)
    "ho_knife_offences": 1,  # K4 (8N with the knife flag); 10D is not an ONS selected offence
    "ho_gun_crime": 2,  # K2 (firearm flag), K6 (a firearms offence)
}


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory, _initialised_warehouse: Path) -> Hub:
    folder = copy_warehouse(_initialised_warehouse, tmp_path_factory.mktemp("strategy-rows"))
    extract = folder / "extract.csv"
    extract.write_text(EXTRACT)
    hub = Hub(settings(data_dir=folder))
    [summary] = hub.ingest("police-records", [extract])
    assert summary.rows_loaded == 7
    return hub


@pytest.mark.slow
def test_each_row_counts_what_its_label_says(hub: Hub) -> None:
    table = hub.measures(MeasureRequest(measures=list(EXPECTED))).table.to_pylist()
    got = {
        r["measure_id"]: r["value"]
        for r in table
        if r["area_code"] == FORCE and r["period"] == "2019" and not r["breakdown"]
    }
    assert got == EXPECTED


def test_the_local_definitions_exclusion_is_counted(hub: Hub) -> None:
    effect = hub.definition_effect("merseyside_local").to_pylist()
    assert effect == [{"year": 2019, "meet_rules": 2, "excluded": 1, "counted": 1}]  # K4 and K5; K4 domestic


def test_rows_asking_for_victims_of_possession_say_there_are_none() -> None:
    catalogue = load_catalogue()
    for measure_id in ("ho_knife_sv_victim_u25", "local_knife_victims_u25"):
        note = catalogue.get(measure_id).note
        assert "no victim" in note and "subset" in note
    for measure_id in ("local_knife_sv", "ho_knife_sv", "local_sv_offences"):
        assert catalogue.get(measure_id).note
