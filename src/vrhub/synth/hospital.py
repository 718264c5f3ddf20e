"""hospital_admissions.csv: HES-style admissions for assault (ICD-10 X85-Y09). No published figure: the
volumes are plausible (about 300 sharp-object admissions a year, bodily force the most common cause).

As in HES, the injury is the primary diagnosis (diag_01), the external cause follows it (diag_02), and some
admissions record a second mechanism: about 6% of those caused otherwise carry X99 (assault by a sharp
object) in a later position, so the Home Office's any-position count exceeds the cause column's."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from vrhub.synth import targets as T
from vrhub.synth._common import YEARS, labels, link_people, lsoa_weights, lsoas, pick_lsoa, refs, write_csv
from vrhub.synth._dists import sample_ages, sample_days

DIAGNOSIS_COLUMNS = 6  # of HES's 20: the synthetic admissions never need more
_SECOND_SHARP = 0.06  # share of admissions caused otherwise with X99 in a later diagnosis position
# Primary diagnoses (ICD-10 chapter XIX injuries) by cause: open wounds for blades and bullets, head and
# face injuries for bodily force and blunt objects, maltreatment syndromes for neglect.
_INJURIES = {
    "sharp": ("S21.1", "S31.1", "S41.1", "S51.8", "S01.8", "S11.8", "S71.1", "S61.9"),
    "force": ("S02.6", "S06.0", "S00.8", "S02.3", "S20.2", "S62.3", "S09.9", "T14.0"),
    "neglect": ("T74.1", "T74.0", "S09.9"),
}
_OTHER = ("F10.0", "Y90.8", "Z72.0", "S00.8", "R40.0")  # alcohol intoxication, blood alcohol, tobacco...
_YEAR_FACTOR = {2018: 0.75, 2019: 1.0, 2020: 0.86, 2021: 0.93}  # 2018 is April-December; 2020 lockdowns
CAUSES = tuple(T.HOSPITAL_CAUSES)


def nhs_numbers(rng: np.random.Generator, n: int) -> np.ndarray:
    """n distinct fake NHS numbers: the 999 test range, with a valid modulus-11 check digit."""
    body = 999_000_000 + rng.permutation(1_000_000)[: n * 2]  # 9 digits; about 1 in 11 has no check digit
    digits = (body[:, None] // 10 ** np.arange(8, -1, -1)) % 10
    check = 11 - (digits * np.arange(10, 1, -1)).sum(axis=1) % 11
    check = np.where(check == 11, 0, check)
    ok = check != 10
    return (body[ok] * 10 + check[ok])[:n]


def write_hospital_admissions(path: Path, seed: int) -> Path:
    rng = np.random.default_rng([seed, 3])
    weights = lsoa_weights(np.random.default_rng([seed, 0]), "residence")
    base = np.array(list(T.HOSPITAL_CAUSES.values()), dtype=float)
    parts_cause, parts_date, parts_year = [], [], []
    for y in YEARS:
        counts = rng.poisson(base * _YEAR_FACTOR[y])
        parts_cause.append(np.repeat(np.arange(len(CAUSES)), counts))
        parts_date.append(sample_days(rng, y, int(counts.sum()), "night_economy"))
        parts_year.append(np.full(int(counts.sum()), y))
    cause, date, year = (np.concatenate(x) for x in (parts_cause, parts_date, parts_year))
    order = np.lexsort((rng.random(len(date)), date))
    cause, date, year = cause[order], date[order], year[order]
    n = len(cause)

    child = cause == CAUSES.index("Y07")  # neglect and maltreatment: children
    age = sample_ages(rng, n, "patient", 16, 100)
    age[child] = sample_ages(rng, int(child.sum()), "patient", 0, 15)
    young = ~child & (rng.random(n) < 0.05)
    age[young] = sample_ages(rng, int(young.sum()), "patient", 0, 15)
    male_p = np.where(cause == CAUSES.index("Y05"), 0.15, np.where(child, 0.55, 0.77))
    male = rng.random(n) < male_p
    lsoa = pick_lsoa(rng, n, weights)

    # repeat patients: same sex and year of birth, the same home LSOA and NHS number
    person = link_people(rng, ((year - age - 1890) * 2 + male).astype(np.int64), 0.1, 2.2)
    first = np.full(person.max() + 1, n, np.int64)
    np.minimum.at(first, person, np.arange(n))
    lsoa = lsoa[first[person]]
    nhs = nhs_numbers(rng, int(person.max()) + 1)[person]

    fourth = rng.random(n)
    place = rng.integers(0, 10, n)
    code_idx = np.where(fourth < 0.2, 1, np.where(fourth < 0.25, 2, 0))
    # e.g. X99, X99.9 (place of occurrence) or X999
    causes = np.array(CAUSES)
    text = np.where(
        code_idx == 0,
        causes[cause],
        np.char.add(np.char.add(causes[cause], np.where(code_idx == 1, ".", "")), place.astype(str)),
    )
    refs_drawn = rng.choice(90_000_000, n, replace=False) + 10_000_000
    diagnoses = _diagnoses(np.random.default_rng([seed, 3, 1]), causes[cause], text)
    columns = {
        "admission_ref": refs("APC", refs_drawn, 8),
        "nhs_number": nhs.astype(str),
        "admission_date": date,
        "icd10_cause": text,
        "age": age,
        "sex": labels(np.where(male, 0, 1), ("M", "F")),
        "lsoa_code": labels(lsoa, lsoas()[0]),
        **diagnoses,
    }
    return write_csv(path, columns)


def _diagnoses(rng: np.random.Generator, cause: np.ndarray, written: np.ndarray) -> dict[str, np.ndarray]:
    """diag_01..: the injury, the cause as written in icd10_cause, then (for some) X99 as a second
    mechanism and other conditions; blank after the last. Codes come dotted or not, as extracts send them."""
    n = len(cause)
    kind = np.where(
        np.isin(cause, ["X99", "X93", "X94", "X95", "X85"]),
        "sharp",
        np.where(cause == "Y07", "neglect", "force"),
    )
    injury = np.empty(n, dtype=object)
    for name, codes in _INJURIES.items():
        mine = kind == name
        injury[mine] = np.array(codes)[rng.integers(0, len(codes), int(mine.sum()))]
    undotted = rng.random(n) < 0.2
    injury = np.where(undotted, np.char.replace(injury.astype(str), ".", ""), injury.astype(str))
    second = (cause != "X99") & (rng.random(n) < _SECOND_SHARP)
    sharp = np.array(["X99", "X99.9", "X990", "X99.4"])[rng.integers(0, 4, n)]
    width = DIAGNOSIS_COLUMNS - 2  # the positions after the injury and the cause
    others = np.array(_OTHER)[rng.permuted(np.tile(np.arange(len(_OTHER)), (n, 1)), axis=1)[:, :width]]
    filled = np.arange(width)[None, :] < rng.integers(0, width + 1, n)[:, None]
    after = np.where(filled, others, "")
    # X99 as a second mechanism takes the first place after the cause; the other conditions move along.
    after = np.where(second[:, None], np.concatenate([sharp[:, None], after[:, :-1]], axis=1), after)
    positions = [injury, written.astype(str), *after.T]
    return {f"diag_{i:02d}": codes for i, codes in enumerate(positions, start=1)}
