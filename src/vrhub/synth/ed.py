"""ed_attendances.csv: emergency department assault attendances (ISTV), exact published counts."""

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
    pick_lsoa_in_borough,
    refs,
    write_csv,
)
from vrhub.synth._dists import ages_with_u25, pick_categories, sample_datetimes
from vrhub.synth.people_place import take_ed_rows
from vrhub.synth.people_world import World

METHODS = T.ED_METHODS
# fmt: off
LOCATIONS = ("street", "licensed_premises", "home", "public_transport", "school", "workplace", "other",
             "not_specified")
_LOCATION_P = {"street": .38, "licensed_premises": .13, "home": .22, "public_transport": .02, "school": .02,
               "workplace": .05, "other": .1, "not_specified": .08}
_ADMITTED_P = np.array([.12, .14, .13, .45, .36, .25, .22, .7, .15, .12])  # by method, as METHODS
_MALE_P = np.array([.7, .72, .68, .86, .8, .75, .7, .9, .65, .62])
_STREETS = (  # by borough: Knowsley, Liverpool, St Helens, Sefton, Wirral
    ("Derby Road Huyton", "Cherryfield Drive", "Prescot High Street", "Roby Road"),
    ("Bold Street", "Concert Square", "Seel Street", "Lord Street", "Church Street", "County Road",
     "Lime Street", "Mathew Street", "Wood Street", "Dale Street"),
    ("Westfield Street", "Church Street St Helens", "Duke Street St Helens", "Baldwin Street"),
    ("Lord Street Southport", "Stanley Road Bootle", "Crosby Road North", "South Road Waterloo"),
    ("Grange Road", "Borough Road", "Argyle Street", "Liscard Road"),
)
_VENUES = ("nightclub", "bar", "public house", "social club", "takeaway", "hotel bar", "students union")
_OTHER = ("bite", "vehicle", "dog", "hot liquid", "stone", "chair", "tool", "bat")
# fmt: on
# Type-1 departments: Royal Liverpool, Aintree, Whiston, Southport, Arrowe Park, Alder Hey (children).
_SITE_BY_BOROUGH = {  # borough index -> (site, probability)
    0: {"RBN01": 0.7, "RQ601": 0.3},
    1: {"RQ601": 0.62, "REM21": 0.38},
    2: {"RBN01": 1.0},
    3: {"REM21": 0.55, "RVY02": 0.45},
    4: {"RBL14": 1.0},
}


def _year(rng: np.random.Generator, year: int, weights: np.ndarray) -> dict[str, np.ndarray]:
    n = T.ED_TOTAL[year]
    if year in T.ED_BOROUGH:
        borough = exact_labels(rng, T.ED_BOROUGH[year])
    else:
        shares = np.array(T.ED_BOROUGH[2020]) / sum(T.ED_BOROUGH[2020])
        borough = exact_labels(rng, rng.multinomial(n, shares))
    method = exact_labels(rng, T.ED_METHOD_COUNTS[year])
    knife, sharp = method == METHODS.index("knife"), method == METHODS.index("other_sharp")
    u25 = (rng.random(n) < 0.31) & ~knife & ~sharp
    for rows, k in ((knife, T.ED_KNIFE_U25[year]), (sharp, T.ED_OTHER_SHARP_U25[year])):
        idx = np.flatnonzero(rows)
        u25[idx[exact_pick(rng, np.ones(len(idx)), k)]] = True
    age = ages_with_u25(rng, u25, "patient")
    assault = sample_datetimes(rng, year, n, "night_economy")
    delay = np.clip(rng.lognormal(np.log(50), 0.8, n), 5, 360).astype(np.int64)
    return {
        "borough": borough,
        "method": method,
        "age": age,
        "assault": assault,
        "arrival": assault + delay.astype("timedelta64[m]"),
    }


def write_ed_attendances(path: Path, seed: int, world: World | None = None) -> Path:
    """The demo's ED attendances; given `world`, its young people attend some of them."""
    rng = np.random.default_rng([seed, 2])
    weights = lsoa_weights(np.random.default_rng([seed, 0]), "violence")
    home_weights = lsoa_weights(np.random.default_rng([seed, 0]), "residence")
    parts = [_year(rng, year, weights) for year in YEARS]
    d = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    order = np.lexsort((rng.random(len(d["age"])), d["assault"]))
    d = {k: v[order] for k, v in d.items()}
    n, method, age, borough = len(d["age"]), d["method"], d["age"], d["borough"]

    male = rng.random(n) < _MALE_P[method]
    loc = {name: i for i, name in enumerate(LOCATIONS)}
    location = pick_categories(rng, _LOCATION_P, n)
    location[(method == METHODS.index("glass_bottle")) & (rng.random(n) < 0.4)] = loc["licensed_premises"]
    location[(age >= 11) & (age <= 16) & (rng.random(n) < 0.2)] = loc["school"]
    location[(age < 18) & (location == loc["licensed_premises"])] = loc["street"]
    recoded = (method == METHODS.index("not_specified")) & (rng.random(n) < 0.3)
    location[recoded] = loc["not_specified"]
    street, venue = location == loc["street"], location == loc["licensed_premises"]
    sizes = np.array([len(x) for x in _STREETS])
    first_street = np.concatenate([[0], np.cumsum(sizes)])[borough]
    street_idx = first_street + (rng.random(n) * sizes[borough]).astype(int)
    descr = np.where(street, street_idx, sizes.sum() + rng.integers(0, len(_VENUES), n))
    descr_null = ~((street & (rng.random(n) < 0.5)) | (venue & (rng.random(n) < 0.7)))

    incident_known = rng.random(n) < 0.8
    incident = pick_lsoa_in_borough(rng, borough, weights)
    elsewhere = incident_known & (rng.random(n) < 0.25)
    home_borough = np.where(elsewhere, (borough + rng.integers(1, 5, n)) % 5, borough)
    home = pick_lsoa_in_borough(rng, home_borough, home_weights)
    home_known = ~incident_known | (rng.random(n) < 0.9)

    site = np.empty(n, np.int64)
    for b, options in _SITE_BY_BOROUGH.items():
        rows = np.flatnonzero(borough == b)
        ids = np.array([T.ED_SITES.index(s) for s in options])
        site[rows] = ids[pick_categories(rng, options, len(rows))]
    site[(age < 16) & (rng.random(n) < 0.85)] = T.ED_SITES.index("RBS25")

    codes = lsoas()[0]
    numbers = rng.choice(9_000_000, n, replace=False) + 1_000_000
    if world is not None:
        place = np.where(incident_known, borough, home_borough)
        take_ed_rows(world, d["assault"], age, male, place, home, numbers)
    other = method == METHODS.index("other")
    columns = {
        "attendance_ref": refs("ED", numbers, 7),
        "site_code": labels(site, T.ED_SITES),
        "arrival_datetime": datetimes(d["arrival"]),
        "assault_datetime": datetimes(d["assault"]),
        "assault_method": labels(method, METHODS),
        "assault_method_other": labels(rng.integers(0, len(_OTHER), n), _OTHER, null=~other),
        "location_type": labels(location, LOCATIONS),
        "location_description": labels(descr, sum(_STREETS, ()) + _VENUES, null=descr_null),
        "age": age,
        "sex": labels(np.where(male, 0, 1), ("M", "F")),
        "incident_lsoa": labels(incident, codes, null=~incident_known),
        "home_lsoa": labels(home, codes, null=~home_known),
        "admitted": labels(rng.random(n) < _ADMITTED_P[method], ("N", "Y")),
    }
    # Drawn last so the figures above are unchanged. The Cardiff Model's point: most assaults treated in
    # EDs never reach the police (about a third do here, more with a weapon); some forms leave it blank.
    informed = rng.random(n) < np.where(
        np.isin(method, [METHODS.index("knife"), METHODS.index("firearm")]), 0.6, 0.33
    )
    columns["police_informed"] = labels(informed, ("N", "Y"), null=rng.random(n) < 0.1)

    return write_csv(path, columns)
