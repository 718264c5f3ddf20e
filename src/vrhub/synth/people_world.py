"""The demo's young people: who they are, and when they offend, are victims, attend the ED, have education
events and join an intervention, drawn from hazards so that the demo's estimators have a known answer.

Every hazard is a person's sex, borough and current age band (the bands cohort matching uses) times a base
rate, constant over the calendar: a Poisson process, so a person's past records say nothing of their future
beyond those covariates. Joining an intervention depends on the same covariates and on the contacts with
services in the 12 months before the start; matching on them removes the confounding, as the estimators
assume. From the day after a participant's start, offending runs at the planted hazard ratio
(`planted.py`). Events are drawn by thinning: candidates at each person's highest rate, each kept with the
ratio of the rate at its day to that highest rate.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from vrhub.synth._common import BOROUGH_CODES, BOROUGH_POP, lsoa_weights, pick_lsoa_in_borough
from vrhub.synth.planted import INTERVENTIONS, PlantedIntervention

FIRST, END = np.datetime64("2018-04-01"), np.datetime64("2022-01-01")  # the demo's span (END exclusive)
SUSPECT, VICTIM, ED = 0, 1, 2  # event kinds; education events are EDUCATION + index into EDUCATION_EVENTS
EDUCATION = 3
EDUCATION_EVENTS = ("permanent_exclusion", "suspension", "persistent_absence", "elective_home_education",
                    "alternative_provision", "missing_education", "neet")  # fmt: skip

# Rates per person-year at the highest multipliers' product of 1; then by sex (M, F), borough (as
# BOROUGH_CODES) and age in whole years (0 where the event cannot happen at that age).
_AGES = np.arange(0, 31)
_BAND = np.select(
    [_AGES < 10, _AGES < 14, _AGES < 16, _AGES < 18, _AGES < 21, _AGES < 25], [0, 0.4, 0.9, 1.2, 1.1, 0.8], 0
)
_SCHOOL = np.where((_AGES >= 11) & (_AGES < 16), 1.0, 0.0)
_NEET = np.where((_AGES >= 16) & (_AGES < 19), 1.0, 0.0)
_BOROUGH_RISK = np.array([1.3, 1.2, 0.9, 0.8, 1.0])
_RATES = {  # kind: (base rate, by sex, by age)
    SUSPECT: (0.28, (1.5, 0.5), _BAND),
    VICTIM: (0.2, (1.2, 0.8), np.where(_AGES >= 10, np.maximum(_BAND, 0.6), 0)),
    ED: (0.035, (1.3, 0.7), np.where(_AGES >= 10, np.maximum(_BAND, 0.5), 0)),
    EDUCATION + 0: (0.008, (1.5, 0.5), _SCHOOL),
    EDUCATION + 1: (0.1, (1.3, 0.7), _SCHOOL),
    EDUCATION + 2: (0.12, (1.0, 1.0), _SCHOOL),
    EDUCATION + 3: (0.004, (1.0, 1.0), _SCHOOL),
    EDUCATION + 4: (0.012, (1.4, 0.6), _SCHOOL),
    EDUCATION + 5: (0.008, (1.0, 1.0), _SCHOOL),
    EDUCATION + 6: (0.09, (1.1, 0.9), _NEET),
}
PRIOR_DAYS = 365


@dataclass
class World:
    sex: np.ndarray  # 0 male, 1 female (the police extract's coding)
    borough: np.ndarray  # index into BOROUGH_CODES
    home: np.ndarray  # LSOA index (`_common.lsoas()`)
    born: np.ndarray  # datetime64[D]
    person: np.ndarray  # events: whose
    kind: np.ndarray  # events: SUSPECT, VICTIM, ED or EDUCATION + i
    day: np.ndarray  # events: datetime64[D]
    joined: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)  # name: (people, starts)
    police_ref: dict[int, int] = field(default_factory=dict)  # person: police person number, once placed
    ed_refs: list[tuple[int, str]] = field(default_factory=list)  # (person, attendance_ref), once placed

    @property
    def size(self) -> int:
        return int(self.sex.size)

    def age_on(self, who: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Whole years of age of people `who` on `day`."""
        born = self.born[who]
        years = day.astype("datetime64[Y]").astype(np.int64) - born.astype("datetime64[Y]").astype(np.int64)
        return (years - (_month_day(day) < _month_day(born))).astype(np.int16)

    def events_of(self, kinds: tuple[int, ...]) -> np.ndarray:
        return np.flatnonzero(np.isin(self.kind, kinds))

    def keep(self, mask: np.ndarray) -> None:
        self.person, self.kind, self.day = self.person[mask], self.kind[mask], self.day[mask]


def _month_day(day: np.ndarray) -> np.ndarray:
    month = day.astype("datetime64[M]")
    return (month.astype(np.int64) % 12) * 100 + (day - month).astype(np.int64)


def build_world(seed: int, people: int = 6000) -> World:
    """`people` young people (aged 11 to 21 on 1 January 2019, so under 25 throughout) and their events."""
    rng = np.random.default_rng([seed, 14])
    sex = (rng.random(people) >= 0.6).astype(np.int8)
    borough = rng.choice(5, people, p=BOROUGH_POP / BOROUGH_POP.sum())
    home = pick_lsoa_in_borough(rng, borough, lsoa_weights(np.random.default_rng([seed, 0]), "residence"))
    age = rng.integers(11, 22, people)
    born = np.datetime64("2019-01-01") - (age * 365.25 + rng.integers(1, 365, people)).astype(
        "timedelta64[D]"
    )
    world = World(sex, borough, home, born, *_events(rng, sex, borough, born))
    for planted in INTERVENTIONS:
        _join(rng, world, planted)
    return world


def _events(
    rng: np.random.Generator, sex: np.ndarray, borough: np.ndarray, born: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    span = int((END - FIRST).astype(int))
    people, kinds, days = [], [], []
    for kind, (base, by_sex, by_age) in _RATES.items():
        top = base * np.array(by_sex)[sex] * _BOROUGH_RISK[borough] * by_age.max() / 365.25
        n = rng.poisson(top * span)
        who = np.repeat(np.arange(sex.size), n)
        day = FIRST + rng.integers(0, span, who.size).astype("timedelta64[D]")
        years = ((day - born[who]).astype(np.int64) / 365.25).astype(np.int64).clip(0, _AGES[-1])
        kept = rng.random(who.size) < by_age[years] / by_age.max()
        people.append(who[kept])
        kinds.append(np.full(int(kept.sum()), kind, np.int8))
        days.append(day[kept])
    person, kinds_of, day = np.concatenate(people), np.concatenate(kinds), np.concatenate(days)
    order = np.lexsort((day, person))
    return person[order], kinds_of[order], day[order]


def contacts_before(world: World, who: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Each person's events (any kind) in the 365 days before their start: the contacts matching uses."""
    key = world.person.astype(np.int64) * 100_000 + (world.day - FIRST).astype(np.int64)
    at = who.astype(np.int64) * 100_000 + (start - FIRST).astype(np.int64)
    return np.searchsorted(key, at, side="left") - np.searchsorted(key, at - PRIOR_DAYS, side="left")


def _join(rng: np.random.Generator, world: World, planted: PlantedIntervention) -> None:
    """Choose the participants (on sex, borough, age band and recent contacts), give each a start, and
    thin their offending after it to the planted hazard ratio."""
    first, last = np.datetime64(planted.first_start), np.datetime64(planted.last_start)
    start = first + rng.integers(0, int((last - first).astype(int)) + 1, world.size).astype("timedelta64[D]")
    taken = np.zeros(world.size, bool)
    for _, (already, _) in world.joined.items():
        taken[already] = True
    where = [BOROUGH_CODES.index(b) for b in planted.boroughs] or list(range(5))
    age = world.age_on(np.arange(world.size), start)
    eligible = np.isin(world.borough, where) & (age >= 10) & (age < 25) & ~taken
    contacts = np.minimum(contacts_before(world, np.arange(world.size), start), 6)
    score = 0.6 * (world.sex == 0) + 0.45 * contacts + 0.4 * ((age >= 14) & (age < 21))
    weight = np.where(eligible, np.exp(score), 0.0)
    chance = np.minimum(1.0, weight * planted.participants / weight.sum())
    who = np.flatnonzero(rng.random(world.size) < chance)
    world.joined[planted.name] = (who, start[who])
    if planted.hazard_ratio < 1:
        after = np.zeros(world.size, "datetime64[D]")
        after[:] = END
        after[who] = start[who]
        later = (world.kind == SUSPECT) & (world.day > after[world.person])
        world.keep(~later | (rng.random(world.kind.size) < planted.hazard_ratio))
