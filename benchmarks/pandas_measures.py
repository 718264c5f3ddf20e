"""The pandas baseline for `vrhub measures`: the same numbers as measures.sql, computed from an in-memory
DataFrame of police_records (loading it is not timed; `compute` is). Idiomatic pandas: one boolean mask per
measure, then filter, de-duplicate crimes and count per group."""

from __future__ import annotations

import numpy as np
import pandas as pd

FORCE_CODE = "E23000004"
COLUMNS = (
    "crime_key",
    "committed_date",
    "offence_code",
    "offence_group",
    "knife",
    "domestic",
    "lad_code",
    "person_role",
    "age",
    "sex",
    "sv_local",
    "sv_home_office",
)
HOMICIDE = ["1", "4.1", "4.2", "4.10"]
AGE_BANDS = (
    (0, 9, "0-9"),
    (10, 17, "10-17"),
    (18, 24, "18-24"),
    (25, 34, "25-34"),
    (35, 49, "35-49"),
    (50, 64, "50-64"),
    (65, 120, "65+"),
)


def load(con) -> pd.DataFrame:
    """police_records as pandas (the untimed part)."""
    table = con.sql(f"SELECT {', '.join(COLUMNS)} FROM police_records").to_arrow_table()
    return table.to_pandas(date_as_object=False)


def compute(df: pd.DataFrame) -> pd.DataFrame:
    """Long table: measure_id, period, area_code, breakdown, value (zeros left out)."""
    age = df["age"]
    victim, suspect = df["person_role"].eq("victim"), df["person_role"].eq("suspect")
    u25 = age.lt(25).fillna(False).astype(bool)
    sv, sv_ho = df["sv_local"].eq(True), df["sv_home_office"].eq(True)
    sv_knife = sv & df["offence_code"].eq("10D")
    sv_ndh = sv & df["offence_code"].isin(HOMICIDE) & df["domestic"].eq(False)
    knife = df["knife"].eq(True)
    band = np.select(
        [age.between(lo, hi).fillna(False).to_numpy(bool) for lo, hi, _ in AGE_BANDS],
        [label for _, _, label in AGE_BANDS],
        "unknown",
    )
    base = pd.DataFrame(
        {
            "crime": pd.factorize(df["crime_key"])[0],
            "year": df["committed_date"].dt.year,
            "lad": df["lad_code"].astype("category"),
            "age_band": pd.Categorical(band),
            "sex": df["sex"].fillna("U").astype("category"),
            "group": df["offence_group"].fillna("unknown").astype("category"),
        }
    )
    # id: (rows counted, rows counted when broken down by a person's age band or sex, distinct crimes?)
    measures = {
        "ho_knife_sv": (sv_knife, sv_knife & victim, True),
        "ho_knife_sv_suspect_u25": (sv_knife & suspect & u25,) * 2 + (True,),
        "ho_knife_sv_victim_u25": (sv_knife & victim & u25,) * 2 + (True,),
        "ho_non_domestic_homicide": (sv_ndh, sv_ndh & victim, True),
        "ho_non_domestic_knife_homicide_u25": (sv_ndh & knife & victim & u25,) * 2 + (True,),
        "local_sv_offences": (sv, sv & victim, True),
        "local_knife_sv": (sv_knife, sv_knife & victim, True),
        "local_sv_victims_u25": (sv & victim & u25,) * 2 + (False,),
        "local_knife_victims_u25": (sv_knife & victim & u25,) * 2 + (False,),
        "ho_sv_offences": (sv_ho, sv_ho & victim, True),
        "local_sv_offences_u25_suspect": (sv & suspect & u25,) * 2 + (True,),
        "local_sv_victims": (sv & victim,) * 2 + (False,),
        "local_sv_suspects": (sv & suspect,) * 2 + (False,),
    }
    frames = []
    for by in (None, "age_band", "sex"):
        for measure_id, (plain, by_person, distinct) in measures.items():
            frames.append(_count(base, (by_person if by else plain).to_numpy(bool), by, distinct, measure_id))
    frames.append(_count(base, np.ones(len(base), bool), "group", True, "police_group_change_2021"))
    return pd.concat(frames, ignore_index=True)


def _count(
    base: pd.DataFrame, mask: np.ndarray, by: str | None, distinct: bool, measure_id: str
) -> pd.DataFrame:
    keys = ["year", "lad", *([by] if by else [])]
    rows = base.loc[mask, ["crime", *keys]]
    if distinct:
        rows = rows.drop_duplicates(["crime", *keys])
    boroughs = rows.groupby(keys, observed=True).size()
    force = rows.groupby([k for k in keys if k != "lad"], observed=True).size()
    force = force.reset_index().assign(lad=FORCE_CODE)
    out = pd.concat([boroughs.reset_index(), force], ignore_index=True).rename(columns={0: "value"})
    label = {None: "", "age_band": "age_band=", "sex": "sex=", "group": "offence_group="}[by]
    return pd.DataFrame(
        {
            "measure_id": measure_id,
            "period": out["year"].astype(str),
            "area_code": out["lad"].astype(str),
            "breakdown": (label + out[by].astype(str)) if by else "",
            "value": out["value"].astype("int64"),
        }
    )
