"""The pandas baseline for `vrhub measures`: the same numbers as measures.sql, computed from an in-memory
DataFrame of police_records (loading it is not timed; `compute` is). Idiomatic pandas: one boolean mask per
measure, then filter, find each crime's youngest counted person and count per group.

What each measure counts is spelt out here, as in measures.sql, from the catalogue and the definitions (not
read from them). Broken down by age band or sex, each counted crime sits in one band, its youngest counted
person's (unknown age last, F before M before U at equal age), or `no victim recorded`; a counted row sits
in its own person's band."""

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
    "firearm",
    "domestic",
    "lad_code",
    "person_role",
    "age",
    "sex",
)
HOMICIDE = ["1", "4.1", "4.2", "4.10"]
# merseyside_local 2022.2 (the appendix): these on any flag; SV_ARMED only knife- or firearm-enabled.
SV_ANY = [*HOMICIDE, "2", "5D", "56A", "34A", "34B"]
SEXUAL = ["19C", "19D", "19E", "19F", "19G", "19H", "20A", "20B", "17A", "17B"]
SV_ARMED = ["3B", "8N", "8P", "8S", "5E", *SEXUAL]
# ONS selected offences (home_office's knife- or firearm-enabled list; home_office_knife's with homicide).
SELECTED = ["2", "3B", "8N", "8P", "8S", "5D", "34A", "34B", *SEXUAL]
# home_office_hotspot: homicide, the ONS subgroup violence with injury, robbery.
HOTSPOT = [*HOMICIDE, "2", "37.1", "4.3", "4.4", "4.6", "4.7", "4.8", "4.9", "5D", "5E", "8N", "8P", "8S"]
HOTSPOT += ["34A", "34B"]
FIREARMS_OFFENCES = ["10A", "10B", "81", "5E"]
SV_GROUPS = [
    "violence-against-the-person",
    "possession-of-weapons-offences",
    "miscellaneous-crimes-against-society",
]
AGE_BANDS = (
    (0, 9, "0-9"),
    (10, 17, "10-17"),
    (18, 24, "18-24"),
    (25, 34, "25-34"),
    (35, 49, "35-49"),
    (50, 64, "50-64"),
    (65, 120, "65+"),
)
NO_AGE = 999  # orders a person of unknown age after every known age
NO_VICTIM = -1  # a counted crime with no victim recorded
BAND_LABELS = [*(label for _, _, label in AGE_BANDS), "unknown", "no victim recorded"]
SEX_LABELS = ["F", "M", "U", "no victim recorded"]
# The band of each age a person's order can carry (0-120, or NO_AGE): a lookup, not a string per row.
BAND_OF_AGE = np.full(NO_AGE + 1, BAND_LABELS.index("unknown"))
for _i, (_lo, _hi, _) in enumerate(AGE_BANDS):
    BAND_OF_AGE[_lo : _hi + 1] = _i


def load(con) -> pd.DataFrame:
    """police_records as pandas (the untimed part)."""
    table = con.sql(f"SELECT {', '.join(COLUMNS)} FROM police_records").to_arrow_table()
    return table.to_pandas(date_as_object=False)


def compute(df: pd.DataFrame) -> pd.DataFrame:
    """Long table: measure_id, period, area_code, breakdown, value (zeros left out)."""
    code, age = df["offence_code"], df["age"]
    knife, firearm = df["knife"].eq(True), df["firearm"].eq(True)
    armed = knife | firearm
    victim, suspect = df["person_role"].eq("victim"), df["person_role"].eq("suspect")
    u25 = age.lt(25).fillna(False).astype(bool)
    knife_sv = code.eq("10D")
    sv = (code.isin(SV_ANY) | (armed & code.isin(SV_ARMED))) & ~df["domestic"].eq(True)
    sv_groups = df["offence_group"].isin(SV_GROUPS)
    sv_ho = code.isin(HOMICIDE) | (armed & code.isin(SELECTED))
    ndh = sv & code.isin(HOMICIDE) & df["domestic"].eq(False)
    hotspot = code.isin(HOTSPOT)
    knife_ons = knife & code.isin([*HOMICIDE, *SELECTED])
    gun = firearm | code.isin(FIREARMS_OFFENCES)
    rank = np.select([df["sex"].eq("F").fillna(False), df["sex"].eq("M").fillna(False)], [0, 1], 2)
    base = pd.DataFrame(
        {
            "crime": pd.factorize(df["crime_key"])[0],
            "year": df["committed_date"].dt.year,
            "lad": df["lad_code"].astype("category"),
            "who": age.fillna(NO_AGE).astype("int64").to_numpy() * 3 + rank,
            "group": df["offence_group"].fillna("unknown").astype("category"),
        }
    )
    # Offences: id -> (the rows a crime is counted on, the rows whose person places it in a band). Where the
    # two differ, a crime counted with no victim recorded is in the `no victim recorded` band.
    offences = {
        "ho_knife_sv": (knife_sv, knife_sv & victim),
        "local_knife_sv": (knife_sv, knife_sv & victim),
        "ho_knife_sv_suspect_u25": (knife_sv & suspect & u25,) * 2,
        "ho_knife_sv_victim_u25": (knife_sv & victim & u25,) * 2,
        "ho_non_domestic_homicide": (ndh, ndh & victim),
        "ho_non_domestic_knife_homicide_u25": (ndh & knife & victim & u25,) * 2,
        "local_sv_offences": (sv_groups, sv_groups & victim),
        "ho_sv_offences": (sv_ho, sv_ho & victim),
        "local_sv_offences_u25_suspect": (sv & suspect & u25,) * 2,
        "local_sv_offences_appendix": (sv, sv & victim),
        "ho_hotspot_offences": (hotspot, hotspot & victim),
        "ho_knife_offences": (knife_ons, knife_ons & victim),
        "ho_gun_crime": (gun, gun & victim),
    }
    # Victim and suspect incidents: the rows counted, each in its own person's band.
    incidents = {
        "local_sv_victims_u25": sv_groups & victim & u25,
        "local_sv_victims_u25_appendix": sv & victim & u25,
        "local_knife_victims_u25": knife_sv & victim & u25,
        "local_sv_victims": sv & victim,
        "local_sv_suspects": sv & suspect,
    }
    frames = []
    for measure_id, (counted, person) in offences.items():
        crimes = base.loc[counted.to_numpy(bool), ["crime", "year", "lad"]].drop_duplicates("crime")
        youngest = base.loc[person.to_numpy(bool)].groupby("crime")["who"].min()
        who = youngest.reindex(crimes["crime"]).fillna(NO_VICTIM).astype("int64")
        frames += _counts(crimes.assign(who=who.to_numpy()), measure_id)
    for measure_id, mask in incidents.items():
        frames += _counts(base.loc[mask.to_numpy(bool), ["year", "lad", "who"]], measure_id)
    crimes = base.drop_duplicates("crime")
    frames.append(_count(crimes, "group", "offence_group=", "police_group_change_2021"))
    return pd.concat(frames, ignore_index=True)


def _counts(rows: pd.DataFrame, measure_id: str) -> list[pd.DataFrame]:
    """Plain, by age band and by sex: each row of `rows` (a crime or an incident) counted once in each."""
    who = rows["who"].to_numpy()
    no_victim = who == NO_VICTIM
    band = np.where(no_victim, BAND_LABELS.index("no victim recorded"), BAND_OF_AGE[np.maximum(who, 0) // 3])
    sex = np.where(no_victim, SEX_LABELS.index("no victim recorded"), who % 3)
    rows = rows.assign(
        age_band=pd.Categorical.from_codes(band, BAND_LABELS), sex=pd.Categorical.from_codes(sex, SEX_LABELS)
    )
    return [
        _count(rows, None, "", measure_id),
        _count(rows, "age_band", "age_band=", measure_id),
        _count(rows, "sex", "sex=", measure_id),
    ]


def _count(rows: pd.DataFrame, by: str | None, label: str, measure_id: str) -> pd.DataFrame:
    keys = ["year", "lad", *([by] if by else [])]
    boroughs = rows.groupby(keys, observed=True).size()
    force = rows.groupby([k for k in keys if k != "lad"], observed=True).size()
    force = force.reset_index().assign(lad=FORCE_CODE)
    out = pd.concat([boroughs.reset_index(), force], ignore_index=True).rename(columns={0: "value"})
    return pd.DataFrame(
        {
            "measure_id": measure_id,
            "period": out["year"].astype(str),
            "area_code": out["lad"].astype(str),
            "breakdown": (label + out[by].astype(str)) if by else "",
            "value": out["value"].astype("int64"),
        }
    )
