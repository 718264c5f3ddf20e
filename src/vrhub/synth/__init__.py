"""Deterministic synthetic demo data for Merseyside, April 2018 to December 2021.

`generate_demo` writes one record-level CSV per source, in the formats of docs/data-formats.md, whose counts
reproduce every published figure of the Merseyside VRP strategy (src/vrhub/data/strategy_figures.csv).
`generate_police_records_bulk` writes any number of police-records rows quickly, for benchmarks.
"""

from __future__ import annotations

from pathlib import Path

from vrhub.synth.demo_people import (
    PEOPLE_FILES,
    TRUTH_FILE,
    write_education,
    write_participants,
    write_people,
)
from vrhub.synth.ed import write_ed_attendances
from vrhub.synth.hospital import write_hospital_admissions
from vrhub.synth.people_world import build_world
from vrhub.synth.police import generate_police_records_bulk, write_police_records
from vrhub.synth.services import write_ambulance, write_fire, write_indicators

__all__ = ["generate_demo", "generate_police_records_bulk", "DEMO_FILES", "DEMO_PEOPLE", "TRUTH_FILE"]

# source name -> file name
DEMO_FILES = {
    "police-records": "police_records.csv",
    "ed-attendances": "ed_attendances.csv",
    "hospital-admissions": "hospital_admissions.csv",
    "ambulance": "ambulance.csv",
    "fire": "fire.csv",
    "indicators": "indicators.csv",
    "education-records": "education_records.csv",
    "participants": "participants.csv",
}
# agency -> its people file (for the linkage vault, not the warehouse); TRUTH_FILE is who is who
DEMO_PEOPLE = PEOPLE_FILES


def generate_demo(out_dir: Path, seed: int = 2022) -> dict[str, Path]:
    """Write the demo CSV files into out_dir (created if needed); the same seed gives byte-identical files.

    Also writes one people file per agency (DEMO_PEOPLE) and the linkage's answer key (TRUTH_FILE) for the
    demo's young people, who are on some of the police and ED rows and all of the education and
    participants rows. Returns {source name: path}."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {name: out / file for name, file in DEMO_FILES.items()}
    world = build_world(seed)
    write_police_records(paths["police-records"], seed, world)
    write_ed_attendances(paths["ed-attendances"], seed, world)
    write_hospital_admissions(paths["hospital-admissions"], seed)
    write_ambulance(paths["ambulance"], seed)
    write_fire(paths["fire"], seed)
    write_indicators(paths["indicators"])
    write_education(paths["education-records"], world)
    write_participants(paths["participants"], world)
    write_people(out, world, seed)
    return paths
