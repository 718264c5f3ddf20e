"""Source adapters: one spec per kind of input file, all read through the same staging pipeline."""

from __future__ import annotations

from vrhub.errors import UnknownSource
from vrhub.sources import (
    ambulance,
    ed_attendances,
    education_records,
    fire,
    hospital_admissions,
    indicators,
    participants,
    people,
    police_records,
    police_uk,
)
from vrhub.sources.spec import SourceSpec

SOURCES: dict[str, SourceSpec] = {
    module.SPEC.name: module.SPEC
    for module in (
        police_records,
        police_uk,
        ed_attendances,
        hospital_admissions,
        ambulance,
        fire,
        indicators,
        education_records,
        participants,
    )
}
REFERENCE_SOURCES = ("areas", "population")
# Sources whose rows hold people's clear identifiers: loaded by the linkage (`vrhub.linkage`) into its vault,
# never into a warehouse table, so they stand apart from the record sources above.
PERSON_SOURCES: dict[str, SourceSpec] = {people.SPEC.name: people.SPEC}


def get_source(name: str) -> SourceSpec:
    if name not in SOURCES:
        known = ", ".join([*SOURCES, *REFERENCE_SOURCES])
        raise UnknownSource(f"unknown source '{name}'", f"Choose one of: {known}.")
    return SOURCES[name]
