"""Simulations with a known answer (`synthetic.py`): an intervention that halves the hazard of offending,
and one that does nothing, each among participants chosen for their risk. Matching on contacts in the 12
months before the start (where the risk shows) must remove that confounding, and the estimates' CIs cover
the planted effects."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.cohorts.links import write_links
from tests.cohorts.synthetic import population
from tests.sources.helpers import ingest
from vrhub.cohorts.outcomes import CohortOutcomes
from vrhub.cohorts.survival import horizon_days
from vrhub.hub import Hub

PEOPLE = 6000


def _run(hub: Hub, folder: Path, effect: float, seed: int) -> tuple[CohortOutcomes, np.ndarray]:
    pop = population(folder, PEOPLE, effect, seed)
    ingest(hub, "police-records", pop.police)
    ingest(hub, "education-records", pop.education)
    ingest(hub, "participants", pop.participants)
    write_links(hub, pop.links)
    return hub.cohort_outcomes("participants:Navigators", "6,12", person_level=True), pop.rate


def _offending(result: CohortOutcomes) -> dict[int, dict]:  # type: ignore[type-arg]
    e = result.estimates
    return {int(r["follow_up_months"]): r for r in e[e["outcome"] == "offending"].to_dict("records")}


def _true_risk_difference(result: CohortOutcomes, rate: np.ndarray, effect: float, months: int) -> float:
    """The planted 12-month difference over the matched members: each member's chance of offending by then
    under the effect, less their chance without it (their risk is their match's: matching made it so)."""
    people = result.people
    members = people[(people["group"] == "cohort") & (people["outcome"] == "offending")]
    lam = rate[members["person_id"].str[1:].astype(int).to_numpy()]
    h = horizon_days(months)
    return float(np.mean(np.exp(-lam * h) - np.exp(-lam * effect * h)))


@pytest.mark.slow
def test_a_halved_hazard_is_found(hub: Hub, tmp_path: Path) -> None:
    result, rate = _run(hub, tmp_path, effect=0.5, seed=11)
    by_month = _offending(result)
    hr = by_month[12]
    assert hr["hr_ci_low"] <= 0.5 <= hr["hr_ci_high"] and hr["hr_ci_high"] < 1
    for months, row in by_month.items():
        truth = _true_risk_difference(result, rate, 0.5, months)
        assert row["rd_ci_low"] <= truth <= row["rd_ci_high"] < 0, (months, truth, row)
    # Participants were chosen for their risk: far apart on prior contacts before matching, alike after.
    contacts = result.balance.set_index(["covariate", "level"]).loc[("contacts_12m", "mean")]
    assert contacts["smd_before"] > 0.5 and abs(contacts["smd_after"]) < 0.1
    assert result.summary["matched"] > 0.9 * result.summary["members"]


@pytest.mark.slow
def test_an_intervention_that_does_nothing_is_found_to_do_nothing(hub: Hub, tmp_path: Path) -> None:
    result, _ = _run(hub, tmp_path, effect=1.0, seed=12)
    by_month = _offending(result)
    assert by_month[12]["hr_ci_low"] <= 1 <= by_month[12]["hr_ci_high"]
    for row in by_month.values():
        assert row["rd_ci_low"] <= 0 <= row["rd_ci_high"]
