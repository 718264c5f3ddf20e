"""ambulance.csv (NWAS assault call-outs) and fire.csv (MFRS deliberate fires, violence-related incidents)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from vrhub.synth import targets as T
from vrhub.synth._common import (
    YEARS,
    datetimes,
    exact_labels,
    exact_pick,
    labels,
    lsoa_weights,
    lsoas,
    pick_lsoa,
    pick_lsoa_in_borough,
    refs,
    write_csv,
)
from vrhub.synth._dists import ages_with_u25, pick_categories, sample_datetimes, sample_days

AMBULANCE_CATEGORIES = {
    "assault": 0.82,
    "stabbing": 0.085,
    "shooting": 0.005,
    "sexual_assault": 0.035,
    "other_violence": 0.055,
}
FIRE_TYPES = {
    "deliberate_secondary": 0.71,
    "deliberate_primary": 0.21,
    "arson_endangering_life": 0.03,
    "violence_related": 0.05,
}


def write_ambulance(path: Path, seed: int) -> Path:
    """Every published total and under-25 count holds; the stated borough changes cannot (see README)."""
    rng = np.random.default_rng([seed, 4])
    weights = lsoa_weights(np.random.default_rng([seed, 0]), "violence")
    cats, ages, calls = [], [], []
    for year in YEARS:
        n = T.AMBULANCE_TOTAL[year]
        cat = pick_categories(rng, AMBULANCE_CATEGORIES, n)
        u25 = exact_pick(rng, np.array([1.0, 1.5, 1.6, 1.4, 1.0])[cat], T.AMBULANCE_U25[year])
        age = ages_with_u25(rng, u25, "patient")
        cats.append(cat)
        ages.append(age)
        calls.append(sample_datetimes(rng, year, n, "night_economy"))
    cat, age, call = np.concatenate(cats), np.concatenate(ages), np.concatenate(calls)
    order = np.lexsort((rng.random(len(call)), call))
    cat, age, call = cat[order], age[order], call[order]
    n = len(cat)
    male_p = np.where(cat == list(AMBULANCE_CATEGORIES).index("sexual_assault"), 0.15, 0.66)
    columns = {
        "incident_ref": refs("NW", rng.choice(90_000_000, n, replace=False) + 10_000_000, 8),
        "call_datetime": datetimes(call),
        "category": labels(cat, tuple(AMBULANCE_CATEGORIES)),
        "age": age,
        "sex": labels(np.where(rng.random(n) < male_p, 0, 1), ("M", "F")),
        "lsoa_code": labels(pick_lsoa(rng, n, weights), lsoas()[0]),
    }
    return write_csv(path, columns)


def write_fire(path: Path, seed: int) -> Path:
    """Totals and borough counts hold exactly for 2020 and 2021."""
    rng = np.random.default_rng([seed, 5])
    weights = lsoa_weights(np.random.default_rng([seed, 0]), "fire")
    shares = np.array(T.FIRE_BOROUGH[2020]) / sum(T.FIRE_BOROUGH[2020])
    kinds, dates, boroughs = [], [], []
    for year in YEARS:
        n = T.FIRE_TOTAL[year]
        borough = T.FIRE_BOROUGH.get(year) or rng.multinomial(n, shares)
        kind = pick_categories(rng, FIRE_TYPES, n)
        date = np.empty(n, "datetime64[D]")
        secondary = kind == 0  # grass, rubbish and bonfire fires follow the seasons most
        date[secondary] = sample_days(rng, year, int(secondary.sum()), "fire")
        date[~secondary] = sample_days(rng, year, int((~secondary).sum()), "violence")
        kinds.append(kind)
        dates.append(date)
        boroughs.append(exact_labels(rng, borough))
    kind, date, borough = np.concatenate(kinds), np.concatenate(dates), np.concatenate(boroughs)
    order = np.lexsort((rng.random(len(date)), date))
    kind, date, borough = kind[order], date[order], borough[order]
    n = len(kind)
    years = date.astype("datetime64[Y]").astype(np.int64) + 1970
    seq = np.arange(n) - np.searchsorted(years, years, side="left") + 1  # numbering restarts each year
    prefixes = [f"MF{y % 100:02d}-" for y in YEARS]
    columns = {
        "incident_ref": refs(labels(years - YEARS[0], prefixes), seq, 5),
        "incident_date": date,
        "incident_type": labels(kind, tuple(FIRE_TYPES)),
        "lsoa_code": labels(pick_lsoa_in_borough(rng, borough, weights), lsoas()[0]),
    }
    return write_csv(path, columns)


INDICATOR_COLUMNS = ("indicator_id", "area_code", "period", "value", "unit", "note")
_BOROUGHS = ("E08000011", "E08000012", "E08000013", "E08000014", "E08000015")
MERSEYSIDE = "E23000004"
# indicator, period, unit, Merseyside value (published), borough values (plausible; exclusions sum to 195)
INDICATORS = (
    ("local_absence_primary", "2019/20", "percent", 4.4, (4.7, 4.6, 4.3, 4.1, 4.2)),
    ("local_absence_secondary", "2019/20", "percent", 6.0, (6.6, 6.3, 5.9, 5.6, 5.7)),
    ("local_absence_sen", "2019/20", "percent", 11.0, (11.6, 11.4, 10.8, 10.5, 10.6)),
    ("local_permanent_exclusions", "2019/20", "exclusions", 195, (24, 78, 22, 31, 40)),
    ("local_intensive_mentor_schools", "2020/21", "schools", 8, None),
    ("local_neet_16_17", "2020-03", "percent", 9.7, (10.9, 10.4, 9.1, 8.6, 9.2)),
    ("local_sv_reoffenders", "2020", "offenders", 46, None),
)


def write_indicators(path: Path) -> Path:
    rows = []
    for indicator, period, unit, value, boroughs in INDICATORS:
        rows.append((indicator, MERSEYSIDE, period, value, unit, "Merseyside VRP strategy 2022-25 figure"))
        for code, v in zip(_BOROUGHS, boroughs or (), strict=False):
            rows.append((indicator, code, period, v, unit, "synthetic demo borough figure"))
    columns = {name: np.array([str(r[i]) for r in rows]) for i, name in enumerate(INDICATOR_COLUMNS)}
    return write_csv(path, columns)
