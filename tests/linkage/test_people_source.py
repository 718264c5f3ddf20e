"""The people source: every row is kept in the vault, quarantined with its row, field and reason, or skipped
as a duplicate; a person is never dropped for an unknown date of birth, a foreign postcode or a bad NHS
number."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.linkage.conftest import HEADER, write_people
from vrhub.errors import InputRefused
from vrhub.hub import Hub
from vrhub.linkage.vault import Vault
from vrhub.sources.people import CLEAR, REF_WITHOUT_SOURCE, SPEC, UNKNOWN_SOURCE

GOOD = {
    "forename": "Ada",
    "surname": "Quillfeather",
    "date_of_birth": "1990-02-03",
    "sex": "F",
    "postcode": "L1 8JQ",
    "address": "1 Hope Street",
    "source": "police-records",
    "source_ref": "P1",
}

ROWS = [
    {**GOOD, "record_ref": "R1"},  # row 2: loaded
    {**GOOD, "record_ref": ""},  # row 3: no record_ref
    {**GOOD, "record_ref": "R3", "date_of_birth": "1990-02-31"},  # row 4: impossible date, kept
    {**GOOD, "record_ref": "R4", "date_of_birth": "", "postcode": "75001 Paris"},  # row 5: kept
    {**GOOD, "record_ref": "R5", "source": "probation"},  # row 6: a source vrhub does not know
    {**GOOD, "record_ref": "R6", "source": ""},  # row 7: a reference with no source
    {**GOOD, "record_ref": "R1"},  # row 8: the same as row 2: a duplicate
    {**GOOD, "record_ref": "R3", "surname": "Other"},  # row 9: R3 again, other values
    {**GOOD, "record_ref": "R9", "nhs_number": "943 476 5918"},  # row 10: fails Modulus 11, kept
    {"record_ref": "R10"},  # row 11: nothing but its reference, kept
]


def _stored(hub: Hub) -> dict[str, dict]:
    with Vault.open(hub.settings.data_dir) as vault:
        return {r["record_ref"]: r for r in vault.records().to_pylist()}


@pytest.mark.slow
def test_every_row_is_loaded_quarantined_or_a_duplicate(hub: Hub, tmp_path: Path) -> None:
    path = write_people(tmp_path / "people.csv", ROWS)
    (summary,) = hub.ingest_people([path], agency="Merseyside Police")
    assert (summary.rows_read, summary.rows_loaded, summary.rows_quarantined, summary.duplicates_skipped) == (
        10,
        5,
        4,
        1,
    )
    stored = _stored(hub)
    assert set(stored) == {"R1", "R3", "R4", "R9", "R10"}
    held = hub.quarantine("people.csv").to_pylist()
    assert [(q["row_number"], q["field"]) for q in held] == [
        (3, "record_ref"),
        (6, "source"),
        (7, "source_ref"),
        (9, "record_ref"),
    ]
    reasons = {q["row_number"]: q["reason"] for q in held}
    assert reasons[3] == "missing value"
    assert reasons[6] == UNKNOWN_SOURCE.format(
        ", ".join(
            ["police-records", "ed-attendances", "hospital-admissions", "participants", "education-records"]
        )
    )
    assert reasons[7] == REF_WITHOUT_SOURCE
    assert "different values" in reasons[9]


@pytest.mark.slow
def test_unknown_and_foreign_values_are_kept_as_they_are(hub: Hub, tmp_path: Path) -> None:
    path = write_people(tmp_path / "people.csv", ROWS)
    list(hub.ingest_people([path], agency="Merseyside Police"))
    stored = _stored(hub)
    assert stored["R3"]["date_of_birth"] == "1990-02-31"
    assert stored["R4"]["date_of_birth"] is None and stored["R4"]["postcode"] == "75001 Paris"
    assert stored["R9"]["nhs_number"] == "943 476 5918"  # the linkage reads it as unknown (prepare)
    assert stored["R10"]["forename"] is None
    assert stored["R1"]["row_number"] == 2 and stored["R10"]["row_number"] == 11


@pytest.mark.slow
def test_the_quarantine_keeps_no_name_in_clear(hub: Hub, tmp_path: Path) -> None:
    path = write_people(tmp_path / "people.csv", ROWS)
    list(hub.ingest_people([path], agency="Merseyside Police"))
    for row in hub.quarantine("people.csv").to_pylist():
        for clear in ("Quillfeather", "Ada", "1 Hope Street", "L1 8JQ", "1990-02-03", "R5", "R6"):
            assert clear not in row["raw_row"] and clear != row["value"]


def test_a_file_without_record_ref_is_refused_whole(hub: Hub, tmp_path: Path) -> None:
    header = [c for c in HEADER if c != "record_ref"]
    path = write_people(tmp_path / "people.csv", [GOOD], header=header)
    with pytest.raises(InputRefused, match="record_ref"):
        list(hub.ingest_people([path], agency="Merseyside Police"))
    assert "people" not in hub.loads()["source"].to_pylist()


@pytest.mark.slow
def test_a_file_loaded_again_adds_nothing_and_a_changed_record_is_a_new_version(
    hub: Hub, tmp_path: Path
) -> None:
    first = write_people(
        tmp_path / "people.csv", [{**GOOD, "record_ref": "R1"}, {**GOOD, "record_ref": "R2"}]
    )
    list(hub.ingest_people([first], agency="A"))
    (again,) = hub.ingest_people([first], agency="A")
    assert again.already_loaded and again.rows_loaded == 0
    later = write_people(
        tmp_path / "people-may.csv",
        [{**GOOD, "record_ref": "R1"}, {**GOOD, "record_ref": "R2", "surname": "Quillfeathers"}],
    )
    (summary,) = hub.ingest_people([later], agency="A")
    assert (summary.rows_loaded, summary.duplicates_skipped, summary.rows_corrected) == (1, 1, 1)
    # Another agency's record with the same reference is another record.
    (other,) = hub.ingest_people([first], agency="B")
    assert other.rows_loaded == 2


@pytest.mark.slow
def test_a_row_that_is_not_text_loads_when_the_file_is_loaded_again_with_its_encoding(
    hub: Hub, tmp_path: Path
) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes("record_ref,forename\nR1,Ann\nR2,Renée\n".encode("cp1252"))
    (first,) = hub.ingest_people([path], agency="A")
    assert (first.rows_loaded, first.rows_quarantined) == (1, 1)
    (again,) = hub.ingest_people([path], agency="A", encoding="windows-1252")
    assert not again.already_loaded
    assert (again.rows_loaded, again.duplicates_skipped, again.rows_quarantined) == (1, 1, 0)
    (same,) = hub.ingest_people([path], agency="A")
    assert same.already_loaded


def test_the_two_readings_of_the_spec_differ_only_in_kind() -> None:
    assert [c.name for c in SPEC.columns] == [c.name for c in CLEAR.columns] == HEADER
    assert {c.kind for c in CLEAR.columns} == {"text"}
    assert [c.name for c in SPEC.columns if c.kind != "identifier"] == ["source"]
