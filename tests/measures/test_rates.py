"""A rate is per 100,000 of the people the row is about: an age band's population for an age band, a
sex's for a sex (blank, with the reason, when the population data has no sex), never all ages."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import copy_warehouse
from vrhub.config import settings
from vrhub.hub import Hub
from vrhub.measures import MeasureRequest

FORCE, LIVERPOOL = "E23000004", "E08000012"
BOROUGHS = ("E08000011", "E08000012", "E08000013", "E08000014", "E08000015")
HEADER = (
    "crime_ref,recorded_date,committed_date,offence_code,knife_flag,firearm_flag,domestic_flag,lsoa_code,"
    "person_role,person_ref,age,sex"
)
# Liverpool (E01006513), 2019: R1 a victim aged 5 (F); R2 victims aged 20 (M) and 8 (M); R3 a victim of
# 40 (F); R4 a victim of unknown age and sex.
EXTRACT = f"""{HEADER}
R1,2019-02-01,2019-02-01,34B,N,N,N,E01006513,victim,V1,5,F
R2,2019-03-01,2019-03-01,34B,N,N,N,E01006513,victim,V2,20,M
R2,2019-03-01,2019-03-01,34B,N,N,N,E01006513,victim,V3,8,M
R3,2019-04-01,2019-04-01,34B,N,N,N,E01006513,victim,V4,40,F
R4,2019-05-01,2019-05-01,34B,N,N,N,E01006513,victim,V5,,
"""
MEASURES = """measures:
  robberies:
    title: Personal robberies
    source: police_records
    where: {offence_code: 34B}
    count: offences
    unit: offences
  robbery_victims_u25:
    title: Victims of personal robbery under 25
    source: police_records
    where: {offence_code: 34B}
    person: {role: victim, age_under: 25}
    count: victim_incidents
    unit: victims
    population: under_25
"""
# ONS mid-2019 (the shipped file), Liverpool: all ages 498,042; aged 0-9 57,608; aged 18-24 68,857.
LIVERPOOL_ALL, LIVERPOOL_0_9, LIVERPOOL_18_24 = 498_042, 57_608, 68_857


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory, _initialised_warehouse: Path) -> Hub:
    folder = copy_warehouse(_initialised_warehouse, tmp_path_factory.mktemp("rates"))
    (folder / "extract.csv").write_text(EXTRACT)
    (folder / "mine.yaml").write_text(MEASURES)
    hub = Hub(settings(data_dir=folder))
    [summary] = hub.ingest("police-records", [folder / "extract.csv"])
    assert summary.rows_loaded == 5
    return hub


def rows(hub: Hub, measure: str, by: str, area: str = LIVERPOOL) -> dict[str, dict]:
    request = MeasureRequest(measures=[measure], area=area, by=by)
    table = hub.measures(request, catalogue=hub.settings.data_dir / "mine.yaml").table
    return {r["breakdown"]: r for r in table.to_pylist() if r["period"] == "2019"}


def test_the_shipped_population_holds_the_figures_these_tests_use() -> None:
    import csv
    from importlib import resources

    text = (resources.files("vrhub") / "data" / "ons_mid2019_population_merseyside.csv").read_text("utf-8")
    row = next(r for r in csv.DictReader(text.splitlines()) if r["Code"] == LIVERPOOL)
    ages = {k: int(v.replace(",", "")) for k, v in row.items() if k not in ("Code", "Name", "Geography")}
    assert ages["All ages"] == LIVERPOOL_ALL
    assert sum(ages[str(a)] for a in range(10)) == LIVERPOOL_0_9
    assert sum(ages[str(a)] for a in range(18, 25)) == LIVERPOOL_18_24


@pytest.mark.slow
def test_an_age_band_is_rated_by_that_bands_population(hub: Hub) -> None:
    got = rows(hub, "robberies", "age_band")
    # R1 (5) and R2 (youngest victim 8) are in 0-9: 2 per 57,608 residents aged 0-9, not per 498,042.
    assert got["age_band=0-9"]["value"] == 2
    assert got["age_band=0-9"]["rate_per_100k"] == round(2 / LIVERPOOL_0_9 * 100_000, 1) == 3.5
    assert got[""]["rate_per_100k"] == round(4 / LIVERPOOL_ALL * 100_000, 1)
    # R4's victim has no age: a row of its own, with no rate and the reason.
    assert got["age_band=unknown"]["value"] == 1 and got["age_band=unknown"]["rate_per_100k"] is None
    assert "no rate for a victim of unknown age" in got["age_band=unknown"]["notes"]


@pytest.mark.slow
def test_an_under_25_measure_has_only_bands_under_25_each_by_its_own_population(hub: Hub) -> None:
    got = rows(hub, "robbery_victims_u25", "age_band")
    bands = {b for b in got if b}
    assert bands == {"age_band=0-9", "age_band=10-17", "age_band=18-24", "age_band=unknown"}
    assert got["age_band=18-24"]["value"] == 1  # V2, aged 20
    assert got["age_band=18-24"]["rate_per_100k"] == round(1 / LIVERPOOL_18_24 * 100_000, 1)
    assert got["age_band=0-9"]["value"] == 2  # V1 and V3: victims, each counted
    assert sum(r["value"] for b, r in got.items() if b) == got[""]["value"] == 3


def test_a_sex_without_a_population_by_sex_has_no_rate_and_says_why(hub: Hub) -> None:
    got = rows(hub, "robberies", "sex")
    # Each crime once, by its youngest victim's sex: R1 F, R2 M (8), R3 F, R4 unknown.
    assert {b: r["value"] for b, r in got.items()} == {
        "": 4,
        "sex=F": 2,
        "sex=M": 1,
        "sex=U": 1,
        "sex=no victim recorded": 0,  # every robbery here records a victim
    }
    for band in ("sex=F", "sex=M"):
        assert got[band]["rate_per_100k"] is None
        assert "no rate by sex: the population data has no figures by sex" in got[band]["notes"]
    assert got["sex=F"]["breakdown_person"] == "victim"


def by_sex_file(path: Path, per_age: dict[str, int], codes: tuple[str, ...] = BOROUGHS) -> Path:
    """An ONS-layout file with a Sex column: each borough's estimate is `per_age[sex]` at every age."""
    header = "Code,Name,Geography,Sex,All ages," + ",".join([*(str(a) for a in range(90)), "90+"])
    lines = [header]
    for code in codes:
        for sex, n in per_age.items():
            lines.append(f"{code},Area,Metropolitan District,{sex},{n * 91}," + ",".join([str(n)] * 91))
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.slow
def test_a_sex_is_rated_by_that_sexs_population_once_loaded(hub: Hub, tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "copy"
    shutil.copytree(hub.settings.data_dir, folder)
    own = Hub(settings(data_dir=folder))
    [loaded] = own.ingest("population", [by_sex_file(tmp_path / "ons_2019_by_sex.csv", {"Males": 300})])
    assert loaded.rows_loaded == 5 and loaded.rows_quarantined == 0
    request = MeasureRequest(measures=["robberies"], area=LIVERPOOL, by="sex")
    table = own.measures(request, catalogue=folder / "mine.yaml").table.to_pylist()
    got = {r["breakdown"]: r for r in table if r["period"] == "2019"}
    # 1 crime per 91 x 300 = 27,300 males; the persons' rows still rate the whole population.
    assert got["sex=M"]["rate_per_100k"] == round(1 / 27_300 * 100_000, 1) == 3.7
    assert got[""]["rate_per_100k"] == round(4 / LIVERPOOL_ALL * 100_000, 1)
    # No females in the file: no rate for them, and the notes say so.
    assert got["sex=F"]["rate_per_100k"] is None and "no rate by sex" in got["sex=F"]["notes"]
    # The force area's population by sex is its boroughs' (5 x 27,300).
    force = own.measures(
        MeasureRequest(measures=["robberies"], area=FORCE, by="sex"), catalogue=folder / "mine.yaml"
    )
    row = next(r for r in force.table.to_pylist() if r["breakdown"] == "sex=M" and r["period"] == "2019")
    assert row["rate_per_100k"] == round(1 / (5 * 27_300) * 100_000, 1)


@pytest.mark.slow
def test_population_by_sex_loads_beside_persons_and_replaces_only_its_own_sex(
    hub: Hub, tmp_path: Path
) -> None:
    import shutil

    folder = tmp_path / "copy"
    shutil.copytree(hub.settings.data_dir, folder)
    own = Hub(settings(data_dir=folder))

    def totals() -> dict[str, int]:
        table = own.sql(
            "SELECT sex, sum(population) AS n FROM population "
            f"WHERE year = 2019 AND area_code = '{LIVERPOOL}' GROUP BY sex"
        ).to_pylist()
        return {r["sex"]: r["n"] for r in table}

    assert totals() == {"all": LIVERPOOL_ALL}  # the shipped estimates, for both sexes
    [first] = own.ingest("population", [by_sex_file(tmp_path / "ons_2019_a.csv", {"M": 300, "female": 200})])
    assert first.rows_loaded == 10
    assert totals() == {"all": LIVERPOOL_ALL, "M": 27_300, "F": 18_200}
    [second] = own.ingest(
        "population", [by_sex_file(tmp_path / "ons_2019_b.csv", {"1": 310})]
    )  # ONS: 1 males
    assert second.rows_loaded == 5
    assert totals() == {"all": LIVERPOOL_ALL, "M": 28_210, "F": 18_200}


@pytest.mark.slow
def test_a_bad_sex_in_a_population_file_is_quarantined_naming_the_row_and_field(
    hub: Hub, tmp_path: Path
) -> None:
    import shutil

    folder = tmp_path / "copy"
    shutil.copytree(hub.settings.data_dir, folder)
    own = Hub(settings(data_dir=folder))
    path = by_sex_file(tmp_path / "ons_2019_bad.csv", {"M": 300, "Other": 1}, codes=(LIVERPOOL,))
    [summary] = own.ingest("population", [path])
    assert summary.rows_loaded == 1 and summary.rows_quarantined == 1
    [held] = own.quarantine().to_pylist()
    assert (held["row_number"], held["field"], held["value"]) == (3, "Sex", "Other")
    assert held["reason"].startswith("not one of the allowed values")
