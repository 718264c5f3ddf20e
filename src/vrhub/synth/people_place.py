"""The demo's young people placed on the rows of the calibrated police and ED extracts.

Each of a person's police events takes a row of the same role, sex and borough with a victim or suspect under
25, and each ED event an attendance of the same sex, borough and child or not (under 16, whom Alder Hey
mostly sees), under 25, nearest the event's day (`assign.nearest_rows`). The row's age becomes the person's
age then, still under 25, so every published count (under-25 victims and suspects among them) holds; the
event takes the row's day. An event no row is left for is not recorded.
"""

from __future__ import annotations

import numpy as np

from vrhub.synth._common import lsoas
from vrhub.synth.assign import nearest_rows
from vrhub.synth.people_world import ED, SUSPECT, VICTIM, World
from vrhub.synth.police_plan import CODES, VICTIM_AGES
from vrhub.synth.police_rows import NONE
from vrhub.synth.police_rows import SUSPECT as SUSPECT_ROW
from vrhub.synth.police_rows import VICTIM as VICTIM_ROW

# Victims of offences with an age limit (infants, children, police officers, sexual offences) and
# infanticide's suspects are left as they are.
_ODD_VICTIM = np.isin(np.arange(len(CODES)), [CODES.index(c) for c in VICTIM_AGES])
_ODD_SUSPECT = np.isin(np.arange(len(CODES)), [CODES.index("4.2")])


def take_police_rows(world: World, crimes: dict[str, np.ndarray], rows: dict[str, np.ndarray]) -> None:
    """Give the world's people their police rows: rows["person"] and rows["age"] change in place, and
    `world.police_ref` gets each placed person's person number."""
    crime, role, age, sex = rows["crime"], rows["role"], rows["age"], rows["sex"]
    code = crimes["code"][crime]
    borough = lsoas()[2][crimes["lsoa"][crime]]
    odd = np.where(role == VICTIM_ROW, _ODD_VICTIM[code], _ODD_SUSPECT[code])
    open_row = (role != NONE) & (age >= 10) & (age < 25) & (sex <= 1) & ~crimes["no_lsoa"][crime] & ~odd
    candidates = np.flatnonzero(open_row)
    events = world.events_of((SUSPECT, VICTIM))
    e_role = np.where(world.kind[events] == SUSPECT, SUSPECT_ROW, VICTIM_ROW)
    who = world.person[events]
    e_group = (e_role * 2 + world.sex[who]) * 5 + world.borough[who]
    c_group = (role[candidates].astype(np.int64) * 2 + sex[candidates]) * 5 + borough[candidates]
    day = crimes["committed"][crime]
    picked = nearest_rows(e_group, world.day[events], c_group, day[candidates])
    placed = picked >= 0
    row = candidates[picked[placed]]
    base = int(rows["person"].max()) + 1
    # A person twice on one crime in one role would be one record twice: the later event is not recorded.
    key = (crime[row].astype(np.int64) * 3 + role[row]) * world.size + who[placed]
    _, first = np.unique(key, return_index=True)
    once = np.zeros(row.size, bool)
    once[first] = True
    row, person = row[once], who[placed][once]
    rows["person"][row] = base + person
    rows["age"][row] = world.age_on(person, day[row])
    recorded = np.zeros(world.kind.size, bool)
    recorded[events[np.flatnonzero(placed)[once]]] = True
    world.day[events[np.flatnonzero(placed)[once]]] = day[row]
    world.keep(recorded | ~np.isin(world.kind, (SUSPECT, VICTIM)))
    world.police_ref.update({int(p): base + int(p) for p in np.unique(person)})


def take_ed_rows(  # noqa: PLR0913
    world: World,
    assault: np.ndarray,
    age: np.ndarray,
    male: np.ndarray,
    place_borough: np.ndarray,
    home: np.ndarray,
    numbers: np.ndarray,
) -> None:
    """Give the world's people their ED attendances: `age` and `home` (an LSOA index) change in place, and
    `world.ed_refs` gets (person, attendance number) for each."""
    candidates = np.flatnonzero((age >= 10) & (age < 25))
    day = assault.astype("datetime64[D]")
    events = world.events_of((ED,))
    who = world.person[events]
    e_age = world.age_on(who, world.day[events])
    e_group = ((world.sex[who].astype(np.int64) * 5 + world.borough[who]) * 2 + (e_age < 16)).astype(np.int64)
    c_sex = np.where(male[candidates], 0, 1)
    c_group = (c_sex * 5 + place_borough[candidates]) * 2 + (age[candidates] < 16)
    picked = nearest_rows(e_group, world.day[events], c_group.astype(np.int64), day[candidates])
    placed = picked >= 0
    row, person = candidates[picked[placed]], who[placed]
    age[row] = world.age_on(person, day[row])
    home[row] = world.home[person]
    world.day[events[placed]] = day[row]
    world.keep(~np.isin(np.arange(world.kind.size), events[~placed]))
    world.ed_refs.extend(zip(person.tolist(), numbers[row].tolist(), strict=True))
