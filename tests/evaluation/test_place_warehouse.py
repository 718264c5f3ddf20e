"""evaluate_place through the hub on police.uk rows loaded into a warehouse: the panel is every LSOA of the
area by every loaded month, counted in the warehouse, and a fall planted in three Knowsley LSOAs is found."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from vrhub.errors import VrhubError
from vrhub.evaluation import PlaceResult
from vrhub.evaluation.panel import place_panel
from vrhub.geography import load_lsoa_boundaries
from vrhub.hub import Hub

HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context"
)
KNOWSLEY = "E08000011"
MONTHS = [f"{y}-{m:02d}" for y in (2019, 2020, 2021) for m in range(1, 13)]


def knowsley_lsoas() -> list[tuple[str, str]]:
    """Knowsley LSOAs whose code is the same in 2011 and 2021 (so the panel is on 2011 boundaries)."""
    b11, b21 = load_lsoa_boundaries(2011), load_lsoa_boundaries(2021)
    both = b11[(b11["lad_code"] == KNOWSLEY) & b11["lsoa_code"].isin(b21["lsoa_code"])]
    return list(both.sort_values("lsoa_code")[["lsoa_code", "lsoa_name"]].itertuples(index=False, name=None))


@pytest.fixture
def loaded(hub: Hub, tmp_path: Path) -> tuple[Hub, list[str]]:
    """Violence in 40 Knowsley LSOAs, 2019-2021, about 8 a month each; from 2021-01 the first three have
    40% fewer. Every other Knowsley LSOA has none (so too few events to be a donor)."""
    rng = np.random.default_rng(14)
    areas = knowsley_lsoas()[:40]
    treated = [code for code, _ in areas[:3]]
    lines, n = [HEADER], 0
    for code, name in areas:
        level = rng.uniform(6, 10)
        for month in MONTHS:
            lam = level * (0.6 if code in treated and month >= "2021-01" else 1.0)
            for _ in range(rng.poisson(lam)):
                n += 1
                lines.append(
                    f"{n:064x},{month},Merseyside Police,Merseyside Police,-2.85,53.43,On or near X,{code},"
                    f"{name},Violence and sexual offences,Under investigation,"
                )
    path = tmp_path / "2019-2021-merseyside-street.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    list(hub.ingest("police-uk", [path]))
    return hub, treated


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
