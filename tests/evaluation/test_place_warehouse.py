"""evaluate_place through the hub on police.uk rows loaded into a warehouse: the panel is every LSOA of the
area by every loaded month, counted in the warehouse, and a fall planted in three Knowsley LSOAs is found."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.evaluation.records import MONTHS, knowsley_lsoas
from vrhub.config import settings
from vrhub.errors import VrhubError
from vrhub.evaluation import PlaceResult
from vrhub.evaluation.panel import place_panel
from vrhub.geography import load_lsoa_boundaries
from vrhub.hub import Hub


@pytest.fixture
def loaded(
    planted_warehouse: tuple[Path, list[str]], monkeypatch: pytest.MonkeyPatch
) -> tuple[Hub, list[str]]:
    monkeypatch.delenv("VRHUB_WAREHOUSE", raising=False)
    folder, treated = planted_warehouse
    return Hub(settings(data_dir=folder)), treated


@pytest.mark.slow
def test_a_fall_planted_in_loaded_records_is_found_through_the_hub(loaded: tuple[Hub, list[str]]) -> None:
    hub, treated = loaded
    result = hub.evaluate_place(treated, "2021-01", crime_type="violence and sexual offences")
    assert isinstance(result, PlaceResult)
    meta = result.metadata
    assert meta["vintage"] == 2011 and meta["subject"] == "Violence and sexual offences"
    assert meta["treated"] == treated and meta["pre_period"] == ["2019-01", "2020-12", 24]
    assert meta["months_left_out"] == {} and "snapshot" in meta
    # Knowsley's other LSOAs recorded nothing, and the treated LSOAs' neighbours are never donors.
    assert meta["donors_left_out"]["too_few_events"] > 0 and meta["donors_left_out"]["other_boroughs"] > 0
    b = load_lsoa_boundaries(2011).set_index("lsoa_code")
    around = b.loc[treated].union_all()
    assert meta["placebo_size"] == 3 and meta["donors"] <= 37
    donors = meta["donor_lsoas"]
    assert len(donors) == meta["donors"] and set(result.weights["lsoa_code"]) <= set(donors)
    assert not any(b.loc[c, "geometry"].intersects(around) for c in donors)
    assert set(donors) <= {c for c, _ in knowsley_lsoas()[3:40]}
    sc = result.synthetic_control.row()
    assert sc["pct_low"] <= -40 <= sc["pct_high"] and sc["effect_high"] < 0
    assert len(result.monthly) == 36 and result.monthly["treated"].sum() > 0
    # The same count, as the police.uk proxy measure (violence and robbery: only violence was loaded).
    proxy = hub.evaluate_place(treated, "2021-01", measure="police_uk_sv_proxy")
    assert proxy.synthetic_control.total == pytest.approx(result.synthetic_control.total)
    assert proxy.metadata["definition_version"]


def test_the_panel_is_every_lsoa_of_the_area_by_every_loaded_month(loaded: tuple[Hub, list[str]]) -> None:
    hub, treated = loaded
    with hub.open(read_only=True) as wh:
        panel = place_panel(wh)
    assert panel.months == MONTHS
    assert len(panel.counts) == len(load_lsoa_boundaries(2011))  # zeros where nothing was recorded
    assert int(panel.counts.to_numpy().sum()) == panel.meta["rows_counted"]
    with pytest.raises(VrhubError, match="only 5 whole months before 2019-06"):
        hub.evaluate_place(treated, "2019-06")
    with pytest.raises(VrhubError, match="'E01999999' is not one of the area's 2011 LSOAs"):
        hub.evaluate_place(["E01999999"], "2021-01")
