"""A police.uk crime with a blank Crime ID is quarantined with its reason; anti-social behaviour is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import copy_warehouse
from vrhub.config import settings
from vrhub.hub import Hub

pytestmark = pytest.mark.slow  # each test loads files through the whole ingest (0.5 s or more)

HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
    "Last outcome category,Context"
)
PLACE = (
    "Merseyside Police,Merseyside Police,-2.873875,53.485290,On or near Harleston Road,E01006448,"
    "Knowsley 001A"
)


def test_a_crime_without_its_id_is_quarantined(tmp_path: Path, _initialised_warehouse: Path) -> None:
    folder = copy_warehouse(_initialised_warehouse, tmp_path / "data")
    path = tmp_path / "2019-09-street.csv"
    path.write_text(
        "\n".join(
            [
                HEADER,
                f",2019-09,{PLACE},Anti-social behaviour,,",  # row 2: no id, as police.uk publishes it
                f",2019-09,{PLACE},Robbery,Under investigation,",  # row 3: a crime with no id
                f"{'c' * 64},2019-09,{PLACE},Robbery,Under investigation,",  # row 4
            ]
        )
        + "\n"
    )
    hub = Hub(settings(data_dir=folder))
    [summary] = list(hub.ingest("police-uk", [path]))
    assert (summary.rows_read, summary.rows_loaded, summary.rows_quarantined) == (3, 2, 1)
    [row] = hub.quarantine().to_pylist()
    assert (row["row_number"], row["field"]) == (3, "Crime ID")
    assert row["reason"].startswith("blank on a crime that is not anti-social behaviour")
    with hub.open(read_only=True) as wh:
        loaded = wh.to_arrow(wh.table("police_uk_crimes").select("crime_type", "crime_id")).to_pylist()
    assert sorted((r["crime_type"], r["crime_id"] is None) for r in loaded) == [
        ("Anti-social behaviour", True),
        ("Robbery", False),
    ]
