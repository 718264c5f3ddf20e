"""Shared fixtures: the demo files are generated once per test session and loaded into DuckDB as text."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import duckdb
import pytest

from vrhub.synth import generate_demo

DATA = resources.files("vrhub") / "data"
HOMICIDE = ("1", "4.1", "4.2", "4.10")
ALWAYS_SV = HOMICIDE + ("2", "5D", "56A", "34A", "34B")
FLAGGED_SV = HOMICIDE + (
    "2",
    "5D",
    "34A",
    "34B",
    "3B",
    "8N",
    "8P",
    "8S",
    "19C",
    "19D",
    "19E",
    "19F",
    "19G",
    "19H",
    "20A",
    "20B",
    "17A",
    "17B",
    "5E",
    "10D",
    "10A",
)


def _sql_list(values) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> dict[str, Path]:
    return generate_demo(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="session")
def db(demo):
    """Every demo file as an all-text table; views `p` (police: year, age, local SV rule) and `e` (ED)."""
    con = duckdb.connect()
    for name, table in (
        ("police-records", "pr"),
        ("ed-attendances", "ed"),
        ("hospital-admissions", "ha"),
        ("ambulance", "amb"),
        ("fire", "fire"),
        ("indicators", "ind"),
    ):
        con.execute(
            f"CREATE TABLE {table} AS SELECT * FROM read_csv('{demo[name]}', all_varchar=true, "
            "header=true, auto_detect=true)"
        )
    lookup = DATA / "merseyside_lsoa_to_lad.csv"
    con.execute(
        f"CREATE TABLE lsoa AS SELECT * FROM read_csv('{lookup}', all_varchar=true) "
        "WHERE lsoa_vintage = '2011'"
    )
    hierarchy = DATA / "ons_crime_offence_hierarchy.csv"
    con.execute(f"CREATE TABLE hier AS SELECT * FROM read_csv('{hierarchy}', all_varchar=true)")
    con.execute(f"""
        CREATE VIEW p AS SELECT *, year(CAST(committed_date AS DATE)) AS yr, TRY_CAST(age AS INTEGER) AS a,
          offence_code IN {_sql_list(ALWAYS_SV)}
          OR ((knife_flag = 'Y' OR firearm_flag = 'Y') AND offence_code IN {_sql_list(FLAGGED_SV)}) AS sv
        FROM pr""")
    con.execute("""CREATE VIEW e AS SELECT *, year(CAST(assault_datetime AS TIMESTAMP)) AS yr,
                   TRY_CAST(age AS INTEGER) AS a FROM ed""")
    yield con
    con.close()
