"""Small, deterministic source files for the quality tests, in the formats of docs/data-formats.md.

Each writer makes a steady monthly series (2019-01 to 2020-12 by default) whose shares and counts move only
by chance; keyword arguments plant one defect in chosen months.
"""

from __future__ import annotations

import csv
import datetime as dt
from importlib import resources
from pathlib import Path

import numpy as np

MONTHS = [f"{y}-{m:02d}" for y in (2019, 2020) for m in range(1, 13)]
LSOAS = [
    row["lsoa_code"]
    for row in csv.DictReader((resources.files("vrhub") / "data" / "merseyside_lsoa_to_lad.csv").open())
    if row["lsoa_vintage"] == "2011"
][:60]
OUTSIDE = "E01005001"  # a Manchester LSOA: a valid code outside the Merseyside lookup

ED_METHODS = {
    "fists": 0.3,
    "feet": 0.15,
    "body_parts": 0.2,
    "knife": 0.05,
    "other_sharp": 0.04,
    "blunt_object": 0.08,
    "glass_bottle": 0.05,
    "firearm": 0.01,
    "other": 0.02,
}  # shares of the specified; not_specified apart
LOCATIONS = {
    "street": 0.4,
    "licensed_premises": 0.15,
    "home": 0.25,
    "public_transport": 0.03,
    "school": 0.02,
    "workplace": 0.05,
    "other": 0.1,
}


def _write(path: Path, rows: list[dict]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _when(rng: np.random.Generator, month: str) -> dt.datetime:
    year, mon = map(int, month.split("-"))
    return dt.datetime(
        year, mon, int(rng.integers(1, 29)), int(rng.integers(0, 24)), int(rng.integers(0, 60))
    )


def _pick(rng: np.random.Generator, shares: dict[str, float]) -> str:
    p = np.array(list(shares.values()))
    return str(rng.choice(list(shares), p=p / p.sum()))


def _lsoa(rng: np.random.Generator, outside: float) -> str:
    return OUTSIDE if rng.random() < outside else str(rng.choice(LSOAS))


def ed_file(
    path: Path,
    *,
    per_month: int = 80,
    counts: dict[str, int] | None = None,
    months: list[str] = MONTHS,
    not_specified: dict[str, float] | None = None,
    age_blank: dict[str, float] | None = None,
    outside: dict[str, float] | None = None,
    arrival_before: dict[str, int] | None = None,
    seed: int = 1,
) -> Path:
    rng = np.random.default_rng(seed)
    rows = []
    for month in months:
        for i in range((counts or {}).get(month, per_month)):
            assault = _when(rng, month)
            early = i < (arrival_before or {}).get(month, 0)
            arrival = assault + dt.timedelta(minutes=int(rng.integers(20, 240))) * (-1 if early else 1)
            method = (
                "not_specified"
                if rng.random() < (not_specified or {}).get(month, 0.1)
                else _pick(rng, ED_METHODS)
            )
            away = (outside or {}).get(month, 0.0)
            rows.append(
                {
                    "attendance_ref": f"ED-{month}-{i}",
                    "site_code": str(rng.choice(["RBN01", "RQ601", "REM21"])),
                    "arrival_datetime": f"{arrival:%Y-%m-%d %H:%M}",
                    "assault_datetime": f"{assault:%Y-%m-%d %H:%M}",
                    "assault_method": method,
                    "location_type": _pick(rng, LOCATIONS),
                    "age": ""
                    if rng.random() < (age_blank or {}).get(month, 0.0)
                    else int(rng.integers(12, 70)),
                    "sex": str(rng.choice(["M", "F"], p=[0.7, 0.3])),
                    "incident_lsoa": _lsoa(rng, away),
                    "home_lsoa": _lsoa(rng, away),
                    "admitted": "N",
                }
            )
    return _write(path, rows)


def police_file(
    path: Path,
    *,
    per_month: int = 60,
    seed: int = 2,
    recorded_early: dict[str, int] | None = None,
    extra_rows: list[dict] | None = None,
) -> Path:
    rng = np.random.default_rng(seed)
    codes = {"8N": 0.4, "105A": 0.3, "8L": 0.1, "34B": 0.1, "10D": 0.1}
    rows = []
    for month in MONTHS:
        for i in range(per_month):
            committed = _when(rng, month).date()
            lag = -2 if i < (recorded_early or {}).get(month, 0) else int(rng.integers(0, 5))
            crime = {
                "crime_ref": f"MP/{month}/{i}",
                "recorded_date": f"{committed + dt.timedelta(days=lag)}",
                "committed_date": f"{committed}",
                "offence_code": _pick(rng, codes),
                "knife_flag": "N",
                "firearm_flag": "N",
                "domestic_flag": "Y" if rng.random() < 0.3 else "N",
                "lsoa_code": _lsoa(rng, 0),
            }
            rows.append(
                {
                    **crime,
                    "person_role": "victim",
                    "person_ref": f"P-{month}-{i}",
                    "age": int(rng.integers(10, 80)),
                    "sex": str(rng.choice(["M", "F"])),
                }
            )
            if rng.random() < 0.5:
                rows.append(
                    {
                        **crime,
                        "person_role": "suspect",
                        "person_ref": f"S-{month}-{i}",
                        "age": int(rng.integers(14, 60)),
                        "sex": "M",
                    }
                )
    return _write(path, rows + (extra_rows or []))


def ambulance_file(path: Path, *, per_month: int = 70, seed: int = 3) -> Path:
    rng = np.random.default_rng(seed)
    shares = {
        "assault": 0.7,
        "stabbing": 0.1,
        "shooting": 0.02,
        "sexual_assault": 0.05,
        "other_violence": 0.13,
    }
    return _write(
        path,
        [
            {
                "incident_ref": f"AMB-{m}-{i}",
                "call_datetime": f"{_when(rng, m):%Y-%m-%d %H:%M}",
                "category": _pick(rng, shares),
                "age": int(rng.integers(5, 90)),
                "sex": str(rng.choice(["M", "F"])),
                "lsoa_code": _lsoa(rng, 0),
            }
            for m in MONTHS
            for i in range(per_month)
        ],
    )


def fire_file(path: Path, *, per_month: int = 70, seed: int = 4) -> Path:
    rng = np.random.default_rng(seed)
    shares = {
        "deliberate_primary": 0.25,
        "deliberate_secondary": 0.65,
        "arson_endangering_life": 0.05,
        "violence_related": 0.05,
    }
    return _write(
        path,
        [
            {
                "incident_ref": f"F-{m}-{i}",
                "incident_date": f"{_when(rng, m):%d/%m/%Y}",
                "incident_type": _pick(rng, shares),
                "lsoa_code": _lsoa(rng, 0),
            }
            for m in MONTHS
            for i in range(per_month)
        ],
    )


def _nhs_number(n: int) -> str:
    """A distinct NHS number in the 999 test range with its Modulus 11 check digit (ingest rejects others);
    a body whose check would be 10 has none, so it takes the next body."""
    body = 999_000_000 + n * 2
    while True:
        digits = [int(d) for d in str(body)]
        check = (11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11) % 11
        if check != 10:
            return f"{body}{check}"
        body += 1


def hospital_file(path: Path, *, per_month: int = 60, seed: int = 5) -> Path:
    rng = np.random.default_rng(seed)
    causes = {"X99": 0.2, "X95": 0.02, "Y04": 0.6, "X85": 0.18}
    return _write(
        path,
        [
            {
                "admission_ref": f"H-{m}-{i}",
                "nhs_number": _nhs_number(i + 1000 * MONTHS.index(m)),
                "admission_date": f"{_when(rng, m):%Y-%m-%d}",
                "icd10_cause": _pick(rng, causes),
                "age": int(rng.integers(16, 80)),
                "sex": str(rng.choice(["M", "F"])),
                "lsoa_code": _lsoa(rng, 0),
            }
            for m in MONTHS
            for i in range(per_month)
        ],
    )


def police_uk_file(path: Path, *, per_month: int = 80, seed: int = 6) -> Path:
    rng = np.random.default_rng(seed)
    types = {
        "Anti-social behaviour": 0.3,
        "Violence and sexual offences": 0.3,
        "Burglary": 0.1,
        "Shoplifting": 0.1,
        "Vehicle crime": 0.1,
        "Public order": 0.1,
    }
    rows = []
    for m in MONTHS:
        for i in range(per_month):
            kind = _pick(rng, types)
            rows.append(
                {
                    "Crime ID": "" if kind == "Anti-social behaviour" else f"{m}-{i:04d}-{seed}",
                    "Month": m,
                    "Reported by": "Merseyside Police",
                    "Falls within": "Merseyside Police",
                    "Longitude": "-2.9",
                    "Latitude": "53.4",
                    "Location": "On or near High Street",
                    "LSOA code": _lsoa(rng, 0),
                    "LSOA name": "",
                    "Crime type": kind,
                    "Last outcome category": "" if kind == "Anti-social behaviour" else "Under investigation",
                    "Context": "",
                }
            )
    return _write(path, rows)


CLEAN = {
    "ed-attendances": ed_file,
    "police-records": police_file,
    "ambulance": ambulance_file,
    "fire": fire_file,
    "hospital-admissions": hospital_file,
    "police-uk": police_uk_file,
}
