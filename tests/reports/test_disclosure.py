"""Disclosure control: 1-7 suppressed, the rest rounded to 5, and no suppressed cell recoverable."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.reports.intruder import problems
from vrhub.reports.disclosure import SUPPRESSED, protect, public_measures


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


@settings(deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=25), min_size=2, max_size=4))
def test_no_suppressed_cell_is_recoverable_from_the_total(cells: list[int]) -> None:
    assert not recoverable(cells, sum(cells))


def test_missing_values_stay_missing() -> None:
    assert protect(pd.Series([np.nan, 9.0]), groups=[]).tolist() == [None, 10]


# -- secondary suppression by difference (issue 12, item 11) -------------------------------------------

BOROUGHS = ["E08000011", "E08000012", "E08000013", "E08000014", "E08000015"]
FORCE = "E23000004"


def _rows(values: dict[tuple[str, str], float], period: str = "2021") -> pd.DataFrame:
    """Measure rows for one measure: {(area, breakdown): count}."""
    return pd.DataFrame(
        [
            {
                "measure_id": "m",
                "period": period,
                "area_code": area,
                "area_name": area,
                "breakdown": breakdown,
                "value": float(v),
                "unit": "offences",
                "rate_per_100k": 1.0,
                "change_vs_previous_pct": 0.0,
                "change_vs_baseline_pct": 0.0,
                "definition_version": "x",
            }
            for (area, breakdown), v in values.items()
        ]
    )


def test_zeros_beside_two_stars_do_not_give_their_sum_away() -> None:
    # The case: Merseyside 2, boroughs 0/1/0/0/1. Showing 0/*/0/0/* gives the two '*' a sum of 2
    # (each 1). No cell lifts the hidden sum to 8, so every borough is hidden.
    frame = _rows({(FORCE, ""): 2, **{(b, ""): v for b, v in zip(BOROUGHS, [0, 1, 0, 0, 1], strict=True)}})
    shown = public_measures(frame, FORCE)["value"].tolist()
    assert shown == [2, "*", "*", "*", "*", "*"]
    assert problems(frame, public_measures(frame, FORCE), FORCE) == []


def test_partner_is_the_smallest_cell_that_lifts_the_hidden_sum_to_8() -> None:
    # Force 60: boroughs 3, 0, 4, 6, 47. 3 and 4 are '*' (hidden sum 7 < 8). Need 1 more: the smallest
    # cell holding at least 1 is 6 (the 0 would leave the sum at 7). 0 and 47 -> 45 stay shown.
    frame = _rows({(FORCE, ""): 60, **{(b, ""): v for b, v in zip(BOROUGHS, [3, 0, 4, 6, 47], strict=True)}})
    assert public_measures(frame, FORCE)["value"].tolist() == [60, "*", 0, "*", "*", 45]


def test_before_the_fix_the_zeros_gave_the_stars_away() -> None:
    # Force 2, boroughs 0/1/0/0/1: the old rule (one partner for a lone '*') left 0/*/0/0/*, which the
    # intruder's audit reports; the sum rule hides the zeros too.
    frame = _rows({(FORCE, ""): 2, **{(b, ""): v for b, v in zip(BOROUGHS, [0, 1, 0, 0, 1], strict=True)}})
    old = frame.assign(value=[2, 0, "*", 0, 0, "*"])
    assert problems(frame, old, FORCE) != []


def test_a_two_way_table_is_protected_in_both_directions() -> None:
    # Boroughs by sex under borough totals and force-by-sex totals (rows and columns both add up).
    # Knowsley f 2, m 30; Liverpool f 1, m 40; St Helens and Sefton f 20, m 20; force 153 (exact).
    # Rows: Knowsley's 2 needs 6 more hidden beside it: m 30; Liverpool's 1 needs 7: m 40.
    # Columns: force female 43 (shown 45) less the shown 20 + 20 leaves the hidden 2 + 1 = 3, under 8:
    # the smallest female cell holding 5 or more, St Helens' 20, is hidden, and then St Helens' male 20
    # beside it (a lone '*' in its row). Male: 110 - 20 leaves 90 hidden, enough.
    counts = {"E08000011": (2, 30), "E08000012": (1, 40), "E08000013": (20, 20), "E08000014": (20, 20)}
    values: dict[tuple[str, str], float] = {}
    for area, (f, m) in counts.items():
        values[(area, "")] = f + m
        values[(area, "sex=female")] = f
        values[(area, "sex=male")] = m
    values[(FORCE, "")] = sum(f + m for f, m in counts.values())
    values[(FORCE, "sex=female")] = sum(f for f, _ in counts.values())
    values[(FORCE, "sex=male")] = sum(m for _, m in counts.values())
    frame = _rows(values)
    published = public_measures(frame, FORCE)
    shown = {
        (a, b): v
        for a, b, v in zip(published["area_code"], published["breakdown"], published["value"], strict=True)
    }
    hidden = {key for key, v in shown.items() if v == SUPPRESSED}
    assert hidden == {
        (a, f"sex={s}") for a in ("E08000011", "E08000012", "E08000013") for s in ("female", "male")
    }
    assert shown[("E08000011", "")] == 30 and shown[(FORCE, "sex=female")] == 45
    assert problems(frame, published, FORCE) == []


def test_months_add_up_to_their_year() -> None:
    # A borough's months: 3 in January, 0 in the other eleven; its year 3 is '*' as well, and so the
    # months' hidden sum (3) is under a hidden total: fine. Force months and year are exact.
    rows = []
    for month in range(1, 13):
        v = 3 if month == 1 else 0
        rows.append(
            _rows({(FORCE, ""): v + 10, ("E08000011", ""): v, ("E08000012", ""): 10}, f"2021-{month:02d}")
        )
    rows.append(_rows({(FORCE, ""): 123, ("E08000011", ""): 3, ("E08000012", ""): 120}, "2021"))
    frame = pd.concat(rows, ignore_index=True)
    published = public_measures(frame, FORCE)
    assert problems(frame, published, FORCE) == []
    jan = published[(published["period"] == "2021-01")].set_index("area_code")["value"]
    assert jan["E08000011"] == "*" and jan["E08000012"] == "*"  # the lone '*' of January gets a partner
