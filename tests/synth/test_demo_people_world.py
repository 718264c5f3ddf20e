"""The generator of the demo's people and planted effects, on small hand-checked cases and on the demo
files (generated once per test run)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from vrhub.synth import DEMO_PEOPLE, TRUTH_FILE
from vrhub.synth._common import lsoas
from vrhub.synth.assign import nearest_rows
from vrhub.synth.place_effect import _receivers, displace
from vrhub.synth.planted import INTERVENTIONS, PATROLS


def _days(*values: str) -> np.ndarray:
    return np.array(values, dtype="datetime64[D]")


def test_events_take_the_nearest_free_row_of_their_group() -> None:
    row_group = np.array([0, 0, 0, 1, 1])
    row_day = _days("2020-01-01", "2020-01-05", "2020-01-10", "2020-01-01", "2020-02-01")
    event_group = np.array([0, 0, 1, 1, 0])
    event_day = _days("2020-01-04", "2020-01-04", "2020-01-20", "2020-03-01", "2020-01-02")
    # Group 0: 2 Jan takes 1 Jan; the first 4 Jan takes 5 Jan (nearer than 1 Jan), the second the next
    # free row, 10 Jan. Group 1: 20 Jan takes 1 Feb (12 days against 19); 1 Mar finds no later row free.
    assert nearest_rows(event_group, event_day, row_group, row_day).tolist() == [1, 2, 4, -1, 0]


def test_the_planted_share_of_each_treated_lsoa_month_moves_to_its_neighbours() -> None:
    codes = lsoas()[0]
    treated = int(np.flatnonzero(codes == PATROLS.lsoas[0])[0])
    elsewhere = int(np.flatnonzero(codes == "E01006512")[0])
    # 10 crimes there in the month before the start, 10 in the start month, 7 the month after, 5 elsewhere.
    committed = _days(*["2019-12-15"] * 10, *["2020-01-10"] * 10, *["2020-02-03"] * 7, *["2020-01-10"] * 5)
    lsoa = np.array([treated] * 27 + [elsewhere] * 5)
    crimes = {"committed": committed, "lsoa": lsoa.copy(), "no_lsoa": np.zeros(32, bool)}
    moved = displace(crimes, np.random.default_rng(1))
    assert moved == 3 + 2  # round(0.3 x 10), round(0.3 x 7)
    assert (crimes["lsoa"][:10] == treated).all() and (crimes["lsoa"][27:] == elsewhere).all()
    assert (crimes["lsoa"][10:20] != treated).sum() == 3 and (crimes["lsoa"][20:27] != treated).sum() == 2
    went = crimes["lsoa"][10:27][crimes["lsoa"][10:27] != treated]
    assert set(went.tolist()) <= set(_receivers(PATROLS.lsoas)[treated].tolist())


@pytest.mark.slow
def test_the_demo_people_files_point_at_the_demo_records(_demo_files: dict[str, Path]) -> None:
    folder = _demo_files["police-records"].parent
    truth = list(csv.DictReader((folder / TRUTH_FILE).open()))
    with _demo_files["participants"].open() as f:
        names = {row["intervention"] for row in csv.DictReader(f)}
    assert names == {p.name for p in INTERVENTIONS}
    refs = {}
    for agency, file in DEMO_PEOPLE.items():
        with (folder / file).open() as f:
            refs[agency] = {row["source_ref"] for row in csv.DictReader(f)}
    assert sum(len(list(csv.DictReader((folder / f).open()))) for f in DEMO_PEOPLE.values()) == len(truth)
    with _demo_files["police-records"].open() as f:
        police = {row["person_ref"] for row in csv.DictReader(f)}
    with _demo_files["ed-attendances"].open() as f:
        attendances = {row["attendance_ref"] for row in csv.DictReader(f)}
    assert refs["police"] <= police and refs["emergency-department"] <= attendances
    assert len({row["cluster"] for row in truth}) > 4000
