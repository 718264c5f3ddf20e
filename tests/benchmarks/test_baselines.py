"""The benchmark's two baselines (benchmarks/measures.sql, benchmarks/pandas_measures.py) count what the
catalogue says, on a few hand-made crimes: 10D on any flag, domestic abuse out of the local definition, each
crime in its youngest counted person's band or in `no victim recorded`."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import duckdb
import pandas as pd
import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
BOROUGH, FORCE = "E08000011", "E23000004"
VAP = "violence-against-the-person"
COLUMNS = (
    "crime_key VARCHAR, committed_date DATE, offence_code VARCHAR, offence_group VARCHAR, knife BOOLEAN, "
    "firearm BOOLEAN, domestic BOOLEAN, lad_code VARCHAR, person_role VARCHAR, age INTEGER, sex VARCHAR"
)
MAY, MARCH = dt.date(2020, 5, 3), dt.date(2021, 3, 9)
W = "possession-of-weapons-offences"
ROWS = [
    # 10D with no victim, domestic: counted (any flag), in `no victim recorded`.
    ("c1", MAY, "10D", W, False, False, True, BOROUGH, "suspect", 30, "M"),
    # 10D: youngest victim 19 M; a suspect of 17.
    ("c2", MAY, "10D", W, True, False, False, BOROUGH, "victim", 40, "F"),
    ("c2", MAY, "10D", W, True, False, False, BOROUGH, "victim", 19, "M"),
    ("c2", MAY, "10D", W, True, False, False, BOROUGH, "suspect", 17, "M"),
    # Knife-enabled assault with injury, domestic: out of the local definition, in the Home Office one.
    ("c3", MAY, "8N", VAP, True, False, True, BOROUGH, "victim", 20, "F"),
    # The same with the domestic flag unrecorded: in; two victims of unknown age, F before M.
    ("c4", MAY, "8N", VAP, True, False, None, BOROUGH, "victim", None, "M"),
    ("c4", MAY, "8N", VAP, True, False, None, BOROUGH, "victim", None, "F"),
    # A murder with no borough, not domestic: two victims of 22, F before M.
    ("c5", MARCH, "1", VAP, True, False, False, None, "victim", 22, "M"),
    ("c5", MARCH, "1", VAP, True, False, False, None, "victim", 22, "F"),
    # A murder with the domestic flag unrecorded: local serious violence, not a non-domestic homicide.
    ("c6", MARCH, "1", VAP, False, False, None, BOROUGH, "suspect", 24, "U"),
]
EXPECTED = {
    # (measure, period, area, breakdown): value
    ("ho_knife_sv", "2020", BOROUGH, ""): 2,
    ("ho_knife_sv", "2020", BOROUGH, "age_band=no victim recorded"): 1,
    ("ho_knife_sv", "2020", BOROUGH, "age_band=18-24"): 1,
    ("ho_knife_sv", "2020", BOROUGH, "sex=no victim recorded"): 1,
    ("ho_knife_sv", "2020", BOROUGH, "sex=M"): 1,
    ("ho_knife_sv_suspect_u25", "2020", BOROUGH, "age_band=10-17"): 1,
    ("ho_knife_sv_victim_u25", "2020", BOROUGH, "age_band=18-24"): 1,
    ("local_knife_victims_u25", "2020", BOROUGH, "sex=M"): 1,
    ("local_sv_offences_appendix", "2020", BOROUGH, ""): 1,
    ("local_sv_offences_appendix", "2020", BOROUGH, "age_band=unknown"): 1,
    ("local_sv_offences_appendix", "2020", BOROUGH, "sex=F"): 1,
    ("local_sv_offences_appendix", "2021", FORCE, ""): 2,
    ("local_sv_offences_appendix", "2021", FORCE, "age_band=no victim recorded"): 1,
    ("local_sv_victims", "2020", BOROUGH, "age_band=unknown"): 2,
    ("ho_sv_offences", "2020", BOROUGH, ""): 2,
    ("ho_sv_offences", "2020", BOROUGH, "age_band=18-24"): 1,
    ("ho_non_domestic_homicide", "2021", FORCE, ""): 1,
    ("ho_non_domestic_homicide", "2021", FORCE, "sex=F"): 1,
    ("ho_non_domestic_knife_homicide_u25", "2021", FORCE, "age_band=18-24"): 1,
    ("local_sv_offences_u25_suspect", "2021", BOROUGH, "sex=U"): 1,
    ("local_sv_offences", "2020", FORCE, ""): 4,
    ("police_group_change_2021", "2020", FORCE, f"offence_group={W}"): 2,
}
ABSENT = [  # counted as nothing, so no figure
    ("ho_non_domestic_homicide", "2021", BOROUGH, ""),
    ("local_sv_offences_appendix", "2020", BOROUGH, "sex=M"),
    ("ho_knife_sv_victim_u25", "2020", BOROUGH, "age_band=no victim recorded"),
]


def _pandas_baseline():
    spec = importlib.util.spec_from_file_location("pandas_measures", BENCH / "pandas_measures.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(f"CREATE TABLE police_records ({COLUMNS})")
    con.executemany(f"INSERT INTO police_records VALUES ({', '.join(['?'] * 11)})", ROWS)
    return con


def _figures(df: pd.DataFrame) -> dict[tuple[str, str, str, str], int]:
    df = df[df["value"] != 0]
    keys = zip(df["measure_id"], df["period"], df["area_code"], df["breakdown"], strict=True)
    return dict(zip(keys, df["value"].astype(int), strict=True))


def test_sql_and_pandas_count_what_the_catalogue_says(con: duckdb.DuckDBPyConnection) -> None:
    sql = _figures(con.sql((BENCH / "measures.sql").read_text()).df())
    pandas = _pandas_baseline()
    theirs = _figures(pandas.compute(pandas.load(con)))
    assert sql == theirs
    assert {k: sql.get(k) for k in EXPECTED} == EXPECTED
    assert [k for k in ABSENT if k in sql] == []
