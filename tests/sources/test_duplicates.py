"""Repeated rows: a record with a key is loaded once, however often a file (or a later file) repeats it;
without a key, identical rows are distinct events, and a later file restating them adds only the extra."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sources.helpers import ingest, rows
from vrhub.hub import Hub

pytestmark = pytest.mark.slow

RECORDS = "crime_ref,recorded_date,committed_date,offence_code,knife_flag,firearm_flag,domestic_flag,lsoa_code,person_role,person_ref,age,sex"  # noqa: E501 - a CSV header is as long as it is
VICTIM = "C1,2019-03-02,2019-03-01,8N,Y,N,N,E01006412,victim,P1,19,M"
SUSPECT = "C1,2019-03-02,2019-03-01,8N,Y,N,N,E01006412,suspect,P2,22,M"
STREET = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context"  # noqa: E501
ASB = ",2019-09,Merseyside Police,Merseyside Police,-2.870583,53.486464,On or near Clorain Close,E01006448,Knowsley 001A,Anti-social behaviour,,"  # noqa: E501
OTHER = ",2019-09,Merseyside Police,Merseyside Police,-2.873875,53.485290,On or near Harleston Road,E01006448,Knowsley 001A,Anti-social behaviour,,"  # noqa: E501


def write(path: Path, header: str, lines: list[str]) -> Path:
    path.write_text("\n".join([header, *lines]) + "\n")
    return path


def test_a_record_repeated_in_a_file_and_in_a_later_file_is_loaded_once(hub: Hub, tmp_path: Path) -> None:
    # The victim's row three times (rows 2, 4 and 5), the suspect's once.
    first = ingest(
        hub, "police-records", write(tmp_path / "a.csv", RECORDS, [VICTIM, SUSPECT, VICTIM, VICTIM])
    )
    assert (first.rows_read, first.rows_loaded, first.duplicates_skipped) == (4, 2, 2)
    later = ingest(
        hub, "police-records", write(tmp_path / "b.csv", RECORDS, [SUSPECT, VICTIM.replace("P1", "P3")])
    )
    assert (later.rows_read, later.rows_loaded, later.duplicates_skipped) == (2, 1, 1)
    stored = rows(hub, "SELECT person_role, count(*) AS n FROM police_records GROUP BY 1 ORDER BY 1")
    assert stored == [{"person_role": "suspect", "n": 1}, {"person_role": "victim", "n": 2}]


def test_identical_rows_without_a_key_are_distinct_events(hub: Hub, tmp_path: Path) -> None:
    # Two identical anti-social behaviour reports (no Crime ID): two events.
    first = ingest(hub, "police-uk", write(tmp_path / "sep.csv", STREET, [ASB, OTHER, ASB]))
    assert (first.rows_read, first.rows_loaded, first.duplicates_skipped) == (3, 3, 0)
    # A re-export with a third identical report adds that one only.
    again = ingest(hub, "police-uk", write(tmp_path / "sep-again.csv", STREET, [ASB, ASB, OTHER, ASB]))
    assert (again.rows_read, again.rows_loaded, again.duplicates_skipped) == (4, 1, 3)
    assert rows(hub, "SELECT count(*) AS n FROM police_uk_crimes")[0]["n"] == 4
