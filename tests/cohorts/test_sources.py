"""The two sources cohorts are drawn from (education records, intervention participants) do what every
source does: good rows load, each bad row is quarantined with its row (the header is row 1), field and
reason, a file without a required column is refused whole, a second load adds nothing, a later version of
a record supersedes it, and no reference is stored in clear."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.sources.helpers import ingest, quarantined, rows, snapshot, write_lines
from vrhub.errors import InputRefused
from vrhub.hub import Hub

MISSING = "missing value"
BAD_DATE = "not a date (expected YYYY-MM-DD or DD/MM/YYYY)"
BAD_AGE = "age out of range or not a whole number (expected 0 to 120)"
TOO_FEW = "row has fewer fields than the header"
ORDER = "end_date before start_date"


@pytest.mark.slow
def test_education_records_load_with_their_borough_and_pupils_pseudonymised(hub: Hub) -> None:
    summary = ingest(hub, "education-records", FIXTURES / "education-records" / "good.csv")
    assert (summary.rows_read, summary.rows_loaded, summary.rows_quarantined) == (7, 7, 0)
    stored = rows(
        hub,
        "SELECT pupil_key, event_type, start_date::VARCHAR AS start, postcode_district, lad_code, sex "
        "FROM education_records ORDER BY start_date, event_type",
    )
    # Spelt as a person writes them ("Missing education", "NEET", "alternative-provision"), stored as codes.
    assert [r["event_type"] for r in stored] == [
        "elective_home_education",
        "persistent_absence",
        "permanent_exclusion",
        "alternative_provision",
        "missing_education",
        "suspension",
        "neet",
    ]
    by_type = {r["event_type"]: r for r in stored}
    assert by_type["suspension"]["start"] == "2019-05-02"  # DD/MM/YYYY
    assert by_type["neet"]["postcode_district"] == "WA10"
    assert by_type["permanent_exclusion"]["lad_code"] == "E08000011"  # Knowsley, from the LSOA
    assert by_type["missing_education"]["lad_code"] is None  # a district alone places no borough
    assert by_type["persistent_absence"]["sex"] == "U"
    # One pupil's two events share a pseudonym, and no reference is kept as written.
    assert by_type["permanent_exclusion"]["pupil_key"] == by_type["alternative_provision"]["pupil_key"]
    assert all(len(r["pupil_key"]) in (32, 64) and "UPN" not in r["pupil_key"] for r in stored)


def test_participants_load_one_row_per_person_and_intervention(hub: Hub) -> None:
    summary = ingest(hub, "participants", FIXTURES / "participants" / "good.csv")
    assert (summary.rows_read, summary.rows_loaded, summary.rows_quarantined) == (5, 5, 0)
    stored = rows(
        hub,
        "SELECT participant_key, intervention, count(*) OVER (PARTITION BY participant_key) AS n "
        "FROM participants ORDER BY start_date",
    )
    assert [r["intervention"] for r in stored] == [
        "Navigators",
        "Navigators",
        "Sports Mentoring",
        "Navigators",
        "Sports Mentoring",
    ]
    assert [r["n"] for r in stored] == [2, 1, 1, 1, 2]  # PART-0001 took part in both
    assert not any("PART" in r["participant_key"] for r in stored)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "education-records",
            [
                (3, "pupil_ref", MISSING),
                (
                    4,
                    "event_type",
                    "not one of the allowed values (permanent_exclusion, suspension, "
                    "persistent_absence, elective_home_education, alternative_provision, missing_education, "
                    "neet)",
                ),
                (5, "start_date", BAD_DATE),
                (6, "end_date", ORDER),
                (
                    7,
                    "postcode_district",
                    "not a postcode district (expected the outward code, e.g. L8 or CH41)",
                ),
                (8, "age", BAD_AGE),
                (9, "sex", TOO_FEW),
            ],
        ),
        (
            "participants",
            [
                (3, "intervention", MISSING),
                (4, "start_date", MISSING),
                (5, "end_date", ORDER),
                (6, "lsoa_code", "not an LSOA code (expected E01 or W01 and six digits)"),
                (7, "sex", "not a sex code (expected M, F or U)"),
            ],
        ),
    ],
)
def test_each_bad_row_is_quarantined_with_its_row_field_and_reason(
    hub: Hub, source: str, expected: list[tuple[int, str, str]]
) -> None:
    summary = ingest(hub, source, FIXTURES / source / "bad.csv")
    assert quarantined(hub, "bad.csv") == expected
    assert (summary.rows_loaded, summary.rows_quarantined) == (1, len(expected))
    held = hub.quarantine("bad.csv").to_pylist()
    # The quarantine keeps the rows with their references hashed, like the tables.
    assert not any("UPN-01" in r["raw_row"] or "PART-01" in r["raw_row"] for r in held)


@pytest.mark.parametrize(
    ("source", "missing"), [("education-records", "event_type"), ("participants", "intervention")]
)
def test_a_file_without_a_required_column_is_refused_whole(hub: Hub, source: str, missing: str) -> None:
    before = snapshot(hub)
    with pytest.raises(InputRefused) as refused:
        ingest(hub, source, FIXTURES / source / "missing_columns.csv")
    assert repr(missing) in refused.value.message and "refused, nothing loaded" in refused.value.message
    assert snapshot(hub) == before


@pytest.mark.slow
@pytest.mark.parametrize("source", ["education-records", "participants"])
def test_loading_the_same_file_again_adds_nothing(hub: Hub, source: str) -> None:
    first = ingest(hub, source, FIXTURES / source / "good.csv")
    again = ingest(hub, source, FIXTURES / source / "good.csv")
    assert (again.rows_loaded, again.duplicates_skipped) == (0, first.rows_read)


@pytest.mark.slow
def test_an_end_date_filled_in_later_supersedes_the_open_spell(hub: Hub, tmp_path: Path) -> None:
    header = "participant_ref,intervention,start_date,end_date,lsoa_code,age,sex"
    write_lines(tmp_path / "march.csv", [header, "PART-9,Navigators,2019-03-04,,E01006412,17,M"])
    write_lines(tmp_path / "june.csv", [header, "PART-9,Navigators,2019-03-04,2019-06-01,E01006412,17,M"])
    ingest(hub, "participants", tmp_path / "march.csv")
    summary = ingest(hub, "participants", tmp_path / "june.csv")
    assert (summary.rows_loaded, summary.rows_corrected) == (1, 1)
    assert [r["end"] for r in rows(hub, "SELECT end_date::VARCHAR AS end FROM participants")] == [
        "2019-06-01"
    ]
    assert rows(hub, "SELECT count(*) AS n FROM participants_history")[0]["n"] == 1
