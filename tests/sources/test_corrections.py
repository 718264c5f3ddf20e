"""Corrections: a later load's row for a record already loaded (its source key) with other values is a new
version of it. The table keeps the latest version, `<table>_history` the one it superseded and the load
that did so; measures recount both cells; a figure can be reproduced as at an earlier load."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sources.helpers import ingest, quarantined, rows
from tests.sources.test_duplicates import RECORDS, SUSPECT, VICTIM
from vrhub.config import FORCE_CODE
from vrhub.hub import Hub
from vrhub.measures import MeasureRequest

pytestmark = pytest.mark.slow


def write(path: Path, header: str, lines: list[str]) -> Path:
    path.write_text("\n".join([header, *lines]) + "\n")
    return path


def monthly(hub: Hub, measure: str, as_at: int | None = None) -> dict[str, float]:
    """The force-wide monthly values of one measure that are not zero."""
    table = hub.measures(MeasureRequest(measures=[measure], period="month", as_at=as_at)).table
    out = {}
    for row in table.to_pylist():
        if row["area_code"] == FORCE_CODE and row["breakdown"] in ("", None) and row["value"]:
            out[row["period"]] = row["value"]
    return out


# The victim's record corrected: committed in May, not March, and no knife after all.
CORRECTED = VICTIM.replace("2019-03-01", "2019-05-01").replace(",8N,Y,", ",8N,N,")
MOVED = VICTIM.replace("2019-03-01", "2019-05-01")
COLUMNS = "person_role, committed_date::VARCHAR AS d, load_id"
INDICATORS = "indicator_id,area_code,period,value,unit,note"
FIRE = "incident_ref,incident_date,incident_type,lsoa_code"


def test_a_corrected_record_supersedes_the_loaded_one_and_keeps_its_history(hub: Hub, tmp_path: Path) -> None:
    first = ingest(hub, "police-records", write(tmp_path / "jan.csv", RECORDS, [VICTIM, SUSPECT]))
    assert (first.rows_loaded, first.rows_corrected) == (2, 0)
    later = ingest(hub, "police-records", write(tmp_path / "feb.csv", RECORDS, [SUSPECT, MOVED]))
    # The suspect's row is unchanged: a duplicate. The victim's is a new version of a loaded record.
    counts = (later.rows_read, later.rows_loaded, later.duplicates_skipped, later.rows_corrected)
    assert counts == (2, 1, 1, 1)
    stored = rows(hub, f"SELECT {COLUMNS} FROM police_records ORDER BY 1")
    assert stored == [
        {"person_role": "suspect", "d": "2019-03-01", "load_id": first.load_id},
        {"person_role": "victim", "d": "2019-05-01", "load_id": later.load_id},
    ]
    history = rows(hub, f"SELECT {COLUMNS}, superseded_by FROM police_records_history")
    assert history == [
        {"person_role": "victim", "d": "2019-03-01", "load_id": first.load_id, "superseded_by": later.load_id}
    ]
    loads = rows(hub, "SELECT rows_loaded, rows_corrected FROM loads WHERE source = 'police-records'")
    assert loads == [{"rows_loaded": 2, "rows_corrected": 0}, {"rows_loaded": 1, "rows_corrected": 1}]


def test_reloading_the_corrected_rows_adds_nothing(hub: Hub, tmp_path: Path) -> None:
    ingest(hub, "police-records", write(tmp_path / "jan.csv", RECORDS, [VICTIM, SUSPECT]))
    ingest(hub, "police-records", write(tmp_path / "feb.csv", RECORDS, [MOVED, SUSPECT]))
    # The same rows in another order (another file, so not caught by its hash): nothing new.
    again = ingest(hub, "police-records", write(tmp_path / "feb-again.csv", RECORDS, [SUSPECT, MOVED]))
    assert (again.rows_loaded, again.duplicates_skipped, again.rows_corrected) == (0, 2, 0)
    assert rows(hub, "SELECT count(*) AS n FROM police_records_history")[0]["n"] == 1


def test_measures_recount_both_the_cell_a_record_left_and_the_one_it_joined(hub: Hub, tmp_path: Path) -> None:
    first = ingest(hub, "police-records", write(tmp_path / "jan.csv", RECORDS, [VICTIM, SUSPECT]))
    # Knife-enabled assault with injury is serious violence under the local definition: one offence.
    assert monthly(hub, "local_sv_offences") == {"2019-03": 1}
    ingest(hub, "police-records", write(tmp_path / "feb.csv", RECORDS, [MOVED, SUSPECT.replace("C1", "C2")]))
    # The crime now has its victim in May and its suspect still in March: the victim's row counts in May.
    assert monthly(hub, "local_sv_victims") == {"2019-05": 1}
    # As the warehouse stood after the first load: the figure it gave then.
    assert monthly(hub, "local_sv_victims", as_at=first.load_id) == {"2019-03": 1}


def test_a_record_twice_in_one_file_with_different_values_is_quarantined(hub: Hub, tmp_path: Path) -> None:
    path = write(tmp_path / "twice.csv", RECORDS, [VICTIM, SUSPECT, VICTIM.replace(",19,M", ",20,M"), VICTIM])
    summary = ingest(hub, "police-records", path)
    # Row 2 loads; row 5 repeats it exactly (a duplicate); row 4 says another age for the same person.
    assert (summary.rows_loaded, summary.rows_quarantined, summary.duplicates_skipped) == (2, 1, 1)
    assert quarantined(hub, "twice.csv") == [
        (
            4,
            "crime_ref",
            "the same record (crime_ref, person_role, person_ref) as an earlier row of this file, "
            "with different values",
        )
    ]
    assert rows(hub, "SELECT age FROM police_records WHERE person_role = 'victim'") == [{"age": 19}]


def test_an_indicator_restated_supersedes_the_earlier_figure(hub: Hub, tmp_path: Path) -> None:
    ingest(hub, "indicators", write(tmp_path / "a.csv", INDICATORS, ["neet,E08000012,2019,5.1,percent,"]))
    restated = write(tmp_path / "b.csv", INDICATORS, ["neet,E08000012,2019,5.4,percent,"])
    later = ingest(hub, "indicators", restated)
    assert (later.rows_loaded, later.rows_corrected) == (1, 1)
    assert rows(hub, "SELECT value FROM indicators") == [{"value": 5.4}]
    assert rows(hub, "SELECT value FROM indicators_history") == [{"value": 5.1}]


def test_rows_without_a_source_key_are_only_ever_added(hub: Hub, tmp_path: Path) -> None:
    ingest(hub, "fire", write(tmp_path / "a.csv", FIRE, [",2019-03-01,deliberate_primary,E01006412"]))
    later = ingest(hub, "fire", write(tmp_path / "b.csv", FIRE, [",2019-03-02,deliberate_primary,E01006412"]))
    assert (later.rows_loaded, later.rows_corrected) == (1, 0)
    assert rows(hub, "SELECT count(*) AS n FROM fire_incidents")[0]["n"] == 2
