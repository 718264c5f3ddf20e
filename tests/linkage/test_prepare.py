"""Records made comparable: nothing is dropped, what cannot be read becomes unknown or stays as its text."""

from __future__ import annotations

import duckdb
import pyarrow as pa

from vrhub.linkage.prepare import features_sql, nicknames

COLUMNS = ("forename", "surname", "date_of_birth", "sex", "postcode", "address", "nhs_number", "email")


def _prepare(*rows: dict[str, str | None]) -> list[dict]:
    table = pa.table(
        {
            "uid": list(range(1, len(rows) + 1)),
            "since": list(range(1, len(rows) + 1)),
            "agency": ["A"] * len(rows),
            **{c: pa.array([r.get(c) for r in rows], pa.string()) for c in COLUMNS},
        }
    )
    con = duckdb.connect()
    con.register("current", table)
    con.register("nicknames", nicknames())
    return con.sql(features_sql("current", "nicknames") + " ORDER BY uid").to_arrow_table().to_pylist()


def test_names_lose_case_accents_and_punctuation_and_gain_their_formal_form() -> None:
    (row,) = _prepare({"forename": " Bill ", "surname": "O'Néill-Smith"})
    assert (row["forename"], row["forename_formal"], row["forename_initial"]) == ("bill", "william", "b")
    assert (row["surname"], row["surname_initial"]) == ("oneillsmith", "o")
    (plain,) = _prepare({"forename": "Zebedee"})
    assert plain["forename_formal"] == "zebedee"


def test_dates_of_birth_in_any_usual_shape_read_alike_and_an_impossible_one_stays_as_text() -> None:
    rows = _prepare(
        {"date_of_birth": "2001-11-12"},
        {"date_of_birth": "12/11/2001"},
        {"date_of_birth": "12.11.2001"},
        {"date_of_birth": "1984-13-45"},
        {"date_of_birth": ""},
        {"date_of_birth": "unknown"},
    )
    assert [r["dob"] for r in rows[:3]] == ["2001-11-12"] * 3
    assert str(rows[0]["dob_date"]) == "2001-11-12" and rows[0]["dob_month_day"] == "11-12"
    assert rows[3]["dob"] == "1984-13-45" and rows[3]["dob_date"] is None and rows[3]["dob_year"] == "1984"
    assert rows[4]["dob"] is None and rows[5]["dob"] == "unknown"


def test_postcodes_are_written_one_way_and_a_foreign_one_is_kept() -> None:
    rows = _prepare({"postcode": "l18jq"}, {"postcode": " CH41  5LH "}, {"postcode": "75001 Paris"})
    assert [r["postcode"] for r in rows] == ["L1 8JQ", "CH41 5LH", "75001 PARIS"]
    assert [r["postcode_sector"] for r in rows] == ["L1 8", "CH41 5", None]
    assert [r["postcode_district"] for r in rows] == ["L1", "CH41", None]


def test_sex_address_and_nhs_number() -> None:
    rows = _prepare(
        {"sex": "female", "address": "14,  Lark Lane.", "nhs_number": "943 476 5919"},
        {"sex": "X", "nhs_number": "943 476 5918"},  # fails Modulus 11
        {"sex": "m", "nhs_number": "12345"},
    )
    assert [r["sex"] for r in rows] == ["F", None, "M"]
    assert rows[0]["address"] == "14 lark lane"
    assert [r["nhs_number"] for r in rows] == ["9434765919", None, None]


def test_an_email_is_trimmed_and_lower_case_with_its_user_part_apart() -> None:
    rows = _prepare({"email": " Grace.Kelly52@Jones.COM "}, {"email": "   "}, {"email": "no-at-sign"})
    assert (rows[0]["email"], rows[0]["email_user"]) == ("grace.kelly52@jones.com", "grace.kelly52")
    assert rows[1]["email"] is None and rows[1]["email_user"] is None
    assert (rows[2]["email"], rows[2]["email_user"]) == ("no-at-sign", "no-at-sign")
