"""Breakdowns by age band and sex add up to the total: each crime in one band (its youngest counted
person's), crimes with no victim recorded and people of unknown age or sex in rows of their own."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import copy_warehouse
from tests.measures.test_engine import EXTRACT
from vrhub.config import settings
from vrhub.hub import Hub
from vrhub.measures import MeasureRequest, builtin_catalogue, cube
from vrhub.measures.expressions import breakdown_role

FORCE = "E23000004"
HEADER, *ENGINE_ROWS = EXTRACT.strip().splitlines()
# 2019, Knowsley (E01006412) and Liverpool (E01006513):
# K1 robbery: victims 30 (M) and 12 (F)               -> age 10-17, sex F (the 12-year-old)
# K2 robbery: two victims of unknown age, M and blank -> age unknown, sex M (M before U at equal age)
# K3 possession of a blade: a suspect (16) only       -> no victim recorded
# K4 assault with injury: victim 40 (F), suspect 19   -> age 35-49, sex F
# K5 robbery: victims 25 (blank sex) and 25 (M)       -> age 25-34, sex M
# K6 robbery: victims 17 (F) and 17 (M)               -> age 10-17, sex F (F before M at equal age)
ROWS = """K1,2019-03-02,2019-03-01,34B,N,N,N,E01006412,victim,Q1,30,M
K1,2019-03-02,2019-03-01,34B,N,N,N,E01006412,victim,Q2,12,F
K2,2019-04-02,2019-04-01,34B,N,N,N,E01006513,victim,Q3,,M
K2,2019-04-02,2019-04-01,34B,N,N,N,E01006513,victim,Q4,,
K3,2019-05-02,2019-05-01,10D,Y,N,N,E01006513,suspect,Q5,16,M
K4,2019-06-02,2019-06-01,8N,N,N,N,E01006513,victim,Q6,40,F
K4,2019-06-02,2019-06-01,8N,N,N,N,E01006513,suspect,Q7,19,M
K5,2019-07-02,2019-07-01,34B,N,N,N,E01006513,victim,Q8,25,
K5,2019-07-02,2019-07-01,34B,N,N,N,E01006513,victim,Q9,25,M
K6,2019-08-02,2019-08-01,34B,N,N,N,E01006513,victim,Q10,17,F
K6,2019-08-02,2019-08-01,34B,N,N,N,E01006513,victim,Q11,17,M
""".strip().splitlines()
MEASURES = """measures:
  any_offence:
    title: Every recorded crime
    source: police_records
    count: offences
    unit: offences
  robberies:
    title: Personal robberies
    source: police_records
    where: {offence_code: 34B}
    count: offences
    unit: offences
  with_a_suspect:
    title: Crimes with a suspect recorded
    source: police_records
    person: {role: suspect}
    count: offences
    unit: offences
  possession:
    title: Possession of a blade, by its suspects
    source: police_records
    where: {offence_code: 10D}
    person: {breakdown_by: suspect}
    count: offences
    unit: offences
  victims:
    title: Victims of any crime
    source: police_records
    count: victim_incidents
    unit: victims
"""


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory, _initialised_warehouse: Path) -> Hub:
    folder = copy_warehouse(_initialised_warehouse, tmp_path_factory.mktemp("breakdowns"))
    (folder / "extract.csv").write_text("\n".join([HEADER, *ROWS]) + "\n")
    (folder / "more.csv").write_text("\n".join([HEADER, *ENGINE_ROWS]) + "\n")
    (folder / "mine.yaml").write_text(MEASURES)
    hub = Hub(settings(data_dir=folder))
    [mine] = hub.ingest("police-records", [folder / "extract.csv"])
    [theirs] = hub.ingest("police-records", [folder / "more.csv"])
    assert (mine.rows_loaded, theirs.rows_loaded) == (11, 10)
    return hub


def bands(hub: Hub, measure: str, by: str, year: str = "2019") -> dict[str, int]:
    """The force area's non-zero rows in `year`, by breakdown ('' the total): both extracts' crimes."""
    request = MeasureRequest(measures=[measure], area=FORCE, by=by)
    table = hub.measures(request, catalogue=hub.settings.data_dir / "mine.yaml").table.to_pylist()
    return {r["breakdown"]: r["value"] for r in table if r["period"] == year and r["value"]}


@pytest.mark.slow
def test_every_crime_is_in_one_age_band_and_the_bands_add_up(hub: Hub) -> None:
    # 2019: K1-K6, and test_engine's C1 (victim 19), C2 (victims 30 and 17), C7 (victim 25).
    assert bands(hub, "any_offence", "age_band") == {
        "": 9,
        "age_band=10-17": 3,  # K1, K6, C2
        "age_band=18-24": 1,  # C1
        "age_band=25-34": 2,  # K5, C7
        "age_band=35-49": 1,  # K4
        "age_band=unknown": 1,  # K2
        "age_band=no victim recorded": 1,  # K3
    }
    assert bands(hub, "robberies", "age_band") == {
        "": 5,
        "age_band=10-17": 3,  # K1, K6, C2
        "age_band=25-34": 1,  # K5
        "age_band=unknown": 1,  # K2
    }


@pytest.mark.slow
def test_every_crime_is_in_one_sex_and_the_sexes_add_up(hub: Hub) -> None:
    assert bands(hub, "any_offence", "sex") == {
        "": 9,
        "sex=F": 4,  # K1, K4, K6, C2 (its youngest victim, 17, is F)
        "sex=M": 4,  # K2, K5, C1, C7
        "sex=no victim recorded": 1,  # K3
    }


def test_a_measure_of_a_role_breaks_down_by_that_role_with_no_row_for_its_absence(hub: Hub) -> None:
    # Crimes with a suspect: K3 (16), K4 (19), C1 (22); a crime without one is not counted at all.
    assert bands(hub, "with_a_suspect", "age_band") == {"": 3, "age_band=10-17": 1, "age_band=18-24": 2}
    request = MeasureRequest(measures=["with_a_suspect"], area=FORCE, by="age_band")
    table = hub.measures(request, catalogue=hub.settings.data_dir / "mine.yaml").table.to_pylist()
    assert {r["breakdown_person"] for r in table if r["breakdown"]} == {"suspect"}
    assert not [r for r in table if "recorded" in r["breakdown"]]


def test_victims_are_counted_each_in_their_own_band(hub: Hub) -> None:
    # Victim rows in 2019: K1 (30, 12), K2 (two unknown), K4 (40), K5 (25, 25), K6 (17, 17), C1 (19),
    # C2 (30, 17), C7 (25).
    assert bands(hub, "victims", "age_band") == {
        "": 13,
        "age_band=10-17": 4,
        "age_band=18-24": 1,
        "age_band=25-34": 5,
        "age_band=35-49": 1,
        "age_band=unknown": 2,
    }


def test_the_notes_say_how_a_crime_is_placed(hub: Hub) -> None:
    request = MeasureRequest(measures=["any_offence"], area=FORCE, by="sex")
    table = hub.measures(request, catalogue=hub.settings.data_dir / "mine.yaml").table.to_pylist()
    row = next(r for r in table if r["breakdown"] == "sex=F" and r["period"] == "2019")
    assert "each crime counted once, by its youngest victim's sex" in row["notes"]
    assert row["breakdown_person"] == "victim"


POLICE_OFFENCES = [
    m.id
    for m in builtin_catalogue().measures.values()
    if m.source == "police_records" and m.count == "offences"
]


@pytest.mark.parametrize("by", ["age_band", "sex"])
@pytest.mark.parametrize("counts", ["scanned", "counted at load"])
@pytest.mark.slow
def test_every_offence_measure_reconciles_in_every_period_and_area(
    hub: Hub, by: str, counts: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if counts == "scanned":
        monkeypatch.setattr(cube, "complete", lambda wh, source: set())
    for period in (None, "quarter", "month"):
        table = hub.measures(MeasureRequest(measures=POLICE_OFFENCES, by=by, period=period)).table.to_pylist()
        totals: dict[tuple, int] = {}
        summed: dict[tuple, int] = {}
        for r in table:
            if r["measure_id"] == "police_group_change_2021":
                continue  # split by offence group, whose rows are not people's
            key = (r["measure_id"], r["period"], r["area_code"])
            if r["breakdown"] == "":
                totals[key] = r["value"]
            else:
                summed[key] = summed.get(key, 0) + r["value"]
        assert totals and summed == totals


def test_whose_age_a_breakdown_counts() -> None:
    measures = builtin_catalogue().measures
    assert breakdown_role(measures["local_sv_offences"]) == "victim"
    assert breakdown_role(measures["local_sv_offences_u25_suspect"]) == "suspect"
    assert breakdown_role(measures["local_sv_suspects"]) == "suspect"  # where: {person_role: suspect}
    assert breakdown_role(measures["ed_assault_attendances"]) == "patient"


def test_an_offence_with_no_victim_breaks_down_by_the_role_its_measure_names(hub: Hub) -> None:
    # Possession offences have no victim: by victim, K3 (2019) and C3 (2020) would both be "no victim
    # recorded"; by suspect, each is its 16-year-old male suspect's. The total is every 10D either way.
    assert bands(hub, "possession", "age_band") == {"": 1, "age_band=10-17": 1}
    assert bands(hub, "possession", "sex", year="2020") == {"": 1, "sex=M": 1}
    request = MeasureRequest(measures=["possession"], area=FORCE, by="age_band")
    table = hub.measures(request, catalogue=hub.settings.data_dir / "mine.yaml").table.to_pylist()
    assert {r["breakdown_person"] for r in table if r["breakdown"]} == {"suspect"}
    assert "age_band=no suspect recorded" in {r["breakdown"] for r in table}


def test_the_shipped_possession_measures_break_down_by_suspect() -> None:
    measures = builtin_catalogue().measures
    assert [breakdown_role(measures[m]) for m in ("ho_knife_sv", "local_knife_sv")] == ["suspect"] * 2
