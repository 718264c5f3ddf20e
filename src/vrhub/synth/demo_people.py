"""The demo's people files and the records only its young people have: education events, intervention
participants, one people file per agency (with the errors `people.py` makes) and the truth behind them.

The truth (`people_truth.csv`: agency, record_ref, cluster) is the demo's answer key for the linkage: it is
kept beside the inputs and never loaded into the warehouse.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from vrhub.synth._common import lsoas, refs, write_csv
from vrhub.synth.people import AGENCIES, identities, write_agency_records, write_truth
from vrhub.synth.people_world import EDUCATION, EDUCATION_EVENTS, World

PEOPLE_FILES = {agency: file for agency, (file, _, _) in AGENCIES.items()}
TRUTH_FILE = "people_truth.csv"
_SEX = np.array(["M", "F"])
_AGAIN = 0.05  # an agency holds a person a second time (a re-registration) this often


def _pupil_refs(who: np.ndarray) -> np.ndarray:
    return np.asarray(refs("A", 800_000_000_000 + who, 12).to_numpy(zero_copy_only=False))


def _participant_refs(who: np.ndarray) -> np.ndarray:
    return np.char.add("YS", np.char.zfill((100_000 + who).astype(str), 6))


def write_education(path: Path, world: World) -> Path:
    """Pupil-level education events (education-records), one row per pupil, event and day."""
    events = np.flatnonzero(world.kind >= EDUCATION)
    who, kind, day = world.person[events], world.kind[events] - EDUCATION, world.day[events]
    _, first = np.unique((who * 10 + kind).astype(np.int64) * 1_000_000 + day.astype(np.int64), True)
    who, kind, day = who[first], kind[first], day[first]
    blank = np.full(who.size, "", dtype=object)
    return write_csv(
        path,
        {
            "pupil_ref": _pupil_refs(who),
            "event_type": np.array(EDUCATION_EVENTS)[kind],
            "start_date": day,
            "end_date": blank,
            "provider": blank,
            "lsoa_code": lsoas()[0][world.home[who]],
            "postcode_district": blank,
            "age": world.age_on(who, day),
            "sex": _SEX[world.sex[who]],
        },
    )


def write_participants(path: Path, world: World) -> Path:
    """Who took part in each planted intervention, from when (participants)."""
    names, who, start = [], [], []
    for name, (people, starts) in world.joined.items():
        names += [name] * people.size
        who.append(people)
        start.append(starts)
    person, day = np.concatenate(who), np.concatenate(start)
    return write_csv(
        path,
        {
            "participant_ref": _participant_refs(person),
            "intervention": np.array(names),
            "start_date": day,
            "end_date": day + np.timedelta64(182, "D"),
            "lsoa_code": lsoas()[0][world.home[person]],
            "age": world.age_on(person, day),
            "sex": _SEX[world.sex[person]],
        },
    )


def write_people(out: Path, world: World, seed: int) -> dict[str, Path]:
    """One people file per agency and the truth; returns {agency: path, "truth": path}."""
    rng = np.random.default_rng([seed, 15])
    people = identities(rng, _SEX[world.sex], world.born)
    police = np.array(sorted(world.police_ref), dtype=np.int64)
    pupils = np.unique(world.person[world.kind >= EDUCATION])
    joined = np.concatenate([who for who, _ in world.joined.values()])
    ed_who = np.array([p for p, _ in world.ed_refs], dtype=np.int64)
    ed_refs = np.array([f"ED{n:07d}" for _, n in world.ed_refs])
    held = {
        "police": (police, np.array([f"P{world.police_ref[p] + 1:07d}" for p in police.tolist()])),
        "emergency-department": (ed_who, ed_refs),
        "education": (pupils, _pupil_refs(pupils)),
        "youth-service": (joined, _participant_refs(joined)),
    }
    paths: dict[str, Path] = {}
    truth = []
    for agency, (who, source_refs) in held.items():
        again = rng.random(who.size) < _AGAIN
        order = rng.permutation(who.size + int(again.sum()))
        who, source_refs = (
            np.concatenate([who, who[again]])[order],
            np.concatenate([source_refs, source_refs[again]])[order],
        )
        record_refs = np.char.add(f"{agency[:3].upper()}-", np.arange(1, who.size + 1).astype(str))
        path = out / PEOPLE_FILES[agency]
        paths[agency] = write_agency_records(path, rng, people, who, agency, record_refs, source_refs)
        truth.append((agency, record_refs, who))
    paths["truth"] = write_truth(out / TRUTH_FILE, truth)
    return paths
