"""A source's first load writes its rows straight into the table it then becomes (ingest._stage_stored):
it must store, quarantine and skip exactly what a load into a table that already holds rows does, and
leave the warehouse as it was when it fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import copy_warehouse
from tests.sources.helpers import ingest, quarantine_write_fails, quarantined, rows, snapshot
from tests.sources.test_duplicates import RECORDS, SUSPECT, VICTIM, write
from vrhub.config import settings
from vrhub.hub import Hub
from vrhub.warehouse.tables import SCHEMAS

pytestmark = pytest.mark.slow

LINES = [
    VICTIM,  # row 2: loaded
    SUSPECT,  # 3: loaded
    ",,,,,,,,,,,",  # 4: blank, ignored
    VICTIM.replace("2019-03-02", "2019-13-45"),  # 5: quarantined, not a date
    VICTIM,  # 6: a duplicate of row 2
    VICTIM.replace(",19,M", ",20,M"),  # 7: quarantined, row 2's record with other values
    "C2,2019-03-02,2019-03-01,8N,Y,N,N,E01006412,victim,P3,19,M,extra",  # 8: rejected, a field too many
    "C3,2019-04-02,2019-04-01,1,N,N,N,E01006412,victim,,30,F",  # 9: loaded, no person reference
]
# Another crime, loaded first into the second warehouse so that the file above is not its first load.
EARLIER = "C9,2018-01-02,2018-01-01,8N,N,N,N,E01006412,victim,P9,40,F"


def _stored(hub: Hub, load_id: int) -> list[tuple]:
    found = rows(hub, f"SELECT * EXCLUDE (load_id) FROM police_records WHERE load_id = {load_id}")
    return sorted((tuple(r.values()) for r in found), key=repr)


def _quarantine(hub: Hub) -> list[tuple]:
    return [tuple(v for k, v in r.items() if k != "load_id") for r in hub.quarantine("mixed.csv").to_pylist()]


def test_a_first_load_stores_quarantines_and_skips_what_a_later_load_does(
    hub: Hub, tmp_path: Path, _initialised_warehouse: Path
) -> None:
    path = write(tmp_path / "mixed.csv", RECORDS, LINES)
    first = ingest(hub, "police-records", path)
    # Rows 2, 3 and 9 loaded; 5, 7 and 8 quarantined; 6 skipped; the blank row 4 is not a row.
    assert (first.rows_read, first.rows_loaded, first.rows_quarantined, first.duplicates_skipped) == (
        7,
        3,
        3,
        1,
    )
    assert [(r, f) for r, f, _ in quarantined(hub, "mixed.csv")] == [
        (5, "recorded_date"),
        (7, "crime_ref"),
        (8, "(whole row)"),
    ]
    stored = rows(hub, "SELECT person_role, age FROM police_records ORDER BY person_role, age")
    assert stored == [
        {"person_role": "suspect", "age": 22},
        {"person_role": "victim", "age": 19},
        {"person_role": "victim", "age": 30},
    ]

    other = Hub(settings(data_dir=copy_warehouse(_initialised_warehouse, tmp_path / "other")))
    ingest(other, "police-records", write(tmp_path / "earlier.csv", RECORDS, [EARLIER]))
    later = ingest(other, "police-records", path)
    assert later.as_json() == first.as_json()
    assert _stored(hub, first.load_id) == _stored(other, later.load_id)
    assert _quarantine(hub) == _quarantine(other)


def test_a_first_load_leaves_the_table_as_the_schema_has_it(hub: Hub, tmp_path: Path) -> None:
    ingest(hub, "police-records", write(tmp_path / "mixed.csv", RECORDS, LINES))
    described = rows(hub, "SELECT column_name FROM duckdb_columns() WHERE table_name = 'police_records'")
    assert [r["column_name"] for r in described] == list(SCHEMAS["police_records"].names)
    with hub.open(read_only=True) as wh:
        assert wh.table("police_records").schema() == SCHEMAS["police_records"]
        # Nothing of the staging is left in the warehouse.
        assert not [name for name in wh.con.list_tables() if name.startswith("stage")]


def test_a_first_load_that_fails_midway_leaves_every_table_as_it_was(
    hub: Hub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(hub)
    mend = quarantine_write_fails(monkeypatch)
    with pytest.raises(RuntimeError, match="disk full"):
        list(hub.ingest("police-records", [write(tmp_path / "mixed.csv", RECORDS, LINES)]))
    assert snapshot(hub) == before
    # And the file loads afterwards, whole.
    mend()
    assert ingest(hub, "police-records", tmp_path / "mixed.csv").rows_loaded == 3


def test_a_first_load_drops_what_a_killed_first_load_left(hub: Hub, tmp_path: Path) -> None:
    # A first load whose process was killed after staging its rows, before its transaction, leaves them.
    with hub.open() as wh:
        wh.execute("CREATE TABLE stage7_typed AS SELECT 1 AS crime_key")
    ingest(hub, "police-records", write(tmp_path / "mixed.csv", RECORDS, LINES))
    with hub.open(read_only=True) as wh:
        assert "stage7_typed" not in wh.con.list_tables()


def test_a_later_load_of_another_source_drops_it_too(hub: Hub, tmp_path: Path) -> None:
    ingest(hub, "police-records", write(tmp_path / "mixed.csv", RECORDS, LINES))
    with hub.open() as wh:
        wh.execute("CREATE TABLE stage3_typed AS SELECT 1 AS crime_key")
    # Not a first load of police records: the leftover must not wait for one.
    more = write(tmp_path / "more.csv", RECORDS, [EARLIER])
    ingest(hub, "police-records", more)
    with hub.open(read_only=True) as wh:
        assert "stage3_typed" not in wh.con.list_tables()
