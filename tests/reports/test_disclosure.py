"""Disclosure control: 1-7 suppressed, the rest rounded to 5, and no suppressed cell recoverable."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from vrhub.reports.disclosure import SUPPRESSED, protect


def test_hes_rule() -> None:
    values = pd.Series([0, 1, 7, 8, 12, 13, 102])
    shown = protect(values, groups=[])
    assert shown.tolist() == [0, "*", "*", 10, 10, 15, 100]


def test_exempt_totals_are_exact() -> None:
    values = pd.Series([3, 21, 24])
    shown = protect(values, groups=[], exempt=pd.Series([False, False, True]))
    assert shown.tolist() == ["*", 20, 24]


def test_a_lone_suppressed_cell_gets_a_partner() -> None:
    # Boroughs 3, 40, 12, 55 under an exact total of 110: 110 - (40 + 10 + 55) would give the 3 back.
    boroughs = pd.Series([3, 40, 12, 55, 110])
    group = pd.Series(["g", "g", "g", "g", None])
    shown = protect(boroughs, groups=[group], exempt=pd.Series([False, False, False, False, True]))
    assert shown.tolist() == ["*", 40, "*", 55, 110]


def recoverable(cells: list[int], total: int) -> bool:
    """Can a reader pin a suppressed cell to one value from the published cells and the exact total?"""
    shown = protect(
        pd.Series([*cells, total]),
        groups=[pd.Series(["g"] * len(cells) + [None])],
        exempt=pd.Series([False] * len(cells) + [True]),
    ).tolist()[:-1]
    hidden = [i for i, s in enumerate(shown) if s == SUPPRESSED]
    if not hidden:
        return False
    # Each published rounded value r stands for any count in [r-2, r+2]; a '*' for any count (it is 1-7, or
    # the partner suppressed beside a lone 1-7, which may be any size).
    ranges = [range(0, total + 1) if s == SUPPRESSED else range(max(0, s - 2), s + 3) for s in shown]
    for i in hidden:
        possible = set()
        others = [ranges[j] for j in range(len(cells)) if j != i]
        for combo in itertools.product(*others) if len(others) <= 5 else []:
            value = total - sum(combo)
            if 1 <= value <= 7 or value in ranges[i]:
                possible.add(value)
        if len(others) <= 5 and len(possible) == 1:
            return True
    return False


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=25), min_size=2, max_size=4))
def test_no_suppressed_cell_is_recoverable_from_the_total(cells: list[int]) -> None:
    assert not recoverable(cells, sum(cells))


def test_missing_values_stay_missing() -> None:
    assert protect(pd.Series([np.nan, 9.0]), groups=[]).tolist() == [None, 10]
