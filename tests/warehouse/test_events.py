"""A writer tells the warehouse's listeners that records changed, so derived figures follow the records."""

from __future__ import annotations

from pathlib import Path

import pytest

from vrhub.warehouse import Warehouse, open_warehouse
from vrhub.warehouse.events import RecordsChanged


def test_each_listener_hears_each_change_once_in_the_order_they_listened(tmp_path: Path) -> None:
    heard: list[tuple[str, str, int | None]] = []

    def first(wh: Warehouse, event: RecordsChanged) -> None:
        heard.append(("first", event.table, event.load_id))

    def second(wh: Warehouse, event: RecordsChanged) -> None:
        heard.append(("second", event.table, event.load_id))

    with open_warehouse(str(tmp_path / "w.duckdb")) as wh:
        wh.listen(first)
        wh.listen(second)
        wh.listen(first)  # listening twice is still one listener
        wh.records_changed(RecordsChanged("police_records", 7))
        wh.records_changed(RecordsChanged("ed_attendances"))
    assert heard == [
        ("first", "police_records", 7),
        ("second", "police_records", 7),
        ("first", "ed_attendances", None),
        ("second", "ed_attendances", None),
    ]


@pytest.mark.slow
def test_a_load_through_the_hub_is_counted_in_its_own_transaction(hub) -> None:  # type: ignore[no-untyped-def]
    """The hub wires the measures' counts to the warehouse it opens: after a load, the rows counted per
    month and borough add up to the records the load stored."""
    from tests.conftest import FIXTURES

    [summary] = hub.ingest("police-records", [FIXTURES / "police-records" / "good.csv"])
    with hub.open(read_only=True) as wh:
        counts, specs = wh.table("measure_counts"), wh.table("measure_count_specs")
        rows_sig = specs.filter(specs.counts == "__rows").sig
        plain = counts.filter(counts.sig.isin(rows_sig) & counts.breakdown.isnull())
        counted = plain.value.sum().to_pyarrow().as_py()
        dated = wh.table("police_records").count().to_pyarrow().as_py()
    assert summary.rows_loaded == dated and counted == dated
