"""What one load brought in (its current records, its quarantined problems) comes a slice at a time in a
fixed order with the count of all; the boroughs come from the area lookup."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pytest

from vrhub.errors import BadValue
from vrhub.hub import Hub
from vrhub.warehouse.tables import SCHEMAS

HEADER = "incident_ref,incident_date,incident_type,lsoa_code\n"
# Line 3: a date that is not one; line 5: no date and an unknown type (two problems, one row).
FIRST = (
    HEADER
    + "F-1,2019-03-02,deliberate_primary,E01006412\n"
    + "F-2,2019-3-2x,deliberate_primary,E01006412\n"
    + "F-3,2019-03-03,deliberate_primary,E01006412\n"
    + "F-4,,chip_pan,E01006412\n"
    + "F-5,2019-03-05,deliberate_primary,E01006412\n"
)
# Corrects F-1 (a later date) and adds F-6.
SECOND = HEADER + "F-1,2019-03-09,deliberate_primary,E01006412\nF-6,2019-03-06,deliberate_primary,E01006412\n"


@pytest.fixture
def loads(hub: Hub, tmp_path: Path) -> tuple[int, int]:
    ids = []
    for name, text in (("first.csv", FIRST), ("second.csv", SECOND)):
        (tmp_path / name).write_text(text)
        [summary] = hub.ingest("fire", [tmp_path / name])
        ids.append(summary.load_id)
    return ids[0], ids[1]


@pytest.mark.slow
def test_a_loads_current_records_come_a_slice_at_a_time(hub: Hub, loads: tuple[int, int]) -> None:
    first, second = loads
    whole = hub.records_of_load("fire_incidents", first)
    # F-1, F-3 and F-5 loaded; the second load's correction of F-1 superseded its row.
    assert whole.total == 2
    assert sorted(whole.rows["incident_date"].to_pylist()) == [dt.date(2019, 3, 3), dt.date(2019, 3, 5)]
    assert whole.rows.column_names == list(SCHEMAS["fire_incidents"].names)
    assert set(whole.rows["load_id"].to_pylist()) == {first}
    # Consecutive slices, in row-key order, neither repeat nor skip a row.
    slices = [hub.records_of_load("fire_incidents", first, 1, offset) for offset in (0, 1, 2)]
    assert [s.total for s in slices] == [2, 2, 2]
    assert [s.rows.num_rows for s in slices] == [1, 1, 0]
    keys = [k for s in slices for k in s.rows["row_key"].to_pylist()]
    assert keys == sorted(whole.rows["row_key"].to_pylist())
    assert hub.records_of_load("fire_incidents", second).total == 2


def test_a_loads_problems_come_by_row_and_field(hub: Hub, loads: tuple[int, int]) -> None:
    first, second = loads
    problems = hub.problems_of_load(first)
    assert problems.total == 3
    assert problems.rows.column_names == ["row_number", "field", "reason", "value"]
    assert [(r["row_number"], r["field"], r["value"]) for r in problems.rows.to_pylist()] == [
        (3, "incident_date", "2019-3-2x"),
        (5, "incident_date", None),
        (5, "incident_type", "chip_pan"),
    ]
    page = hub.problems_of_load(first, limit=2, offset=1, raw_rows=True)
    assert (page.total, page.rows["field"].to_pylist()) == (3, ["incident_date", "incident_type"])
    assert all('"incident_type":"chip_pan"' in raw for raw in page.rows["raw_row"].to_pylist())
    assert hub.problems_of_load(second).total == 0


def test_only_a_record_table_is_read(hub: Hub) -> None:
    with pytest.raises(BadValue, match="'loads' is not a record table") as caught:
        hub.records_of_load("loads", 1)
    assert caught.value.parameter == "table"


def test_the_boroughs_are_the_lookups_one_name_per_code(hub: Hub) -> None:
    lookup = SCHEMAS["lsoa_lookup"].to_pyarrow()
    extra = [
        (2021, "E01000001", "Cheshire 1", "E06000050", "Cheshire West and Chester", "E23000006", "Cheshire"),
        # A later name for Knowsley: the code keeps its first name alphabetically.
        (2021, "E01000002", "Knowsley 2", "E08000011", "Knowsley (renamed)", "E23000004", "Merseyside"),
        (2021, "E01000003", "Nowhere 3", None, None, "E23000004", "Merseyside"),
    ]
    with hub.open() as wh:
        wh.insert(
            "lsoa_lookup",
            pa.Table.from_pylist([dict(zip(lookup.names, r, strict=True)) for r in extra], lookup),
        )
    assert hub.boroughs().to_pylist() == [
        {"lad_code": "E06000050", "lad_name": "Cheshire West and Chester"},
        {"lad_code": "E08000011", "lad_name": "Knowsley"},
        {"lad_code": "E08000012", "lad_name": "Liverpool"},
        {"lad_code": "E08000013", "lad_name": "St. Helens"},
        {"lad_code": "E08000014", "lad_name": "Sefton"},
        {"lad_code": "E08000015", "lad_name": "Wirral"},
    ]
