"""The data behind each section of the Strategic Needs Assessment: small tables from the warehouse,
computed through the same measure engine as everything else (or Ibis group-bys where it has no measure)."""

from __future__ import annotations

import pandas as pd

from vrhub.config import FORCE_CODE
from vrhub.measures import Catalogue, MeasureRequest, compute
from vrhub.warehouse import Warehouse

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _measures(wh: Warehouse, catalogue: Catalogue, ids: list[str], **request: object) -> pd.DataFrame:
    present = [i for i in ids if i in catalogue.measures]
    return compute(wh, catalogue, MeasureRequest(measures=present, **request)).table.to_pandas()  # type: ignore[arg-type]


def monthly(wh: Warehouse, catalogue: Catalogue, measure_id: str) -> pd.DataFrame:
    """Monthly counts for the force and each borough, with the month as a date."""
    df = _measures(wh, catalogue, [measure_id], period="month")
    df = df[df["breakdown"] == ""].copy()
    df["month"] = pd.to_datetime(df["period"] + "-01")
    return df


def people(wh: Warehouse, catalogue: Catalogue, year: str | None) -> pd.DataFrame:
    """Victims and suspects of serious violence by age band and sex, force-wide, in one year."""
    if year is None:
        return pd.DataFrame(columns=["who", "dimension", "group", "value"])
    frames = []
    for by in ("age_band", "sex"):
        df = _measures(
            wh, catalogue, ["local_sv_victims", "local_sv_suspects"], period="year", by=by, area=FORCE_CODE
        )
        frames.append(df[(df["period"] == year) & (df["breakdown"] != "")])
    df = pd.concat(frames)
    if df.empty:  # no police records loaded yet: no one to show, rather than a failed report
        return pd.DataFrame(columns=["who", "dimension", "group", "value"])
    df["who"] = df["measure_id"].map({"local_sv_victims": "Victims", "local_sv_suspects": "Suspects"})
    df[["dimension", "group"]] = df["breakdown"].str.split("=", n=1, expand=True)
    return df[["who", "dimension", "group", "value"]]


def places(wh: Warehouse, catalogue: Catalogue, measure_id: str, year: str | None) -> pd.DataFrame:
    """The force first, then its boroughs by rate: the force is their total, not one of them."""
    df = _measures(wh, catalogue, [measure_id], period="year")
    if df.empty or year is None:
        return pd.DataFrame(columns=["area_code", "area_name", "value", "rate_per_100k"])
    df = df[(df["period"] == year) & (df["breakdown"] == "")]
    return (
        df.assign(_b=df["area_code"] != FORCE_CODE)
        .sort_values(["_b", "rate_per_100k"], ascending=[True, False])
        .drop(columns="_b")
    )


def population(wh: Warehouse, year: str | None) -> dict[str, object]:
    """The all-ages population each area's rate divides by, and its year: the latest population year
    no later than `year` (the engine's choice), or the earliest there is."""
    if year is None or not wh.has_table("population"):
        return {"year": None, "areas": {}}
    pop = wh.to_arrow(wh.table("population")).to_pandas()
    if "sex" in pop:
        pop = pop[pop["sex"].isin(["all"])] if (pop["sex"] == "all").any() else pop
    years = sorted(int(y) for y in pop["year"].unique())
    if not years:
        return {"year": None, "areas": {}}
    used = max([y for y in years if y <= int(year)], default=years[0])
    by_area = pop[pop["year"] == used].groupby("area_code")["population"].sum()
    areas = {str(a): float(v) for a, v in by_area.items()}
    lads = [a for a in areas if a != FORCE_CODE]
    if FORCE_CODE not in areas and lads:
        areas[FORCE_CODE] = sum(areas[a] for a in lads)
    return {"year": used, "areas": areas}


def hour_by_weekday(wh: Warehouse, year: str | None) -> pd.DataFrame:
    """ED assault attendances by hour of the assault and weekday: the police extract has dates, not times."""
    if year is None:
        return pd.DataFrame(columns=["hour", "weekday", "n"])
    t = wh.table("ed_attendances")
    t = t.filter(t.assault_at.year() == int(year))
    grouped = t.group_by(hour=t.assault_at.hour(), weekday=t.assault_at.day_of_week.index()).aggregate(
        n=t.count()
    )
    df = wh.to_arrow(grouped).to_pandas()
    df["weekday"] = df["weekday"].map(dict(enumerate(WEEKDAYS)))
    return df


def weapons(wh: Warehouse, catalogue: Catalogue) -> pd.DataFrame:
    df = _measures(wh, catalogue, ["ed_weapon_change_2021"], period="year", area=FORCE_CODE)
    if df.empty:
        return pd.DataFrame(columns=["period", "method", "value"])
    df["method"] = df["breakdown"].str.split("=", n=1).str[1].str.replace("_", " ")
    return df[["period", "method", "value"]]


AGENCY_MEASURES = {
    "local_sv_offences": "Police: serious violence offences",
    "ed_assault_attendances": "Emergency departments: assault attendances",
    "ho_sharp_object_admissions": "Hospital: admissions for assault by a sharp object (X99, any diagnosis)",
    "ambulance_assault_callouts": "Ambulance: assault call-outs",
    "fire_callouts": "Fire and rescue: deliberate fires and violence-related call-outs",
}


def agencies(wh: Warehouse, catalogue: Catalogue) -> pd.DataFrame:
    df = _measures(wh, catalogue, list(AGENCY_MEASURES), period="year", area=FORCE_CODE)
    df = df[df["breakdown"] == ""].copy() if not df.empty else df
    if df.empty:
        return pd.DataFrame(columns=["agency"])
    df["agency"] = df["measure_id"].map(AGENCY_MEASURES)
    return df.pivot_table(index="agency", columns="period", values="value", aggfunc="sum").reset_index()
