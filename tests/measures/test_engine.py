"""The measure engine on a hand-made extract, every expected value counted by hand in the comments."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from tests.conftest import copy_warehouse
from vrhub.config import settings
from vrhub.errors import VrhubError
from vrhub.hub import Hub
from vrhub.measures import MeasureRequest

KNOWSLEY, LIVERPOOL, FORCE = "E08000011", "E08000012", "E23000004"

# C1 knife assault with injury (SV), Knowsley 2019: victim 19, suspect 22
# C2 personal robbery, no knife (SV), Liverpool 2019: victims 30 and 17
# C3 possession of a blade (SV, knife), Liverpool 2020: suspect 16
# C4 assault with injury, no knife (not SV), Liverpool 2020: victim 20
# C5 non-domestic knife homicide (SV), Liverpool 2020: victim 24, suspect 30
# C6 domestic homicide (SV), Knowsley 2020: victim 40
# C7 s18 GBH without a knife (SV), Halton (outside Merseyside) 2019: victim 25
# "SV" is the appendix's local definition (local_sv_offences_appendix: robbery, homicide and s18 GBH on any
# flag, knife-enabled assault with injury; never possession, never domestic), so 2020 has C5 alone. Table 2's
# offence groups (local_sv_offences) count violence against the person and possession of weapons instead:
# C1 and C7 in 2019, C3, C4, C5 and C6 in 2020 (not the robbery C2).
EXTRACT = """crime_ref,recorded_date,committed_date,offence_code,knife_flag,firearm_flag,domestic_flag,lsoa_code,person_role,person_ref,age,sex
C1,2019-03-02,2019-03-01,8N,Y,N,N,E01006412,victim,P1,19,M
C1,2019-03-02,2019-03-01,8N,Y,N,N,E01006412,suspect,P2,22,M
C2,2019-07-11,2019-07-10,34B,N,N,N,E01006513,victim,P3,30,F
C2,2019-07-11,2019-07-10,34B,N,N,N,E01006513,victim,P4,17,F
C3,2020-02-02,2020-02-02,10D,Y,N,N,E01006513,suspect,P5,16,M
C4,2020-05-05,2020-05-05,8N,N,N,N,E01006651,victim,P6,20,M
C5,2020-06-07,2020-06-06,1,Y,N,N,E01006651,victim,P7,24,M
C5,2020-06-07,2020-06-06,1,Y,N,N,E01006651,suspect,P8,30,M
C6,2020-08-09,2020-08-08,1,N,N,Y,E01006413,victim,P9,40,F
C7,2020-01-03,2019-12-31,5D,N,N,N,E01012393,victim,P10,25,M
"""  # noqa: E501 - a CSV header line is as long as it is


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory, _initialised_warehouse: Path) -> Hub:
    folder = copy_warehouse(_initialised_warehouse, tmp_path_factory.mktemp("measures"))
    extract = folder / "extract.csv"
    extract.write_text(EXTRACT)
    hub = Hub(settings(data_dir=folder))
    [summary] = hub.ingest("police-records", [extract])
    assert summary.rows_loaded == 10
    return hub


def values(table: pa.Table, **match: str) -> dict[tuple[str, str, str], float]:
    rows = [r for r in table.to_pylist() if all(r[k] == v for k, v in match.items())]
    return {(r["period"], r["area_code"], r["breakdown"]): r["value"] for r in rows}


@pytest.mark.slow
def test_serious_violence_offences_by_year_and_area(hub: Hub) -> None:
    table = hub.measures(MeasureRequest(measures=["local_sv_offences_appendix"])).table
    got = values(table)
    assert (
        got[("2019", FORCE, "")] == 3
    )  # C1, C2, C7 (C7 is outside the boroughs but inside the force's data)
    assert got[("2020", FORCE, "")] == 1  # C5; C3 is possession, C4 has no knife, C6 is domestic
    assert got[("2019", KNOWSLEY, "")] == 1 and got[("2019", LIVERPOOL, "")] == 1
    assert got[("2020", KNOWSLEY, "")] == 0 and got[("2020", LIVERPOOL, "")] == 1
    assert got[("2019", "E08000015", "")] == 0  # Wirral: nothing, reported as zero not missing
    row = next(r for r in table.to_pylist() if r["period"] == "2020" and r["area_code"] == FORCE)
    # The extract holds 3 months of 2019 (Mar, Jul, Dec) and 4 of 2020 (Feb, May, Jun, Aug): 3 crimes in
    # 3 months against 1 in 4: no calendar month in common, so no change (not -66.7%, nor -75% a month).
    assert row["months"] == 4 and row["change_vs_previous_pct"] is None
    assert row["change_vs_baseline_pct"] is None and row["rate_ratio"] is None
    assert (
        "no change on 2019: 2020 holds Feb, May-Jun, Aug and 2019 holds Mar, Jul, Dec, no calendar month in "
        "common"
    ) in row["notes"]
    assert row["area_name"] == "Merseyside"
    assert row["definition_version"].startswith("merseyside_local@")


@pytest.mark.slow
def test_person_filters(hub: Hub) -> None:
    table = hub.measures(
        MeasureRequest(
            measures=[
                "local_sv_victims_u25_appendix",
                "ho_knife_sv_suspect_u25",
                "ho_non_domestic_homicide",
                "ho_non_domestic_knife_homicide_u25",
                "local_knife_sv",
            ]
        )
    ).table
    u25 = values(table, measure_id="local_sv_victims_u25_appendix")
    assert u25[("2019", FORCE, "")] == 2  # P1 (19), P4 (17)
    assert u25[("2020", FORCE, "")] == 1  # P7 (24)
    assert values(table, measure_id="ho_knife_sv_suspect_u25")[("2020", FORCE, "")] == 1  # C3
    assert values(table, measure_id="ho_knife_sv_suspect_u25")[("2019", FORCE, "")] == 0
    assert values(table, measure_id="ho_non_domestic_homicide")[("2020", FORCE, "")] == 1  # C5, not C6
    assert values(table, measure_id="ho_non_domestic_knife_homicide_u25")[("2020", FORCE, "")] == 1
    assert values(table, measure_id="local_knife_sv")[("2020", LIVERPOOL, "")] == 1


def test_breakdown_by_victim_age_band(hub: Hub) -> None:
    table = hub.measures(MeasureRequest(measures=["local_sv_offences"], by="age_band", area=FORCE)).table
    got = values(table)
    # Table 2's offence groups; each crime once, in its youngest victim's band: the bands add up.
    assert got[("2019", FORCE, "age_band=18-24")] == 1  # C1's victim (19)
    assert got[("2019", FORCE, "age_band=25-34")] == 1  # C7 (25)
    assert got[("2019", FORCE, "")] == 2  # the whole population stays alongside
    assert got[("2020", FORCE, "age_band=no victim recorded")] == 1  # C3: possession, a suspect only
    assert got[("2020", FORCE, "age_band=18-24")] == 2  # C4 (20), C5 (24)
    assert got[("2020", FORCE, "age_band=35-49")] == 1  # C6 (40)
    assert got[("2020", FORCE, "age_band=unknown")] == 0  # shown, though nothing fell in it
    for year, total in (("2019", 2), ("2020", 4)):
        bands = [v for (p, _a, b), v in got.items() if p == year and b.startswith("age_band=")]
        assert len(bands) == 9 and sum(bands) == got[(year, FORCE, "")] == total
    people = {r["breakdown"]: r["breakdown_person"] for r in table.to_pylist()}
    assert people["age_band=0-9"] == "victim" and people[""] == ""


@pytest.mark.slow
def test_periods_and_changes(hub: Hub) -> None:
    table = hub.measures(MeasureRequest(measures=["local_sv_offences"], period="quarter", area=FORCE)).table
    got = values(table)
    assert got[("2019-Q1", FORCE, "")] == 1 and got[("2019-Q4", FORCE, "")] == 1  # C1; C7
    assert got[("2019-Q3", FORCE, "")] == 0  # C2 is a robbery, in no group counted
    assert got[("2020-Q3", FORCE, "")] == 1  # C6 in August
    q3 = next(r for r in table.to_pylist() if r["period"] == "2020-Q3")
    # 2019-Q3 holds one month of data (July) and 2020-Q3 one (August): 1 against 0, no percent change.
    assert q3["months"] == 1 and q3["change_vs_baseline_pct"] is None
    fy = values(
        hub.measures(
            MeasureRequest(measures=["local_sv_offences"], period="financial-year", area=FORCE)
        ).table
    )
    # 2018/19: C1 (March 2019); 2019/20: C7, C3 (Dec 2019, Feb 2020); 2020/21: C4, C5, C6.
    assert (
        fy[("2018/19", FORCE, "")] == 1
        and fy[("2019/20", FORCE, "")] == 2
        and fy[("2020/21", FORCE, "")] == 3
    )


def test_rate_per_100k_uses_the_boroughs_population(hub: Hub) -> None:
    table = hub.measures(MeasureRequest(measures=["local_sv_offences"], area=KNOWSLEY)).table
    row = next(r for r in table.to_pylist() if r["period"] == "2020")  # C6
    knowsley_mid_2020 = 152_452  # ONS mid-2020, all ages
    assert row["rate_per_100k"] == pytest.approx(round(1 / knowsley_mid_2020 * 100_000, 1))


@pytest.mark.slow
def test_a_measure_added_in_yaml_needs_no_python(hub: Hub, tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "measures:\n  female_victims:\n    title: Female victims of any recorded crime\n"
        "    source: police_records\n    where: {person_role: victim, sex: F}\n    count: records\n"
        "    unit: victims\n"
    )
    table = hub.measures(MeasureRequest(measures=["female_victims"], area=FORCE), catalogue=mine).table
    assert values(table) == {("2019", FORCE, ""): 2, ("2020", FORCE, ""): 1}  # P3, P4; P9


def test_every_row_names_its_snapshot_and_change_statistics(hub: Hub) -> None:
    table = hub.measures(
        MeasureRequest(measures=["local_sv_offences_appendix"], area=FORCE)
    ).table.to_pylist()
    # Three reference loads from `vrhub init` plus the extract: every row names the same state.
    snapshots = {r["snapshot"] for r in table}
    assert len(snapshots) == 1 and snapshots.pop().startswith("loads 1-4 (")
    row = next(r for r in table if r["period"] == "2020")
    # 1 crime over Feb, May, Jun and Aug against 3 over Mar, Jul and Dec: no month in common, nothing
    # compared, and the notes say so; 1 and 3 are small counts all the same.
    assert row["rate_ratio"] is None and row["wheeler_z"] is None and row["small_count"] is True
    assert row["rate_ratio_vs_baseline"] is None and row["p_value_vs_baseline"] is None
    assert row["notes"].endswith(
        "part period: 4 of 12 months of data (Feb, May-Jun, Aug), counted over those months; "
        "no change on 2019: 2020 holds Feb, May-Jun, Aug and 2019 holds Mar, Jul, Dec, no calendar month "
        "in common; rate over 4 months, not annualised"
    )
    # 2019's C7 lies outside the boroughs: the force's row says so.
    row_2019 = next(r for r in table if r["period"] == "2019")
    assert (
        "includes 1 counted in no reported borough (outside the five boroughs, or unplaced): the boroughs "
        "add up to 2; its rate divides all by the five boroughs' population"
    ) in row_2019["notes"]


def test_suspect_breakdowns_count_suspects(hub: Hub) -> None:
    table = hub.measures(
        MeasureRequest(measures=["local_sv_suspects"], by=["age_band", "sex"], area=FORCE)
    ).table
    got = values(table)
    assert got[("2019", FORCE, "")] == 1  # P2, 22, on C1
    assert got[("2019", FORCE, "age_band=18-24")] == 1 and got[("2019", FORCE, "sex=M")] == 1
    # 2020: P8 (30) on C5; P5 (16) is on C3, a possession offence, which the appendix never counts.
    assert got[("2020", FORCE, "age_band=10-17")] == 0 and got[("2020", FORCE, "age_band=25-34")] == 1


@pytest.mark.slow
def test_a_warehouse_with_nothing_loaded_gives_no_rows_not_an_error(data_dir, key) -> None:
    from vrhub.config import settings
    from vrhub.hub import Hub
    from vrhub.measures import COLUMNS, MeasureRequest

    hub = Hub(settings(data_dir=data_dir))  # initialised: reference data, no records
    empty = hub.measures(MeasureRequest())
    assert empty.table.num_rows == 0 and empty.table.column_names == COLUMNS
    one = hub.measures(MeasureRequest(measures=["ho_knife_admissions"], by="sex"))
    assert one.table.num_rows == 0


@pytest.mark.slow
def test_a_mistyped_area_is_an_error_naming_the_areas_there_are(
    hub: Hub, tmp_path: Path, data_dir: Path
) -> None:
    with pytest.raises(VrhubError, match="no area 'E08000099'") as raised:
        hub.measures(MeasureRequest(measures=["local_sv_offences"], area="E08000099"))
    assert "E08000012 Liverpool" in raised.value.hint and FORCE in raised.value.hint
    # A partner's reported figure may be for an area outside the lookup: asking for it is no mistake.
    figures = tmp_path / "england.csv"
    figures.write_text(
        "indicator_id,area_code,period,value,unit,note\nlocal_neet_16_17,E92000001,2019,5.5,percent,\n"
    )
    own = Hub(settings(data_dir=data_dir))
    [loaded] = own.ingest("indicators", [figures])
    assert loaded.rows_loaded == 1
    table = own.measures(MeasureRequest(measures=["local_neet_16_17"], area="E92000001")).table
    assert values(table) == {("2019", "E92000001", ""): 5.5}
