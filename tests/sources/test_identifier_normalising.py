"""Identifiers are made comparable before they are hashed: an NHS number with spaces or dashes hashes as it
does without them, one failing its Modulus 11 check digit is quarantined (file, row, field, reason), and a
reference hashes the same whatever whitespace surrounds it, in every source and in the quarantine."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.sources.helpers import ingest, rows, write_lines
from vrhub.hub import Hub
from vrhub.pseudonymise import pseudonym
from vrhub.sources.identifiers import FAILS_CHECK, NOT_TEN_DIGITS, comparable

HEADER = "admission_ref,nhs_number,admission_date,icd10_cause,age,sex,lsoa_code"


def _modulus_11(number: str) -> bool:
    """The NHS Data Dictionary's check, by hand: weights 10..2, check = 11 - (sum mod 11), 11 -> 0, 10
    none."""
    total = sum(int(d) * w for d, w in zip(number[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    return check != 10 and (0 if check == 11 else check) == int(number[9])


def test_the_published_example_and_hand_computed_checks() -> None:
    cases = {
        # 9*10+4*9+3*8+4*7+7*6+6*5+5*4+9*3+1*2 = 299; 299 mod 11 = 2; 11 - 2 = 9, the last digit.
        "9434765919": "9434765919",
        "943 476 5919": "9434765919",
        "943-476-5919": "9434765919",
        " 943\u00a0476\u20135919\t": "9434765919",  # no-break space, en dash, tab
        "9434765918": None,  # the last digit changed
        # 1 and 9 transposed: 90+36+24+28+42+30+20+27+18 = 315; 315 mod 11 = 7; check 4, not 1.
        "9434765991": None,
        # 90+72+56+42+30+20+12+6+2 = 330; 330 mod 11 = 0; 11 - 0 = 11, read as 0.
        "9876543210": "9876543210",
        "943476591": None,  # nine digits
        "94347659190": None,  # eleven
        "943476591X": None,
    }
    # 1*10 + 1*2 = 12; 12 mod 11 = 1; 11 - 1 = 10: no check digit, so no ending is valid.
    cases |= {f"100000001{last}": None for last in "0123456789"}
    for number, expected in cases.items():  # the hand check agrees on every plain ten-digit case
        if number.isdigit() and len(number) == 10:
            assert _modulus_11(number) == (expected is not None), number
    values = list(cases)
    found = (
        duckdb.connect()
        .execute(
            f"SELECT {comparable('nhs_number', 'v')} FROM unnest(?) WITH ORDINALITY t(v, i) ORDER BY i",
            [values],
        )
        .fetchall()
    )
    assert dict(zip(values, [r[0] for r in found], strict=True)) == cases


@pytest.mark.slow
def test_nhs_numbers_with_spaces_or_dashes_hash_as_without(hub: Hub, key: bytes, tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "spaced.csv",
        [
            HEADER,
            "ADM-1,9434765919,2019-03-02,X99,19,M,E01006412",
            "ADM-2,943 476 5919,2019-03-03,X99,19,M,E01006412",
            "ADM-3,943-476-5919,2019-03-04,X99,19,M,E01006412",
            'ADM-4," 943 476 5919 ",2019-03-05,X99,19,M,E01006412',
        ],
    )
    summary = ingest(hub, "hospital-admissions", path)
    assert (summary.rows_loaded, summary.rows_quarantined) == (4, 0)
    keys = {r["nhs_number_key"] for r in rows(hub, "SELECT nhs_number_key FROM hospital_admissions")}
    assert keys == {pseudonym(key, "9434765919")}


@pytest.mark.slow
def test_an_nhs_number_failing_its_check_digit_is_quarantined_with_the_reason(
    hub: Hub, key: bytes, tmp_path: Path
) -> None:
    path = write_lines(
        tmp_path / "mistyped.csv",
        [
            HEADER,
            "ADM-1,9434765918,2019-03-02,X99,19,M,E01006412",  # last digit wrong
            "ADM-2,943 476 5991,2019-03-03,X99,19,M,E01006412",  # 1 and 9 transposed
            "ADM-3,94347659,2019-03-04,X99,19,M,E01006412",  # too short
            "ADM-4,9434765919,2019-03-05,X99,19,M,E01006412",
            "ADM-5,,2019-03-06,X99,19,M,E01006412",  # no NHS number: allowed
        ],
    )
    summary = ingest(hub, "hospital-admissions", path)
    assert (summary.rows_loaded, summary.rows_quarantined) == (2, 3)
    held = hub.quarantine("mistyped.csv").to_pylist()
    assert [(r["file_name"], r["row_number"], r["field"], r["reason"]) for r in held] == [
        ("mistyped.csv", 2, "nhs_number", FAILS_CHECK),
        ("mistyped.csv", 3, "nhs_number", FAILS_CHECK),
        ("mistyped.csv", 4, "nhs_number", NOT_TEN_DIGITS),
    ]
    assert "Modulus 11" in FAILS_CHECK
    # The rejected number is kept only as a pseudonym, in the value and in the raw row.
    assert held[0]["value"] == pseudonym(key, "9434765918")
    assert "9434765918" not in held[0]["raw_row"] and pseudonym(key, "9434765918") in held[0]["raw_row"]
    assert all("943" not in (r["value"] or "") for r in held)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("source", "header", "row", "key_column", "table", "reference"),
    [
        (
            "police-records",
            "crime_ref,recorded_date,committed_date,offence_code,knife_flag,firearm_flag,domestic_flag,"
            "lsoa_code,person_role,person_ref,age,sex",
            "{ref},2019-03-02,2019-03-01,8N,Y,N,N,E01006412,victim,{ref2},19,M",
            "person_key",
            "police_records",
            "PERS-0001",
        ),
        (
            "ed-attendances",
            "attendance_ref,site_code,assault_datetime,assault_method,location_type,age,sex,admitted",
            "{ref},RBN01,2019-03-02 01:00,knife,street,19,M,N",
            "attendance_key",
            "ed_attendances",
            "ED-0001",
        ),
        (
            "ambulance",
            "incident_ref,call_datetime,category,age,sex,lsoa_code",
            "{ref},2019-03-02 01:00,assault,19,M,E01006412",
            "incident_key",
            "ambulance_callouts",
            "AMB-0001",
        ),
    ],
)
def test_references_are_trimmed_of_any_whitespace_before_hashing(
    hub: Hub,
    key: bytes,
    tmp_path: Path,
    source: str,
    header: str,
    row: str,
    key_column: str,
    table: str,
    reference: str,
) -> None:
    padded = [reference, f" {reference} ", f"\t{reference}", f"{reference}\u00a0", f"\ufeff{reference}\u200b"]
    lines = [header]
    for i, ref in enumerate(padded):
        # Each row its own crime (police) or the same record: the key must be the same pseudonym.
        lines.append(
            row.format(ref=f'"{ref}"' if source != "police-records" else f"MP/19/00000{i}", ref2=f'"{ref}"')
        )
    path = write_lines(tmp_path / f"{source}.csv", lines)
    [summary] = list(hub.ingest(source, [path]))
    found = {r[key_column] for r in rows(hub, f"SELECT {key_column} FROM {table}")}
    assert found == {pseudonym(key, reference)}
    # One record: every padded copy after the first is the same record with the same content.
    if source != "police-records":
        assert summary.rows_loaded == 1 and summary.duplicates_skipped == len(padded) - 1


@pytest.mark.slow
def test_a_reference_of_whitespace_only_is_missing(hub: Hub, key: bytes, tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "blank-ref.csv",
        [
            "crime_ref,recorded_date,committed_date,offence_code,knife_flag,firearm_flag,domestic_flag,"
            "lsoa_code,person_role,person_ref,age,sex",
            '"\t",2019-03-02,2019-03-01,8N,Y,N,N,E01006412,victim,PERS-1,19,M',
        ],
    )
    summary = ingest(hub, "police-records", path)
    assert summary.rows_quarantined == 1
    [held] = hub.quarantine("blank-ref.csv").to_pylist()
    assert (held["row_number"], held["field"], held["reason"]) == (2, "crime_ref", "missing value")


@pytest.mark.slow
def test_the_quarantine_hashes_a_padded_reference_as_the_stored_key(
    hub: Hub, key: bytes, tmp_path: Path
) -> None:
    path = write_lines(
        tmp_path / "padded.csv",
        [
            "incident_ref,call_datetime,category,age,sex,lsoa_code",
            '"AMB-0001\t",not a date,assault,19,M,E01006412',
        ],
    )
    ingest(hub, "ambulance", path)
    [held] = hub.quarantine("padded.csv").to_pylist()
    assert pseudonym(key, "AMB-0001") in held["raw_row"]
