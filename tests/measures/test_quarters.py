"""Calendar quarters as dates: the arithmetic delivery's updates, KPIs and packs count by."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vrhub.errors import BadValue
from vrhub.measures.periods import quarter_bounds, quarter_index, quarter_label, quarter_of


@pytest.mark.parametrize(
    ("day", "quarter"),
    [
        (dt.date(2021, 1, 1), "2021-Q1"),
        (dt.date(2021, 3, 31), "2021-Q1"),
        (dt.date(2021, 4, 1), "2021-Q2"),
        (dt.date(2021, 9, 30), "2021-Q3"),
        (dt.date(2021, 10, 1), "2021-Q4"),
        (dt.date(2021, 12, 31), "2021-Q4"),
    ],
)
def test_a_day_falls_in_its_calendar_quarter(day: dt.date, quarter: str) -> None:
    assert quarter_of(day) == quarter


@pytest.mark.parametrize(
    ("quarter", "first", "last"),
    [
        ("2020-Q1", dt.date(2020, 1, 1), dt.date(2020, 3, 31)),
        ("2021-Q2", dt.date(2021, 4, 1), dt.date(2021, 6, 30)),
        ("2021-Q3", dt.date(2021, 7, 1), dt.date(2021, 9, 30)),
        ("2021-Q4", dt.date(2021, 10, 1), dt.date(2021, 12, 31)),  # ends inside its year, not on 1 January
    ],
)
def test_a_quarter_runs_from_its_first_day_to_its_last(quarter: str, first: dt.date, last: dt.date) -> None:
    assert quarter_bounds(quarter) == (first, last)


def test_the_difference_of_two_indexes_counts_the_quarters_between() -> None:
    assert quarter_index("2021-Q4") == 2021 * 4 + 3
    assert quarter_index("2021-Q1") - quarter_index("2020-Q3") == 2  # across a year's end
    assert quarter_label(quarter_index("2021-Q4") + 1) == "2022-Q1"
    assert quarter_label(quarter_index("2020-Q1") - 1) == "2019-Q4"


@pytest.mark.parametrize("written", ["2021-Q5", "2021-Q0", "2021Q4", "21-Q4", "2021-q4", ""])
def test_a_quarter_written_wrong_names_the_parameter_and_the_value(written: str) -> None:
    for arithmetic in (quarter_index, quarter_bounds):
        with pytest.raises(BadValue) as raised:
            arithmetic(written)
        error = raised.value
        assert error.parameter == "quarter" and error.value == written and error.exit_code == 2
        assert error.message == f"'{written}' is not a quarter" and "2021-Q4" in error.hint


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_every_day_lies_within_its_quarter_and_quarters_follow_one_another(day: dt.date) -> None:
    quarter = quarter_of(day)
    first, last = quarter_bounds(quarter)
    assert first <= day <= last
    assert quarter_of(last + dt.timedelta(days=1)) == quarter_label(quarter_index(quarter) + 1)
    assert quarter_of(first - dt.timedelta(days=1)) == quarter_label(quarter_index(quarter) - 1)
