"""The linkage model's settings on records written by hand: which pairs the blocking rules let through, and
which level of a comparison a pair falls in (each level's own SQL, in the model's order)."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest

from vrhub.linkage import model as lm
from vrhub.linkage.prepare import current_sql, features_sql, nicknames
from vrhub.sources.people import IDENTIFYING

pytestmark = pytest.mark.slow  # each builds the model's comparisons and prepares records in DuckDB: about 1 s

COLUMNS = ("record_ref", *IDENTIFYING)


def _features(rows: list[dict[str, str]]) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection holding `features`: the rows prepared as a linkage run prepares them."""
    con = duckdb.connect()
    table = pa.table(
        {
            **{c: pa.array([r.get(c) for r in rows], pa.string()) for c in COLUMNS},
            "agency": pa.array(["test"] * len(rows)),
            "load_id": pa.array([1] * len(rows), pa.int64()),
            "row_number": pa.array(range(1, len(rows) + 1), pa.int64()),
        }
    )
    con.register("given", table)
    con.register("nicknames", nicknames())
    con.execute(f"CREATE TABLE current AS {current_sql('given')}")
    con.execute(f"CREATE TABLE features AS {features_sql('current', 'nicknames')}")
    con.execute("CREATE TABLE f AS SELECT f.*, c.record_ref FROM features f JOIN current c USING (uid)")
    return con


def _blocked(rows: list[dict[str, str]]) -> set[tuple[str, str]]:
    """The pairs of record_refs that at least one of the model's blocking rules compares."""
    con = _features(rows)
    pairs: set[tuple[str, str]] = set()
    for rule in lm.BLOCKING:
        sql = rule if isinstance(rule, str) else rule.get_blocking_rule("duckdb").blocking_rule_sql
        found = con.sql(f"SELECT l.record_ref, r.record_ref FROM f l JOIN f r ON ({sql}) AND l.uid < r.uid")
        pairs.update((a, b) for a, b in found.fetchall())
    return pairs


def _level(rows: list[dict[str, str]], comparison: str) -> str:
    """The label of the level the two records fall in for `comparison` (the first whose SQL holds)."""
    con = _features(rows)
    [found] = [c for c in lm.comparisons() if c.get_comparison("duckdb").output_column_name == comparison]
    levels = found.get_comparison("duckdb").comparison_levels
    cases = " ".join(
        f"WHEN {lv.sql_condition} THEN {n}" for n, lv in enumerate(levels) if lv.sql_condition != "ELSE"
    )
    columns = [d[0] for d in con.sql("SELECT * FROM f").description]
    sides = ", ".join(f'l."{c}" AS "{c}_l", r."{c}" AS "{c}_r"' for c in columns)
    pair = f"SELECT {sides} FROM f l JOIN f r ON l.record_ref = '1' AND r.record_ref = '2'"
    [(at,)] = con.sql(f"SELECT CASE {cases} ELSE {len(levels) - 1} END FROM ({pair})").fetchall()
    return str(levels[at].label_for_charts)


def test_names_mistyped_towards_their_end_are_compared() -> None:
    # No field agrees whole: only the first letters of both names do (3 of the forename, 4 of the surname).
    rows = [
        {"record_ref": "1", "forename": "Jonathan", "surname": "Smithson", "date_of_birth": "1980-01-02"},
        {"record_ref": "2", "forename": "Jonathon", "surname": "Smithsen", "date_of_birth": "1987-05-06"},
        {"record_ref": "3", "forename": "Jonas", "surname": "Brown", "date_of_birth": "1975-09-09"},
    ]
    pairs = _blocked(rows)
    assert ("1", "2") in pairs
    assert ("1", "3") not in pairs and ("2", "3") not in pairs


def test_names_the_wrong_way_round_are_compared_on_birth_year_or_address() -> None:
    rows = [
        {"record_ref": "1", "forename": "Isla", "surname": "Hall", "date_of_birth": "1985-02-07"},
        {"record_ref": "2", "forename": "Hall", "surname": "Isla", "date_of_birth": "1985-07-02"},
        {"record_ref": "3", "forename": "Kaur", "surname": "Harley", "address": "12 Mill Lane"},
        {"record_ref": "4", "forename": "Harley", "surname": "Sandhu", "address": "12 mill lane"},
    ]
    pairs = _blocked(rows)
    assert ("1", "2") in pairs  # both names swapped, the same birth year (day and month swapped too)
    assert ("3", "4") in pairs  # the forename is the other's surname, the same address


def test_both_names_swapped_is_a_surname_level_of_its_own() -> None:
    swapped = [
        {"record_ref": "1", "forename": "Reuben", "surname": "Davies"},
        {"record_ref": "2", "forename": "Davies", "surname": "Reuben"},
    ]
    assert _level(swapped, "surname") == "forename and surname swapped"
    assert _level(swapped, "forename") == "one's forename is the other's surname"
    # One name in the other's place is not a swap of both: the surname disagrees.
    shifted = [
        {"record_ref": "1", "forename": "Reuben", "surname": "Davies"},
        {"record_ref": "2", "forename": "Davies", "surname": "Jones"},
    ]
    assert _level(shifted, "surname") == "All other comparisons"


def test_a_birth_year_mistyped_in_its_decade_with_another_typo_is_two_characters_different() -> None:
    def dob(a: str, b: str) -> str:
        return _level(
            [{"record_ref": "1", "date_of_birth": a}, {"record_ref": "2", "date_of_birth": b}], "dob"
        )

    assert dob("1983-03-16", "1993-03-13") == "two characters different"  # ten years and three days
    assert dob("1983-03-16", "1993-03-16") == "one character different"
    assert dob("1983-03-16", "1983-04-02") == "Abs difference of 'dob_date <= 1 month'"
    assert dob("1983-03-16", "1983-11-28") == "same year"


def test_an_email_is_compared_whole_then_by_its_user_part() -> None:
    def email(a: str, b: str) -> str:
        return _level([{"record_ref": "1", "email": a}, {"record_ref": "2", "email": b}], "email")

    assert email("Grace.Kelly52@jones.com", "grace.kelly52@jones.com ") == "exact"
    assert email("grace.kelly52@jones.com", "grace.kelly52@gmail.com") == "same user part, another provider"
    typo = "similar address (a typo), the same digits"
    assert email("evied56@harris-bailey.net", "evihd56@earris-bailey.net") == typo
    user = "similar user part, the same digits"
    assert email("l.ferguson46@shah.com", "l.feruson46@btinternet.co.uk") == user
    assert email("grace.kelly52@jones.com", "tom.hall@x.org") == "All other comparisons"
    # Two holders of one name, told apart by their numbers, however alike the rest.
    assert email("oliver.smith12345@gmail.com", "oliver.smith12346@gmail.com") == "All other comparisons"
    assert email("oliver.smith87@gmail.com", "oliver.smith@gmail.com") == "All other comparisons"
    assert email("oliver.smyth@gmail.com", "oliver.smith@gmail.com") == typo


def test_a_shared_postcode_or_email_user_part_is_compared_and_a_user_part_alone_is_not() -> None:
    rows = [
        {"record_ref": "1", "forename": "Will", "postcode": "SA7 9GB"},
        {"record_ref": "2", "forename": "William", "surname": "Lugg", "postcode": "sa79gb"},
        {"record_ref": "3", "email": "j.c@whige.wort", "date_of_birth": "1971-07-20"},
        {"record_ref": "4", "email": "j.c@white.org", "date_of_birth": "1971-02-11", "surname": "Cox"},
        {"record_ref": "5", "email": "info@a.org", "forename": "Ann"},
        {"record_ref": "6", "email": "info@b.org", "forename": "Bob"},
        {"record_ref": "7", "date_of_birth": "2008-02-23", "address": "Belfat"},
        {"record_ref": "8", "date_of_birth": "2008-02-23", "address": "Belfast", "forename": "Isaac"},
    ]
    pairs = _blocked(rows)
    assert ("1", "2") in pairs  # the postcode alone
    assert ("3", "4") in pairs  # the user part and the birth year
    assert ("5", "6") not in pairs  # a user part and nothing else
    assert ("7", "8") in pairs  # the date of birth and the start of the town
