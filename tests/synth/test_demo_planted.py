"""The demo's people and planted effects (src/vrhub/synth/planted.py) are found by vrhub's own linkage,
cohort outcomes and place evaluation, on the demo as `vrhub demo` builds it (built once per test run)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import copy_demo

from vrhub.cohorts.outcomes import DEFAULT_SEED
from vrhub.evaluation.estimate import SYNTHETIC_CONTROL
from vrhub.hub import Hub
from vrhub.synth import TRUTH_FILE
from vrhub.synth.planted import DIVERSION, NAVIGATORS, PATROLS, PlantedIntervention


@pytest.fixture(scope="module")
def demo(_demo_run: Path, tmp_path_factory: pytest.TempPathFactory) -> Hub:
    return copy_demo(_demo_run, tmp_path_factory.mktemp("planted") / "data")


def _offending_hr(hub: Hub, planted: PlantedIntervention) -> tuple[float, float, float]:
    result = hub.cohort_outcomes(f"participants:{planted.name}", planted.follow_up, seed=DEFAULT_SEED)
    e = result.estimates
    row = e[(e["outcome"] == "offending") & e["follow_up_note"].isna()].iloc[-1]  # the data cover it
    return float(row["hazard_ratio"]), float(row["hr_ci_low"]), float(row["hr_ci_high"])


@pytest.mark.slow
def test_the_linkage_finds_the_demo_people(demo: Hub, _demo_run: Path) -> None:
    # Measured on seed 2022: precision 0.9998, recall 0.992 (9,177 records of 5,317 people).
    measured = demo.link_quality(truth=_demo_run / "demo-input" / TRUTH_FILE).measured
    assert measured["records_linked"] == measured["records_in_truth"] > 8000
    assert measured["precision"] >= 0.995
    assert measured["recall"] >= 0.97


@pytest.mark.slow
def test_the_planted_hazard_ratio_is_found(demo: Hub) -> None:
    # Measured: 0.59 (0.48 to 0.73) against the planted 0.6, over the 20 months the data cover.
    hr, low, high = _offending_hr(demo, NAVIGATORS)
    assert low <= NAVIGATORS.hazard_ratio <= high < 1


@pytest.mark.slow
def test_the_intervention_that_does_nothing_is_found_to_do_nothing(demo: Hub) -> None:
    # Measured: 0.96 (0.76 to 1.22), over the 9 months the data cover.
    assert DIVERSION.hazard_ratio == 1
    hr, low, high = _offending_hr(demo, DIVERSION)
    assert low <= 1 <= high


@pytest.mark.slow
def test_the_planted_fall_in_crime_is_found(demo: Hub) -> None:
    # Measured: synthetic control -21% (95% CI -57% to -15%) against the planted -30%.
    result = demo.evaluate_place(PATROLS.lsoas, PATROLS.start, measure=PATROLS.measure)
    row = result.estimate(SYNTHETIC_CONTROL).row()
    assert row["pct_low"] <= 100 * PATROLS.change <= row["pct_high"] < 0
