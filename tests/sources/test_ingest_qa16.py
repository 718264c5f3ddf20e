"""QA stop 16's ingest defects, each pinned by the behaviour the docs promise: fractional ages quarantined
(never rounded), full postcodes and NHS numbers kept in the quarantine only as the loaded data keeps them,
implausible dates quarantined, quarantined rows resolved by a later load of the file."""

from __future__ import annotations

from pathlib import Path

from tests.sources.helpers import ingest, quarantined, rows
from vrhub.hub import Hub

AMBULANCE = "incident_ref,call_datetime,category,age,sex,lsoa_code\n"


def test_a_fractional_age_is_quarantined_not_rounded(hub: Hub, tmp_path: Path) -> None:
    path = tmp_path / "amb_round.csv"
    path.write_text(
        AMBULANCE
        + "AR1,2021-07-02 10:00,assault,24.9,F,E01006412\n"
        + "AR2,2021-07-02 10:00,assault,17.5,M,E01006412\n"
        + "AR3,2021-07-02 10:00,assault,1e1,M,E01006412\n"
        + "AR4,2021-07-02 10:00,assault,24,M,E01006412\n"
        + "AR5,2021-07-02 10:00,assault,30.0,M,E01006412\n"
    )
    summary = ingest(hub, "ambulance", path)
    assert (summary.rows_loaded, summary.rows_quarantined) == (2, 3)
    assert sorted(r["age"] for r in rows(hub, "SELECT age FROM ambulance_callouts")) == [24, 30]
    assert [(row, field) for row, field, _ in quarantined(hub, path.name)] == [(2, "age"), (3, "age"), (4, "age")]
    assert all("not a whole number" in reason for _, _, reason in quarantined(hub, path.name))
