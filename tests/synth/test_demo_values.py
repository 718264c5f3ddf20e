"""Every generated value is valid per docs/data-formats.md, the data look like Merseyside violence (weekends,
nights, summer, bonfire night, hotspots, young male suspects), and the bulk police writer works."""

from __future__ import annotations

import csv
from importlib import resources

import duckdb
import pytest

from vrhub.synth import generate_police_records_bulk

DATA = resources.files("vrhub") / "data"
POLICE_HEADER = (
    "crime_ref,recorded_date,committed_date,offence_code,knife_flag,firearm_flag,domestic_flag,"
    "lsoa_code,person_role,person_ref,age,sex"
)


def _leaf_codes() -> list[str]:
    rows = csv.DictReader((DATA / "ons_crime_offence_hierarchy.csv").read_text("utf-8").splitlines())
    return [r["code"] for r in rows if r["is_leaf"] == "Y"] + ["1", "4.1", "4.2", "4.10"]


def _bad(con, table: str, condition: str) -> int:
    return con.execute(f"SELECT count(*) FROM {table} WHERE NOT coalesce({condition}, false)").fetchone()[0]


def _one(con, sql: str):
    return con.execute(sql).fetchone()[0]


DATE = "try_strptime({c}, '%Y-%m-%d') IS NOT NULL"
DATETIME = "try_strptime({c}, '%Y-%m-%d %H:%M') IS NOT NULL"
AGE = "({c} IS NULL OR (regexp_full_match({c}, '[0-9]{{1,3}}') AND CAST({c} AS INTEGER) <= 120))"
LSOA = "({c} IS NULL OR {c} IN (SELECT lsoa_code FROM lsoa))"
IN_RANGE = "CAST({c} AS DATE) BETWEEN DATE '2018-04-01' AND DATE '2021-12-31'"
CHECKS = {
    "pr": [
        DATE.format(c="recorded_date"),
        DATE.format(c="committed_date"),
        IN_RANGE.format(c="committed_date"),
        "CAST(recorded_date AS DATE) >= CAST(committed_date AS DATE)",
        "regexp_full_match(crime_ref, 'MP/[0-9]{2}/[0-9]{7}')",
        "offence_code IN (SELECT unnest($codes))",
        "knife_flag IN ('Y', 'N')",
        "firearm_flag IN ('Y', 'N')",
        "domestic_flag IN ('Y', 'N')",
        LSOA.format(c="lsoa_code"),
        "person_role IN ('victim', 'suspect', 'none')",
        AGE.format(c="age"),
        "(sex IS NULL OR sex IN ('M', 'F', 'U'))",
        "(person_role = 'none') = (person_ref IS NULL)",
        "person_role <> 'none' OR (age IS NULL AND sex IS NULL)",
        "person_ref IS NULL OR regexp_full_match(person_ref, 'P[0-9]{7}')",
        # the knife flag is recorded on ONS's selected offences (and some possession offences) only
        "knife_flag = 'N' OR offence_code IN ('1', '4.1', '4.2', '4.10', '2', '3B', '5D', '8N', '8P', '8S', "
        "'34A', '34B', '19C', '20A', '17A', '10D', '90')",
    ],
    "ed": [
        "site_code IN ('RQ601', 'REM21', 'RBN01', 'RVY02', 'RBL14', 'RBS25')",
        DATETIME.format(c="arrival_datetime"),
        DATETIME.format(c="assault_datetime"),
        "CAST(arrival_datetime AS TIMESTAMP) BETWEEN CAST(assault_datetime AS TIMESTAMP) "
        "AND CAST(assault_datetime AS TIMESTAMP) + INTERVAL 6 HOUR",
        "assault_method IN ('fists', 'feet', 'body_parts', 'knife', 'other_sharp', 'blunt_object', "
        "'glass_bottle', 'firearm', 'other', 'not_specified')",
        "(assault_method = 'other') = (assault_method_other IS NOT NULL)",
        "location_type IN ('street', 'licensed_premises', 'home', 'public_transport', 'school', 'workplace', "
        "'other', 'not_specified')",
        "age IS NOT NULL",
        AGE.format(c="age"),
        "sex IN ('M', 'F')",
        LSOA.format(c="incident_lsoa"),
        LSOA.format(c="home_lsoa"),
        "coalesce(incident_lsoa, home_lsoa) IS NOT NULL",
        "admitted IN ('Y', 'N')",
    ],
    "ha": [
        DATE.format(c="admission_date"),
        IN_RANGE.format(c="admission_date"),
        "regexp_full_match(icd10_cause, '(X8[5-9]|X9[0-9]|Y0[0-9])(\\.?[0-9])?')",
        "regexp_full_match(nhs_number, '999[0-9]{7}')",
        "age IS NOT NULL",
        AGE.format(c="age"),
        "sex IN ('M', 'F')",
        "lsoa_code IS NOT NULL",
        LSOA.format(c="lsoa_code"),
    ],
    "amb": [
        DATETIME.format(c="call_datetime"),
        "category IN ('assault', 'stabbing', 'shooting', 'sexual_assault', 'other_violence')",
        "age IS NOT NULL",
        AGE.format(c="age"),
        "sex IN ('M', 'F')",
        "lsoa_code IS NOT NULL",
        LSOA.format(c="lsoa_code"),
    ],
    "fire": [
        DATE.format(c="incident_date"),
        IN_RANGE.format(c="incident_date"),
        "incident_type IN ('deliberate_primary', 'deliberate_secondary', 'arson_endangering_life', "
        "'violence_related')",
        "lsoa_code IS NOT NULL",
        LSOA.format(c="lsoa_code"),
    ],
    "ind": [
        "area_code IN ('E23000004', 'E08000011', 'E08000012', 'E08000013', 'E08000014', 'E08000015')",
        "regexp_full_match(period, '[0-9]{4}|[0-9]{4}/[0-9]{2}|[0-9]{4}-Q[1-4]|[0-9]{4}-(0[1-9]|1[0-2])')",
        "try_cast(value AS DOUBLE) IS NOT NULL",
        "unit IS NOT NULL",
    ],
}


@pytest.mark.parametrize(("table", "condition"), [(t, c) for t, cs in CHECKS.items() for c in cs])
def test_values_valid(db, table, condition):
    condition = condition.replace("SELECT unnest($codes)", "SELECT unnest(?)")
    params = [_leaf_codes()] if "unnest(?)" in condition else []
    bad = db.execute(
        f"SELECT count(*) FROM {table} WHERE NOT coalesce({condition}, false)", params
    ).fetchone()[0]
    assert bad == 0


def test_headers_match_the_documented_columns(demo):
    first = {name: path.read_text().split("\n", 1)[0] for name, path in demo.items()}
    assert first["police-records"] == POLICE_HEADER
    assert first["ambulance"] == "incident_ref,call_datetime,category,age,sex,lsoa_code"
    assert first["fire"] == "incident_ref,incident_date,incident_type,lsoa_code"
    assert first["indicators"] == "indicator_id,area_code,period,value,unit,note"
    assert (
        first["hospital-admissions"]
        == "admission_ref,nhs_number,admission_date,icd10_cause,age,sex,lsoa_code,"
        + ",".join(f"diag_{i:02d}" for i in range(1, 7))
    )
    assert first["ed-attendances"].startswith("attendance_ref,site_code,arrival_datetime,assault_datetime,")


@pytest.mark.slow
def test_no_duplicate_police_rows_and_consistent_crimes(db):
    assert (
        _one(
            db,
            "SELECT count(*) FROM (SELECT crime_ref, person_role, person_ref, age, sex FROM pr "
            "GROUP BY ALL HAVING count(*) > 1)",
        )
        == 0
    )
    assert (
        _one(
            db,
            "SELECT count(*) FROM (SELECT crime_ref FROM pr GROUP BY 1 HAVING count(DISTINCT "
            "(committed_date, offence_code, knife_flag, lsoa_code)) > 1 "
            "OR count(*) FILTER (WHERE person_role = 'none') > 1)",
        )
        == 0
    )
    repeat = _one(
        db,
        "SELECT count(*) FROM (SELECT person_ref FROM pr WHERE person_ref IS NOT NULL GROUP BY 1 "
        "HAVING count(DISTINCT crime_ref) > 1)",
    )
    assert repeat > 1000  # repeat victims and offenders
    no_place = _one(
        db, "SELECT avg((lsoa_code IS NULL)::INT) FROM (SELECT DISTINCT crime_ref, lsoa_code FROM pr)"
    )
    assert 0.002 < no_place < 0.01
    assert _one(db, "SELECT count(*) FROM pr WHERE person_role = 'suspect' AND age IS NULL") > 0


def test_nhs_numbers_have_valid_check_digits(db):
    numbers = [r[0] for r in db.execute("SELECT DISTINCT nhs_number FROM ha").fetchall()]
    for number in numbers:
        total = sum(int(d) * w for d, w in zip(number[:9], range(10, 1, -1), strict=True))
        assert (11 - total % 11) % 11 == int(number[9])
    assert len(numbers) < _one(db, "SELECT count(*) FROM ha")  # some patients come back


def test_police_realism(db):
    per_day = dict(
        db.execute(
            "SELECT dayofweek(CAST(committed_date AS DATE)), count(DISTINCT crime_ref) FROM p "
            "WHERE sv GROUP BY 1"
        ).fetchall()
    )
    assert per_day[6] > 1.2 * per_day[2] and per_day[0] > 1.2 * per_day[2]  # Saturday, Sunday vs Tuesday
    per_month = dict(
        db.execute(
            "SELECT month(CAST(committed_date AS DATE)), count(DISTINCT crime_ref) FROM p "
            "WHERE yr = 2019 GROUP BY 1"
        ).fetchall()
    )
    assert per_month[7] > 1.15 * per_month[2]
    male = _one(db, "SELECT avg((sex = 'M')::INT) FROM p WHERE person_role = 'suspect' AND sex <> 'U'")
    assert 0.8 < male < 0.92
    assert 18 <= _one(db, "SELECT median(a) FROM p WHERE person_role = 'suspect'") <= 30
    assert 20 <= _one(db, "SELECT median(a) FROM p WHERE sv AND person_role = 'victim'") <= 36
    # All violence (domestic abuse and harassment included) has as many female victims as male; the
    # appendix's serious violence (non-domestic, robbery, GBH, weapons) mostly male ones.
    assert 0.35 < _one(db, "SELECT avg((sex = 'M')::INT) FROM p WHERE sv AND person_role = 'victim'") < 0.55
    assert _one(db, "SELECT avg((sex = 'M')::INT) FROM p WHERE appendix AND person_role = 'victim'") > 0.6
    top = db.execute(
        "SELECT lsoa_name FROM p JOIN lsoa USING (lsoa_code) GROUP BY 1 "
        "ORDER BY count(DISTINCT crime_ref) DESC LIMIT 3"
    ).fetchall()
    assert all(name.startswith(("Liverpool 060", "Liverpool 061")) for (name,) in top)
    boroughs = dict(
        db.execute(
            "SELECT lad_code, count(DISTINCT crime_ref) FROM p JOIN lsoa USING (lsoa_code) GROUP BY 1"
        ).fetchall()
    )
    assert max(boroughs, key=boroughs.get) == "E08000012" and len(boroughs) == 5


def test_other_sources_realism(db):
    night = _one(
        db, "SELECT avg((hour(CAST(assault_datetime AS TIMESTAMP)) IN (20,21,22,23,0,1,2))::INT) FROM ed"
    )
    assert night > 0.4
    assert 0.15 <= _one(db, "SELECT avg((admitted = 'Y')::INT) FROM ed") <= 0.2
    assert _one(db, "SELECT avg((admitted = 'Y')::INT) FROM ed WHERE assault_method = 'knife'") > 0.3
    assert _one(db, "SELECT avg((site_code = 'RBS25')::INT) FROM ed WHERE CAST(age AS INT) < 16") > 0.7
    busiest = db.execute(
        "SELECT incident_date FROM fire GROUP BY 1 ORDER BY count(*) DESC LIMIT 4"
    ).fetchall()
    assert sorted(d for (d,) in busiest) == ["2018-11-05", "2019-11-05", "2020-11-05", "2021-11-05"]
    fire_types = dict(db.execute("SELECT incident_type, count(*) FROM fire GROUP BY 1").fetchall())
    assert max(fire_types, key=fire_types.get) == "deliberate_secondary"
    x99 = dict(
        db.execute(
            "SELECT year(CAST(admission_date AS DATE)), count(*) FROM ha "
            "WHERE icd10_cause LIKE 'X99%' GROUP BY 1"
        ).fetchall()
    )
    assert 240 <= x99[2019] <= 360
    causes = dict(db.execute("SELECT left(icd10_cause, 3), count(*) FROM ha GROUP BY 1").fetchall())
    assert max(causes, key=causes.get) == "Y04" and sum(causes.get(c, 0) for c in ("X93", "X94", "X95")) < 40
    assert _one(db, "SELECT count(*) FROM ha WHERE length(icd10_cause) > 3") > 0
    categories = dict(db.execute("SELECT category, count(*) FROM amb GROUP BY 1").fetchall())
    assert categories["assault"] > 0.7 * sum(categories.values()) and 0 < categories["shooting"] < 100


def test_bulk_police_records(tmp_path):
    path = generate_police_records_bulk(10_000, tmp_path / "bulk.csv", seed=3)
    assert path.read_text().split("\n", 1)[0] == POLICE_HEADER
    con = duckdb.connect()
    con.execute(f"CREATE TABLE pr AS SELECT * FROM read_csv('{path}', all_varchar=true, header=true)")
    con.execute(
        f"CREATE TABLE lsoa AS SELECT lsoa_code FROM read_csv('{DATA / 'merseyside_lsoa_to_lad.csv'}', "
        "all_varchar=true) WHERE lsoa_vintage = '2011'"
    )
    assert _one(con, "SELECT count(*) FROM pr") == 10_000
    for condition in CHECKS["pr"]:
        params = [_leaf_codes()] if "$codes" in condition else []
        condition = condition.replace("SELECT unnest($codes)", "SELECT unnest(?)")
        assert (
            con.execute(f"SELECT count(*) FROM pr WHERE NOT coalesce({condition}, false)", params).fetchone()[
                0
            ]
            == 0
        ), condition
    years = {y for (y,) in con.execute("SELECT DISTINCT left(committed_date, 4) FROM pr").fetchall()}
    assert years == {"2018", "2019", "2020", "2021"}
    again = generate_police_records_bulk(10_000, tmp_path / "again.csv", seed=3)
    assert again.read_bytes() == path.read_bytes()
