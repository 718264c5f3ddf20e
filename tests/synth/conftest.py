"""Shared fixtures: the demo files (generated once per test run, tests/conftest.py) loaded into DuckDB as
text."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import duckdb
import pytest

DATA = resources.files("vrhub") / "data"
HOMICIDE = ("1", "4.1", "4.2", "4.10")
# The strategy's appendix definition, written out here independently of src/vrhub/definitions.
APPENDIX_ALWAYS = HOMICIDE + ("2", "5D", "56A", "34A", "34B")
APPENDIX_FLAGGED = HOMICIDE + ("2", "5D", "34A", "34B", "3B", "8N", "8P", "8S", "19C", "19D", "19E", "19F",
                               "19G", "19H", "20A", "20B", "17A", "17B", "5E")  # fmt: skip
# The ONS offence groups Table 2's serious-violence rows count.
TABLE2_GROUPS = ("violence-against-the-person", "possession-of-weapons-offences",
                 "miscellaneous-crimes-against-society")  # fmt: skip


def _sql_list(values) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


@pytest.fixture(scope="session")
def demo(_demo_files: dict[str, Path]) -> dict[str, Path]:
    """The demo files (seed 2022), generated once per test run."""
    return _demo_files


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
    con.execute("""
        CREATE TABLE grp AS SELECT h.code, g.code AS grp FROM hier h JOIN hier g ON g.depth = '1'
          AND h.ancestor_path LIKE 'Total offences > ' || g.label || '%' WHERE h.is_leaf = 'Y'""")
    con.execute(f"""
        CREATE VIEW p AS SELECT pr.*, year(CAST(committed_date AS DATE)) AS yr, TRY_CAST(age AS INTEGER) AS a,
          CASE WHEN offence_code IN {_sql_list(HOMICIDE)} THEN 'violence-against-the-person' ELSE grp.grp END
            AS grp,
          coalesce(grp.grp IN {_sql_list(TABLE2_GROUPS)}, false)
            OR offence_code IN {_sql_list(HOMICIDE)} AS sv,
          domestic_flag = 'N' AND (offence_code IN {_sql_list(APPENDIX_ALWAYS)}
            OR ((knife_flag = 'Y' OR firearm_flag = 'Y') AND offence_code IN {_sql_list(APPENDIX_FLAGGED)}))
            AS appendix
        FROM pr LEFT JOIN grp ON grp.code = pr.offence_code""")
    con.execute("""CREATE VIEW e AS SELECT *, year(CAST(assault_datetime AS TIMESTAMP)) AS yr,
                   TRY_CAST(age AS INTEGER) AS a FROM ed""")
    yield con
    con.close()
