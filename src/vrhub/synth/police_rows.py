"""Police extract people: expand a crime plan into one row per crime and person (victims, suspects, or a
single `none` row), with ages, sexes and person numbers that keep the published under-25 counts exact."""

from __future__ import annotations

import numpy as np

from vrhub.synth._common import exact_pick, link_people
from vrhub.synth._dists import sample_ages
from vrhub.synth.police_plan import CODES, PROFILES, VICTIM_AGES, in_table2_groups

VICTIM, SUSPECT, NONE = 0, 1, 2
MALE, FEMALE, UNKNOWN = 0, 1, 2
_PROPENSITY = np.array([PROFILES[c][3] for c in CODES])
_MALE_VICTIM = np.array([PROFILES[c][4] for c in CODES])
_AGE_LO = np.array([VICTIM_AGES.get(c, (0, 100))[0] for c in CODES])
_AGE_HI = np.array([VICTIM_AGES.get(c, (0, 100))[1] for c in CODES])
_SEXUAL = np.isin(np.arange(len(CODES)), [CODES.index(c) for c in ("20A", "19C", "17A")])
_INFANTICIDE = CODES.index("4.2")
_BASE_U25 = 0.27  # share of victims under 25 where no published figure fixes it


def expand(
    crimes: dict[str, np.ndarray], rng: np.random.Generator, exact_u25: dict[int, int] | None = None
) -> dict[str, np.ndarray]:
    """Row arrays: crime (index into the plan), role, age (-1 unknown), sex, person (-1 none).

    exact_u25 maps a year to the exact number of under-25 victim rows on serious-violence crimes."""
    n = len(crimes["code"])
    idx = np.arange(n)
    nv, ns = crimes["n_vict"].astype(np.int64), crimes["n_susp"].astype(np.int64)
    nobody = (nv == 0) & (ns == 0)
    crime = np.concatenate([np.repeat(idx, nv), np.repeat(idx, ns), idx[nobody]])
    role = np.repeat(np.array([VICTIM, SUSPECT, NONE], np.int8), [nv.sum(), ns.sum(), nobody.sum()])
    order = np.lexsort((role, crime))
    crime, role = crime[order], role[order]
    code, year, domestic = crimes["code"][crime], crimes["year"][crime], crimes["domestic"][crime]
    victim, suspect = role == VICTIM, role == SUSPECT

    u25 = _victims_under_25(crimes, rng, crime, victim, code, year, domestic, exact_u25)
    age = np.full(len(crime), -1, np.int16)
    lo, hi = _AGE_LO[code], _AGE_HI[code]
    lo = np.where(u25, lo, np.maximum(lo, 25))
    hi = np.where(u25, np.minimum(hi, 24), hi)
    for a, b in sorted(set(zip(lo[victim].tolist(), hi[victim].tolist(), strict=True))):
        rows = victim & (lo == a) & (hi == b)
        age[rows] = sample_ages(rng, int(rows.sum()), "victim", a, b)
    unknown_victim = victim & ~u25 & (crimes["vmode"][crime] == 0) & (rng.random(len(crime)) < 0.004)
    age[unknown_victim] = -1

    smode = crimes["smode"][crime]
    for mode, (a, b) in enumerate(((10, 100), (10, 24), (25, 100))):
        rows = suspect & (smode == mode)
        age[rows] = sample_ages(rng, int(rows.sum()), "suspect", a, b)
    unknown_suspect = suspect & (smode != 1) & (rng.random(len(crime)) < 0.05)
    age[unknown_suspect] = -1

    male_p = np.where(
        victim,
        np.where(domestic & ~_SEXUAL[code], 0.25, _MALE_VICTIM[code]),
        np.where(_SEXUAL[code], 0.97, np.where(domestic, 0.8, 0.86)),
    )
    male_p = np.where(suspect & (code == _INFANTICIDE), 0, male_p)
    sex = np.where(rng.random(len(crime)) < male_p, MALE, FEMALE).astype(np.int8)
    sex[unknown_suspect & (rng.random(len(crime)) < 0.4)] = UNKNOWN
    sex[role == NONE] = -1

    person = _people(rng, crime, role, age, sex, year)
    return {"crime": crime, "role": role, "age": age, "sex": sex, "person": person}


def _victims_under_25(crimes, rng, crime, victim, code, year, domestic, exact_u25):
    vmode = crimes["vmode"][crime]
    u25 = victim & (vmode == 1)
    free = victim & (vmode == 0)
    weight = _PROPENSITY[code] * np.where(domestic, 0.55, 1.0)
    sv = in_table2_groups(crimes["code"])[crime]
    chance = rng.random(len(crime)) < np.minimum(0.9, _BASE_U25 * weight)
    by_chance = free & ~sv if exact_u25 is not None else free
    u25 |= by_chance & chance
    u25 |= victim & (_AGE_HI[code] < 25)  # child-only offences
    for y, target in (exact_u25 or {}).items():
        pool = np.flatnonzero(free & sv & (year == y) & ~u25)  # child-only offences are u25 already
        forced = int((u25 & sv & (year == y)).sum())
        u25[pool[exact_pick(rng, weight[pool], target - forced)]] = True
    return u25


def _people(rng, crime, role, age, sex, year) -> np.ndarray:
    """Person numbers: repeat victims and (more often) repeat suspects share a number across crimes, matched
    on role, sex and year of birth; never twice on the same crime and role."""
    known = (role != NONE) & (age >= 0) & (sex != UNKNOWN)
    birth = year.astype(np.int64) - age - 1890
    group = np.where(known, (role.astype(np.int64) * 3 + sex) * 200 + birth, -1)
    share = np.where(role == SUSPECT, 0.3, 0.1)
    per_person = np.where(role == SUSPECT, 3.0, 2.2)
    person = link_people(rng, group, share, per_person).astype(np.int64)
    # the same person twice on one crime in one role would be a duplicate row: make them new people
    key = (crime.astype(np.int64) * 3 + role) * (person.max() + 1) + person
    srt = np.argsort(key, kind="stable")
    dup = np.zeros(len(key), bool)
    dup[srt[1:]] = key[srt[1:]] == key[srt[:-1]]
    person[dup] = person.max() + 1 + np.arange(int(dup.sum()))
    person[role == NONE] = -1
    return person
