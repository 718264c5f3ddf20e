"""Each adapter's good rows, hand-checked value by value: dates in both formats, flags, codes normalised,
both LSOA vintages mapped to their borough, an LSOA outside Merseyside kept and marked out-of-area."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from tests.conftest import FIXTURES
from tests.sources.helpers import ingest, rows
from vrhub.errors import InputRefused
from vrhub.hub import Hub
from vrhub.pseudonymise import pseudonym

KNOWSLEY, LIVERPOOL, ST_HELENS = "E08000011", "E08000012", "E08000013"
OUT_OF_AREA = "E01018570"  # Cheshire West and Chester 004C


def by(table: list[dict], column: str) -> dict:
    return {r[column]: r for r in table}


def test_the_lsoa_rows_the_fixtures_use_are_the_shipped_ones(hub: Hub) -> None:
    """tests/fixtures/geography holds the real lookup rows the fixtures rely on (copied from ../shared)."""
    shipped = {
        (r["lsoa_vintage"], r["lsoa_code"]): (r["lsoa_name"], r["lad_code"], r["lad_name"])
        for r in rows(hub, "SELECT * FROM lsoa_lookup")
    }
    copied = duckdb.read_csv(
        str(FIXTURES / "geography" / "merseyside_lsoa_rows.csv"), all_varchar=True
    ).fetchall()
    assert len(copied) == 7
    for vintage, code, name, lad, lad_name in copied:
        assert shipped[(int(vintage), code)] == (name, lad, lad_name)
    assert (2021, "E01033793") in shipped and (2011, "E01033793") not in shipped  # a 2021-only code
    assert (2011, "E01006441") in shipped and (2021, "E01006441") not in shipped  # a 2011-only code
    assert not any(code == OUT_OF_AREA for _, code in shipped)
    # The areas fixture's LSOAs outside Merseyside carry their real ONS names and districts.
    ons = duckdb.read_csv(str(FIXTURES / "geography" / "ons_lsoa11_lad19_rows.csv"), all_varchar=True)
    real = {code: (name, lad, lad_name) for _, code, name, _, _, lad, lad_name in ons.fetchall()}
    areas = duckdb.read_csv(str(FIXTURES / "areas" / "good.csv"), all_varchar=True).fetchall()
    assert [
        real[code] == (name, lad, lad_name) for _, code, name, lad, lad_name, _, _ in areas if code in real
    ] == [True]


@pytest.mark.slow
def test_police_records(hub: Hub, key: bytes) -> None:
    ingest(hub, "police-records", FIXTURES / "police-records" / "good.csv")
    found = rows(hub, "SELECT * FROM police_records ORDER BY recorded_date, person_role DESC")
    assert len(found) == 7
    first, suspect, domestic, robbery, homicide, nobody, padded = found
    assert first["crime_key"] == suspect["crime_key"] == pseudonym(key, "MP/19/000123")
    assert (first["recorded_date"], first["committed_date"]) == (dt.date(2019, 3, 2), dt.date(2019, 3, 1))
    assert (first["offence_code"], first["offence_group"]) == ("8N", "violence-against-the-person")
    assert (first["knife"], first["firearm"], first["domestic"]) == (True, False, False)
    assert (first["lsoa_code"], first["lad_code"], first["out_of_area"]) == ("E01006412", KNOWSLEY, False)
    assert (first["person_role"], first["person_key"], first["age"], first["sex"]) == (
        "victim",
        pseudonym(key, "PERS-0001"),
        19,
        "M",
    )
    assert (suspect["person_role"], suspect["person_key"]) == ("suspect", pseudonym(key, "PERS-0002"))
    # DD/MM/YYYY dates; a 2021 LSOA code maps to its borough.
    assert (domestic["recorded_date"], domestic["committed_date"]) == (
        dt.date(2019, 4, 2),
        dt.date(2019, 4, 1),
    )
    assert domestic["domestic"] is True and domestic["sex"] == "F"
    assert (domestic["lsoa_code"], domestic["lad_code"], domestic["out_of_area"]) == (
        "E01033793",
        ST_HELENS,
        False,
    )
    # yes/no flags, "male"; an LSOA outside Merseyside is kept, marked out-of-area, with no borough.
    assert (robbery["knife"], robbery["firearm"], robbery["offence_group"]) == (True, False, "robbery")
    assert (robbery["lsoa_code"], robbery["lad_code"], robbery["out_of_area"]) == (OUT_OF_AREA, None, True)
    assert (robbery["age"], robbery["sex"]) == (16, "M")
    # Homicide is code 1; a 2011-only LSOA code maps too; blank age, sex U.
    assert (homicide["offence_code"], homicide["firearm"], homicide["lad_code"]) == ("1", True, KNOWSLEY)
    assert (homicide["age"], homicide["sex"]) == (None, "U")
    # Role none: no person; no location is unknown, not out-of-area.
    assert (nobody["person_role"], nobody["person_key"], nobody["age"], nobody["sex"]) == (
        "none",
        None,
        None,
        None,
    )
    assert (nobody["lsoa_code"], nobody["lad_code"], nobody["out_of_area"]) == (None, None, False)
    # 008N is 8N; a lower-case LSOA code with a trailing space is the code; the same person, the same key.
    assert (padded["offence_code"], padded["knife"]) == ("8N", False)
    assert (padded["lsoa_code"], padded["lad_code"]) == ("E01006513", LIVERPOOL)
    assert padded["person_key"] == first["person_key"]
    assert all(isinstance(r["sv_local"], bool) and isinstance(r["sv_home_office"], bool) for r in found)


@pytest.mark.slow
def test_police_uk_sample_of_a_real_month(hub: Hub) -> None:
    path = FIXTURES / "police-uk" / "2019-09-merseyside-street-sample.csv"
    summary = ingest(hub, "police-uk", path)
    assert (summary.rows_read, summary.rows_loaded) == (200, 200)
    found = rows(hub, "SELECT * FROM police_uk_crimes")
    asb = [r for r in found if r["crime_type"] == "Anti-social behaviour"]
    assert len(asb) == 40 and all(r["crime_id"] is None for r in asb)
    assert all(r["crime_id"] is not None and len(r["crime_id"]) == 64 for r in found if r not in asb)
    assert {r["month"] for r in found} == {dt.date(2019, 9, 1)}
    [outside] = [r for r in found if r["out_of_area"]]
    assert (outside["lsoa_code"], outside["lad_code"], outside["lsoa_name"]) == (
        OUT_OF_AREA,
        None,
        "Cheshire West and Chester 004C",
    )
    assert (outside["longitude"], outside["latitude"]) == (-2.957604, 53.301004)
    assert outside["crime_id"] == "3f76620492ab2a002870ca37741d2541518fee995f72e4d5f41198934e706201"  # public
    # Counts by borough and type equal a count made straight off the CSV with the shipped lookup.
    lookup = Path(__file__).resolve().parents[2] / "src" / "vrhub" / "data" / "merseyside_lsoa_to_lad.csv"
    expected = duckdb.sql(
        f"""SELECT l.lad_code, c."Crime type" AS crime_type, count(*) AS n
            FROM read_csv('{path}', all_varchar = true) c
            LEFT JOIN (SELECT DISTINCT lsoa_code, lad_code FROM read_csv('{lookup}', all_varchar = true)) l
              ON c."LSOA code" = l.lsoa_code GROUP BY ALL"""
    ).fetchall()
    stored = hub.sql("SELECT lad_code, crime_type, count(*) AS n FROM police_uk_crimes GROUP BY ALL")
    assert sorted(stored.to_pylist(), key=str) == sorted(
        [{"lad_code": a, "crime_type": b, "n": n} for a, b, n in expected], key=str
    )


@pytest.mark.slow
def test_police_uk_old_file_with_cr_line_endings(hub: Hub) -> None:
    summary = ingest(
        hub, "police-uk", FIXTURES / "police-uk" / "police-uk-2014-04-merseyside-street-cr-sample.csv"
    )
    assert (summary.rows_read, summary.rows_loaded) == (30, 30)
    found = rows(hub, "SELECT * FROM police_uk_crimes")
    assert {r["month"] for r in found} == {dt.date(2014, 4, 1)}
    halton = [r for r in found if r["lsoa_name"] == "Halton 001B"]
    assert halton and all(r["out_of_area"] and r["lad_code"] is None for r in halton)
    assert {r["lad_code"] for r in found if not r["out_of_area"]} <= {
        KNOWSLEY,
        LIVERPOOL,
        ST_HELENS,
        "E08000014",
        "E08000015",
    }
    assert not any("\r" in (r["context"] or "") + (r["last_outcome_category"] or "") for r in found)


@pytest.mark.slow
def test_ed_attendances(hub: Hub, key: bytes) -> None:
    ingest(hub, "ed-attendances", FIXTURES / "ed-attendances" / "good.csv")
    found = rows(hub, "SELECT * FROM ed_attendances ORDER BY assault_at")
    assert len(found) == 5
    late, knife, other, bottle, multiline = found
    assert knife["attendance_key"] == pseudonym(key, "ED-0001")
    assert (knife["arrival_at"], knife["assault_at"]) == (
        dt.datetime(2019, 3, 2, 1, 15),
        dt.datetime(2019, 3, 2, 0, 40),
    )
    assert (knife["assault_method"], knife["location_type"]) == ("knife", "street")
    assert knife["location_description"] == "Bold Street, near the station"
    # The incident LSOA places the assault, not the patient's home.
    assert (knife["incident_lsoa"], knife["home_lsoa"], knife["lsoa_code"], knife["lad_code"]) == (
        "E01006412",
        "E01006500",
        "E01006412",
        KNOWSLEY,
    )
    assert (knife["age"], knife["sex"], knife["admitted"]) == (19, "M", True)
    # DD/MM/YYYY date-times, site code upper-cased; no incident LSOA: the home LSOA (2021 code) places it.
    assert (late["arrival_at"], late["assault_at"]) == (
        dt.datetime(2019, 3, 2, 2, 0),
        dt.datetime(2019, 3, 1, 23, 30),
    )
    assert late["site_code"] == "RBN01" and late["admitted"] is False
    assert (late["incident_lsoa"], late["lsoa_code"], late["lad_code"], late["out_of_area"]) == (
        None,
        "E01033793",
        ST_HELENS,
        False,
    )
    # ISO "T" separator; free text kept with its comma; out of area.
    assert other["assault_at"] == dt.datetime(2019, 3, 3, 9, 0)
    assert (other["assault_method"], other["assault_method_other"]) == ("other", "bitten, then kicked")
    assert (other["lsoa_code"], other["lad_code"], other["out_of_area"], other["sex"]) == (
        OUT_OF_AREA,
        None,
        True,
        "U",
    )
    # No reference, no arrival time, age, sex or place; "Glass Bottle" and "Public Transport" normalised.
    assert (bottle["attendance_key"], bottle["arrival_at"], bottle["age"], bottle["sex"]) == (
        None,
        None,
        None,
        None,
    )
    assert (bottle["assault_method"], bottle["location_type"]) == ("glass_bottle", "public_transport")
    assert (bottle["lsoa_code"], bottle["out_of_area"], bottle["admitted"]) == (None, False, False)
    assert multiline["location_description"] == "a description\nover two lines"


@pytest.mark.slow
def test_hospital_admissions(hub: Hub, key: bytes) -> None:
    ingest(hub, "hospital-admissions", FIXTURES / "hospital-admissions" / "good.csv")
    found = by(rows(hub, "SELECT * FROM hospital_admissions"), "admission_key")
    one, two, three, four, five, six = (found[pseudonym(key, f"ADM-000{i}")] for i in range(1, 7))
    assert (one["nhs_number_key"], one["admission_date"]) == (
        pseudonym(key, "9434765919"),
        dt.date(2019, 3, 2),
    )
    assert three["nhs_number_key"] == one["nhs_number_key"]  # the same patient twice
    assert two["admission_date"] == dt.date(2019, 3, 2)
    assert [(r["icd10_cause"], r["cause_group"]) for r in (one, two, three, four, five, six)] == [
        ("X99", "sharp_object"),
        ("X99.1", "sharp_object"),
        ("X99.1", "sharp_object"),
        ("X94", "firearm"),
        ("Y04.0", "other_assault"),
        ("V01", "not_assault"),
    ]
    assert four["nhs_number_key"] is None
    assert (four["lsoa_code"], four["lad_code"], four["out_of_area"]) == (OUT_OF_AREA, None, True)
    assert (two["lad_code"], two["sex"], five["lsoa_code"], five["out_of_area"]) == (
        ST_HELENS,
        "F",
        None,
        False,
    )


@pytest.mark.slow
def test_ambulance(hub: Hub, key: bytes) -> None:
    ingest(hub, "ambulance", FIXTURES / "ambulance" / "good.csv")
    found = rows(hub, "SELECT * FROM ambulance_callouts ORDER BY call_at")
    stab, assault, sexual, other = found
    assert (stab["incident_key"], stab["call_at"], stab["category"]) == (
        pseudonym(key, "AMB-0001"),
        dt.datetime(2019, 3, 2, 1, 15),
        "stabbing",
    )
    assert (assault["call_at"], assault["category"], assault["age"], assault["lad_code"]) == (
        dt.datetime(2019, 3, 2, 2, 15),
        "assault",
        None,
        ST_HELENS,
    )
    assert (sexual["sex"], sexual["out_of_area"], sexual["lad_code"]) == ("F", True, None)
    assert (other["incident_key"], other["lsoa_code"], other["out_of_area"]) == (None, None, False)


@pytest.mark.slow
def test_fire(hub: Hub, key: bytes) -> None:
    ingest(hub, "fire", FIXTURES / "fire" / "good.csv")
    found = rows(hub, "SELECT * FROM fire_incidents ORDER BY incident_date, incident_type DESC")
    assert [(r["incident_date"], r["incident_type"], r["lad_code"], r["out_of_area"]) for r in found] == [
        (dt.date(2019, 3, 2), "deliberate_primary", KNOWSLEY, False),
        (dt.date(2019, 3, 2), "arson_endangering_life", ST_HELENS, False),
        (dt.date(2019, 3, 4), "violence_related", None, True),
        (dt.date(2019, 3, 5), "deliberate_secondary", None, False),
    ]
    assert found[0]["incident_key"] == pseudonym(key, "FIRE-0001") and found[3]["incident_key"] is None


def test_indicators(hub: Hub) -> None:
    ingest(hub, "indicators", FIXTURES / "indicators" / "good.csv")
    found = rows(
        hub, "SELECT indicator_id, area_code, period, value, unit, note FROM indicators ORDER BY period"
    )
    assert found == [
        {
            "indicator_id": "local_neet_16_17",
            "area_code": "E23000004",
            "period": "2019",
            "value": 5.4,
            "unit": "percent",
            "note": None,
        },
        {
            "indicator_id": "local_absence_primary",
            "area_code": "E08000011",
            "period": "2019-Q2",
            "value": 1234.5,
            "unit": "count",
            "note": "note, with a comma",
        },
        {
            "indicator_id": "local_permanent_exclusions",
            "area_code": "E08000012",
            "period": "2019/20",
            "value": 42.0,
            "unit": "exclusions",
            "note": "provisional",
        },
        {
            "indicator_id": "local_absence_primary",
            "area_code": "E08000011",
            "period": "2020-03",
            "value": 3.0,
            "unit": "count",
            "note": None,
        },
    ]


@pytest.mark.slow
def test_areas_add_restate_and_place_later_loads(hub: Hub, tmp_path: Path) -> None:
    summary = ingest(hub, "areas", FIXTURES / "areas" / "good.csv")
    assert (summary.rows_loaded, summary.duplicates_skipped) == (1, 2)
    [cheshire] = rows(hub, f"SELECT * FROM lsoa_lookup WHERE lsoa_code = '{OUT_OF_AREA}'")
    assert cheshire == {
        "lsoa_vintage": 2011,
        "lsoa_code": OUT_OF_AREA,
        "lsoa_name": "Cheshire West and Chester 004C",
        "lad_code": "E06000050",
        "lad_name": "Cheshire West and Chester",
        "pfa_code": "E23000006",
        "pfa_name": "Cheshire",
    }
    # Records loaded from now on find the new area.
    ingest(hub, "fire", FIXTURES / "fire" / "good.csv")
    [fire] = rows(hub, f"SELECT * FROM fire_incidents WHERE lsoa_code = '{OUT_OF_AREA}'")
    assert (fire["lad_code"], fire["out_of_area"]) == ("E06000050", False)
    # A restated row replaces the stored one (no pfa columns: Merseyside's).
    restated = tmp_path / "lookup-2023.csv"
    restated.write_text(
        "lsoa_vintage,lsoa_code,lsoa_name,lad_code,lad_name\n"
        "2011,E01006412,Knowsley 006A (renamed),E08000011,Knowsley\n"
    )
    summary = ingest(hub, "areas", restated)
    assert (summary.rows_loaded, summary.duplicates_skipped) == (1, 0)
    assert rows(
        hub,
        "SELECT lsoa_name, pfa_code, pfa_name FROM lsoa_lookup WHERE lsoa_code = 'E01006412' "
        "AND lsoa_vintage = 2011",
    ) == [{"lsoa_name": "Knowsley 006A (renamed)", "pfa_code": "E23000004", "pfa_name": "Merseyside"}]
    assert rows(hub, "SELECT count(*) AS n FROM lsoa_lookup") == [{"n": 910 + 923 + 1}]


@pytest.mark.slow
def test_population_sample(hub: Hub) -> None:
    summary = ingest(hub, "population", FIXTURES / "population" / "ONS2020_sample.csv")
    assert (summary.rows_read, summary.rows_loaded, summary.duplicates_skipped) == (
        3,
        2,
        1,
    )  # Knowsley is shipped
    found = rows(
        hub,
        """SELECT area_code, area_name, count(*) AS ages, min(age) AS youngest, max(age) AS oldest,
                                sum(population) AS everyone,
                                sum(population) FILTER (WHERE age < 25) AS under_25
                         FROM population WHERE year = 2020 GROUP BY ALL ORDER BY area_code""",
    )
    assert [
        (r["area_code"], r["area_name"], r["ages"], r["youngest"], r["oldest"], r["everyone"]) for r in found
    ] == [
        ("E06000006", "Halton", 91, 0, 90, 129_759),
        ("E08000011", "Knowsley", 91, 0, 90, 152_452),
        ("E08000012", "Liverpool", 91, 0, 90, 500_474),
        ("E08000013", "St. Helens", 91, 0, 90, 181_095),
        ("E08000014", "Sefton", 91, 0, 90, 275_899),
        ("E08000015", "Wirral", 91, 0, 90, 324_336),
        ("W06000001", "Isle of Anglesey", 91, 0, 90, 70_440),
    ]
    assert found[1]["under_25"] == 46_468
    assert rows(
        hub,
        "SELECT population FROM population WHERE area_code = 'E06000006' AND year = 2020 "
        "AND age IN (0, 90) ORDER BY age",
    ) == [{"population": 1344}, {"population": 792}]


@pytest.mark.slow
def test_population_windows_1252_with_trailing_empty_columns_and_rows(hub: Hub) -> None:
    summary = ingest(hub, "population", FIXTURES / "population" / "ONS2020_windows1252.csv")
    assert (summary.rows_read, summary.rows_quarantined, summary.duplicates_skipped) == (2, 0, 1)  # Liverpool
    # The file's trailing no-break space (byte A0) is decoded, and trimmed like any space.
    assert rows(hub, "SELECT DISTINCT area_name FROM population WHERE area_code = 'E06000062'") == [
        {"area_name": "West Northamptonshire"}
    ]


@pytest.mark.slow
def test_population_year_from_the_option_or_the_file_name(hub: Hub, tmp_path: Path) -> None:
    plain = tmp_path / "estimates.csv"
    plain.write_bytes((FIXTURES / "population" / "ONS2020_sample.csv").read_bytes())
    with pytest.raises(InputRefused, match="year of the estimates") as refused:
        ingest(hub, "population", plain)
    assert "--year" in refused.value.hint
    ingest(hub, "population", plain, year=2021)
    assert rows(hub, "SELECT DISTINCT year FROM population WHERE area_code = 'E06000006'") == [{"year": 2021}]


SPACES = [
    "",
    " ",
    "a",
    " a",
    "a ",
    "  a b  ",
    "\u00a0a\u00a0",
    "\u2003a",
    "a\u3000",
    "\u200ba",
    "\ta\t",
    "é",
    " é ",
    "a\u202f",
    "\u00a0",
    "x" * 40,
    None,
]


def test_raw_values_are_trimmed_exactly_as_duckdbs_trim_does() -> None:
    """The trim is skipped where it cannot change a value: the result must equal trim everywhere, Unicode
    space separators included (and only those: a zero-width space or a tab is kept)."""
    from vrhub.sources.staging import raw_value

    con = duckdb.connect()
    con.execute("CREATE TABLE t (i INTEGER, v VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?, ?)", list(enumerate(SPACES)))
    found = con.execute(f"SELECT {raw_value('v')}, nullif(trim(v), '') FROM t ORDER BY i").fetchall()
    assert [a for a, _ in found] == [b for _, b in found]
    assert [a for a, _ in found][:6] == [None, None, "a", "a", "a", "a b"]
    assert [a for a, _ in found][6:10] == ["a", "a", "a", "\u200ba"]


@pytest.mark.slow
def test_an_indicator_for_an_area_the_warehouse_does_not_know_is_quarantined(
    hub: Hub, tmp_path: Path
) -> None:
    figures = tmp_path / "figures.csv"
    figures.write_text(
        "indicator_id,area_code,period,value,unit\n"
        "local_permanent_exclusions,E08000012,2019/20,40,exclusions\n"  # Liverpool: known
        "local_permanent_exclusions,E08000099,2019/20,3,exclusions\n"  # well formed, no such borough
        "local_permanent_exclusions,E92000001,2019/20,7894,exclusions\n"  # England
        "local_permanent_exclusions,e08000013,2019/20,9,exclusions\n"  # St Helens, lower case
    )
    summary = ingest(hub, "indicators", figures)
    assert (summary.rows_loaded, summary.rows_quarantined) == (3, 1)
    [held] = rows(hub, "SELECT row_number, field, reason FROM quarantine")
    assert (held["row_number"], held["field"]) == (3, "area_code")
    assert "does not know" in held["reason"]
    loaded = rows(hub, "SELECT area_code FROM indicators ORDER BY area_code")
    assert [r["area_code"] for r in loaded] == ["E08000012", "E08000013", "E92000001"]
