"""The effects planted in the demo's synthetic world: the answers its evaluations should find.

One place holds them: the generator plants these values, `Hub.demo` evaluates these interventions, and the
tests read them here (never re-typed). docs/evaluation.md ("The demo's planted effects") tells the story.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PlantedIntervention:
    """A people intervention: who may join, when, and what it does to the hazard of offending."""

    name: str  # as the participants file and the delivery demo's register name it
    hazard_ratio: float  # on offending as a suspect, from the day after a participant's start
    first_start: str  # participants start between these days (YYYY-MM-DD)
    last_start: str
    boroughs: tuple[str, ...]  # LAD codes it runs in (empty: every borough)
    participants: int  # about this many join
    follow_up: tuple[int, ...] = (6, 12, 24)  # months the demo reports


@dataclass(frozen=True)
class PlantedPlace:
    """A place-based intervention: a share of the crimes committed in its LSOAs from its start month is
    displaced into their neighbours (so every force, borough and year total stays as published)."""

    name: str
    lsoas: tuple[str, ...]
    start: str  # YYYY-MM: the first month with the fall
    change: float  # the fall in the treated LSOAs' monthly crimes, as a proportion (-0.3 is 30% fewer)
    measure: str  # the catalogue measure the demo evaluates it on


# Named as the delivery demo's register names them (src/vrhub/web/delivery/demo.py), with its start dates.
NAVIGATORS = PlantedIntervention(
    name="A&E navigators",
    hazard_ratio=0.6,
    first_start="2020-04-01",
    last_start="2021-03-31",
    boroughs=("E08000012", "E08000015"),  # Liverpool and Wirral, as the register says
    participants=600,
)
DIVERSION = PlantedIntervention(
    name="Custody navigators and pre-court diversion",
    hazard_ratio=1.0,
    first_start="2021-04-01",
    last_start="2021-09-30",
    boroughs=(),
    participants=700,
)
INTERVENTIONS = (NAVIGATORS, DIVERSION)

# Five of Knowsley's busiest LSOAs (with the demo's seed, 2022), none in the city centre whose LSOAs are
# the force's busiest.
PATROLS = PlantedPlace(
    name="Hot spot patrols in Knowsley",
    lsoas=("E01006412", "E01006414", "E01006450", "E01006456", "E01006510"),
    start="2020-01",
    change=-0.3,
    measure="local_sv_offences",
)
