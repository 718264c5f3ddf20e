"""A synthetic population with a planted intervention effect, written as the CSV files vrhub ingests.

People carry a risk (0 to 3) that raises both their chance of joining the intervention and their rate of
offending: without matching, the participants look worse than they are. The risk is their borough's (one
LSOA in each of the five), and shows in the records as that many police contacts in December 2018, inside
the 12 months before every start (starts fall in 2019). Matching on borough (and contacts) removes the
confounding. Offending is a Poisson process in calendar time at rate base x (1 + risk), times `effect` from
a participant's start on: memoryless, so the first offence after any date, a comparison person's pseudo
start too, is exponential at the person's rate.

(Were the risk a person's own, contacts would be its only trace, and a noisy one, since offences before the
start are contacts too: matching within bands of contacts would leave some confounding, as it may in life.)
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np

FIRST = dt.date(2019, 1, 1)
LAST = dt.date(2021, 12, 31)
LSOAS = ("E01006412", "E01006512", "E01006802", "E01006920", "E01007110")  # the five boroughs
RISK = np.array([0, 1, 2, 3, 1])  # each borough's
POLICE = [
    *("crime_ref", "recorded_date", "committed_date", "offence_code", "knife_flag", "firearm_flag"),
    *("domestic_flag", "lsoa_code", "person_role", "person_ref", "age", "sex"),
]
EDUCATION = [
    *("pupil_ref", "event_type", "start_date", "end_date", "provider", "lsoa_code", "postcode_district"),
    *("age", "sex"),
]
PARTICIPANTS = ["participant_ref", "intervention", "start_date", "end_date", "lsoa_code", "age", "sex"]


@dataclass(frozen=True)
class Population:
    police: Path
    education: Path
    participants: Path
    links: list[tuple[str, str, str]]
    participants_count: int
    rate: np.ndarray  # each person's offending rate per day (person P<i> is row i), before any effect


def _write(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def population(folder: Path, n: int, effect: float, seed: int, base_per_year: float = 0.2) -> Population:
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    age0 = rng.integers(14, 24, n)  # age on 1 January 2019
    sex = rng.choice(["M", "F"], n)
    borough = rng.choice(len(LSOAS), n, p=[0.3, 0.25, 0.2, 0.1, 0.15])
    lsoa, risk = np.array(LSOAS)[borough], RISK[borough]
    joins = rng.random(n) < 0.08 + 0.12 * risk
    start = np.where(joins, rng.integers(0, 334, n), -1)  # days after 1 January 2019
    rate = base_per_year / 365.25 * (1 + risk)
    span = (LAST - FIRST).days

    police: list[list[object]] = []
    crime = 0

    def record(i: int, day: dt.date, role: str, code: str) -> None:
        nonlocal crime
        crime += 1
        age = int(age0[i] + (day - FIRST).days // 365.25)
        police.append(
            [f"C{crime:07d}", day, day, code, "N", "N", "N", lsoa[i], role, f"PERS-{i}", age, sex[i]]
        )

    for i in np.flatnonzero(risk):  # the prior contacts: victims of theft in December 2018
        for k in range(risk[i]):
            record(int(i), dt.date(2018, 12, 1 + 7 * k), "victim", "49")
    # Offending before a participant's start (or all along, for others) at the full rate, after it at
    # rate x effect: drawn as a count per stretch, then uniform days within it (a Poisson process).
    before = np.where(joins, start + 1, span + 1)
    after = np.where(joins, span - start, 0)
    counts_before = rng.poisson(rate * before)
    counts_after = rng.poisson(rate * effect * after)
    for i in np.flatnonzero(counts_before + counts_after):
        days = [*rng.integers(0, before[i], counts_before[i])]
        if counts_after[i]:
            days += [*(start[i] + 1 + rng.integers(0, after[i], counts_after[i]))]
        for d in days:
            record(int(i), FIRST + dt.timedelta(days=int(d)), "suspect", "58A")
    police.append(["C-END", LAST, LAST, "49", "N", "N", "N", LSOAS[0], "none", "", "", ""])  # the data's end

    education = [
        [f"UPN-{i}", "persistent_absence", dt.date(2017, 3, 1), "", "", lsoa[i], "", int(age0[i]) - 2, sex[i]]
        for i in range(n)
    ]
    participants = [
        [
            f"PART-{i}",
            "Navigators",
            FIRST + dt.timedelta(days=int(start[i])),
            "",
            lsoa[i],
            int(age0[i]),
            sex[i],
        ]
        for i in np.flatnonzero(joins)
    ]
    links = [("police-records", f"PERS-{i}", f"P{i}") for i in range(n)]
    links += [("education-records", f"UPN-{i}", f"P{i}") for i in range(n)]
    links += [("participants", f"PART-{i}", f"P{i}") for i in np.flatnonzero(joins)]
    return Population(
        _write(folder / "police.csv", POLICE, police),
        _write(folder / "education.csv", EDUCATION, education),
        _write(folder / "participants.csv", PARTICIPANTS, participants),
        links,
        int(joins.sum()),
        rate,
    )
