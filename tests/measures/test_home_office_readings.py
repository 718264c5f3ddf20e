"""Each Home Office measure says which reading it takes, counts what its note says, and does not depend on
the local definition: replacing `merseyside_local` (as a partnership may, through $VRHUB_DEFINITIONS) moves
the local figures and leaves every Home Office figure where it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import copy_warehouse
from vrhub.config import settings
from vrhub.definitions import DEFINITIONS_ENV, builtin_definitions
from vrhub.hub import Hub
from vrhub.measures import MeasureRequest, builtin_catalogue

FORCE = "E23000004"
HOME_OFFICE = [m for m in builtin_catalogue().measures.values() if m.id.startswith("ho_")]

# H1 homicide, not domestic, knife, 2019: victim 19 (non-domestic knife homicide of an under-25)
# H2 homicide, domestic, knife, 2019: victim 22 (domestic: neither homicide measure)
# H3 manslaughter, not domestic, no flags, 2019: victim 40
# H5 knife robbery of personal property, not domestic, 2019: victim 16 (an ONS selected offence)
# H6 knife assault with injury, domestic, 2019: victim 45 (selected; the local definition leaves it out)
# H7 possession of a blade, knife flag, 2019: suspect 18 (not a selected offence)
EXTRACT = """crime_ref,recorded_date,committed_date,offence_code,knife_flag,firearm_flag,domestic_flag,lsoa_code,person_role,person_ref,age,sex
H1,2019-02-01,2019-02-01,1,Y,N,N,E01006412,victim,V1,19,M
H2,2019-03-01,2019-03-01,1,Y,N,Y,E01006412,victim,V2,22,F
H3,2019-04-01,2019-04-01,4.1,N,N,N,E01006412,victim,V3,40,M
H5,2019-06-01,2019-06-01,34B,Y,N,N,E01006412,victim,V5,16,F
H6,2019-07-01,2019-07-01,8N,Y,N,Y,E01006412,victim,V6,45,F
H7,2019-08-01,2019-08-01,10D,Y,N,N,E01006412,suspect,V7,18,M
"""  # noqa: E501 - a CSV header line is as long as it is

EXPECTED = {
    "ho_non_domestic_homicide": 2,  # H1, H3
    "ho_non_domestic_knife_homicide_u25": 1,  # H1
    "ho_knife_offences": 4,  # H1, H2, H5, H6 (knife-flagged selected offences; H7 is possession)
    "ho_knife_offences_victim_u25": 3,  # H1 (19), H2 (22), H5 (16)
    "ho_knife_sv": 1,  # H7: the strategy's reading, possession of a blade
    # the appendix: homicide and robbery on any flag, domestic abuse left out: H1, H3, H5
    "local_sv_offences_appendix": 3,
}

# A partnership's own merseyside_local that counts nothing but possession of a blade.
NARROW_LOCAL = """name: merseyside_local
title: A narrowed local definition (test)
version: "9.9"
applies_to: police_records
source: test
description: possession of a blade only
rules:
  - label: Possession of an article with a blade
    offence_codes:
      - {code: "10D", label: Possession of an article with a blade or point}
"""


def figures(hub: Hub) -> dict[str, int]:
    table = hub.measures(MeasureRequest(measures=list(EXPECTED), area=FORCE)).table.to_pylist()
    return {r["measure_id"]: r["value"] for r in table if r["period"] == "2019" and not r["breakdown"]}


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory, _initialised_warehouse: Path) -> Hub:
    folder = copy_warehouse(_initialised_warehouse, tmp_path_factory.mktemp("home-office-readings"))
    extract = folder / "extract.csv"
    extract.write_text(EXTRACT)
    hub = Hub(settings(data_dir=folder))
    [summary] = hub.ingest("police-records", [extract])
    assert summary.rows_loaded == 6
    return hub


@pytest.mark.slow
def test_home_office_figures_do_not_move_when_the_local_definition_is_replaced(
    hub: Hub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert figures(hub) == EXPECTED
    (tmp_path / "local.yaml").write_text(NARROW_LOCAL)
    monkeypatch.setenv(DEFINITIONS_ENV, str(tmp_path))
    narrowed = figures(hub)
    assert narrowed["local_sv_offences_appendix"] == 1  # the replacement is in force: H7 only
    assert {m: v for m, v in narrowed.items() if m.startswith("ho_")} == {
        m: v for m, v in EXPECTED.items() if m.startswith("ho_")
    }


def test_no_home_office_measure_filters_through_a_local_definition() -> None:
    for measure in HOME_OFFICE:
        if measure.definition:
            assert measure.definition.startswith("home_office"), measure.id
            assert measure.definition in builtin_definitions()


def test_every_home_office_measure_says_what_it_counts() -> None:
    empty = [m.id for m in HOME_OFFICE if not m.note.strip()]
    assert empty == []


def test_the_homicide_notes_name_the_readings_vrhub_takes() -> None:
    catalogue = builtin_catalogue()
    homicide = catalogue.get("ho_non_domestic_homicide").note
    # "non-domestic": the force's domestic-abuse flag, not the Homicide Index's relationship
    assert "domestic-abuse flag" in homicide and "Homicide Index" in homicide and "partner" in homicide
    assert "date committed" in homicide
    knife = catalogue.get("ho_non_domestic_knife_homicide_u25").note
    assert "knife flag" in knife and "sharp instrument" in knife and "under 25" in knife
    assert "call" in catalogue.get("ho_ambulance_u25").note


def test_the_strategys_knife_reading_points_to_the_home_office_measure() -> None:
    catalogue = builtin_catalogue()
    for measure_id in ("ho_knife_sv", "ho_knife_sv_suspect_u25", "ho_knife_sv_victim_u25"):
        note = catalogue.get(measure_id).note
        assert "ho_knife_offences" in note and "Home Office" in note, measure_id
    ho = catalogue.get("ho_knife_offences")
    assert ho.definition == "home_office_knife" and "10D" in ho.note
    u25 = catalogue.get("ho_knife_offences_victim_u25")
    assert u25.definition == "home_office_knife"
    assert u25.person == {"role": "victim", "age_under": 25} and u25.population == "under_25"


def test_a_note_describes_the_unit_its_measure_counts() -> None:
    """A note copied from a measure of another unit (offences for victims) is caught: a victim-incident
    measure's note speaks of victim incidents, an offence measure's never counts victim incidents."""
    for measure in builtin_catalogue().measures.values():
        note = measure.note.lower()
        if not note:
            continue
        if measure.count == "victim_incidents":
            assert "victim incidents" in note, measure.id
            assert "counts the 10d offences" not in note, measure.id
        if measure.count == "offences":
            assert not note.startswith("victim incidents"), measure.id
