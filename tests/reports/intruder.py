"""An intruder's audit of published measure rows, written apart from vrhub.reports.disclosure so that it
checks the rule rather than repeats the code: from the published figures alone, and every way the true
figures add up, how well can each '*' be worked out?

The intruder knows a rounded r to be r-2..r+2 (a 0 exactly), an exact force total exactly, and a '*' only
to be at least 0. Every sum that holds in the true figures is known to them as an equation (parts add to
the total) or an inequality (parts add to at most it). A linear programme then gives each '*' its least
and greatest possible value.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from scipy.optimize import linprog

WIDTH = 8  # a '*' must be uncertain over at least this many, or as uncertain as its exact totals allow
MONTHS = {"year": lambda m: m[:4], "quarter": lambda m: f"{m[:4]}-Q{(int(m[5:7]) - 1) // 3 + 1}"}


def _financial_year(month: str) -> str:
    year = int(month[:4]) - (int(month[5:7]) < 4)
    return f"{year}/{(year + 1) % 100:02d}"


MONTHS["financial-year"] = _financial_year


def sums(true: pd.DataFrame, force: str) -> list[tuple[int, list[int], bool]]:
    """(total row, part rows, exact) for every sum that holds among the true count rows (by position)."""
    f = true.reset_index(drop=True).assign(
        period=lambda d: d["period"].astype(str), breakdown=lambda d: d["breakdown"].fillna("")
    )
    f["dim"] = f["breakdown"].str.partition("=")[0]
    found = []

    def add(rows: pd.DataFrame, total_mask: pd.Series) -> None:
        totals, parts = rows.index[total_mask], rows.index[~total_mask]
        if len(totals) != 1 or not len(parts):
            return
        gap = f.at[totals[0], "value"] - f.loc[parts, "value"].sum()
        if gap >= 0:
            found.append((int(totals[0]), [int(p) for p in parts], gap == 0))

    for _, rows in f.groupby(["measure_id", "period", "breakdown"]):
        add(rows, rows["area_code"] == force)
    for dim in set(f["dim"]) - {""}:
        sub = f[(f["dim"] == dim) | (f["breakdown"] == "")]
        for _, rows in sub.groupby(["measure_id", "period", "area_code"]):
            add(rows, rows["breakdown"] == "")
    months = f[f["period"].str.fullmatch(r"\d{4}-\d{2}")]
    for kind, label in MONTHS.items():
        for (measure, area, breakdown, coarse), parts in months.groupby(
            ["measure_id", "area_code", "breakdown", months["period"].map(label)]
        ):
            total = f[
                (f["measure_id"] == measure)
                & (f["area_code"] == area)
                & (f["breakdown"] == breakdown)
                & (f["period"] == coarse)
            ]
            if len(total) == 1 and kind:
                rows = pd.concat([total, parts])
                add(rows, pd.Series(rows.index == total.index[0], index=rows.index))
    return found


def _bounds(shown: pd.Series, hidden: np.ndarray) -> list[tuple[float, float | None]]:
    out: list[tuple[float, float | None]] = []
    for value, is_hidden in zip(shown, hidden, strict=True):
        if is_hidden:
            out.append((0.0, None))
        else:
            v = float(value)
            out.append((v, v) if v == 0 else (max(v - 2, 0), v + 2))
    return out


def _range(
    cells: Iterable[int], n: int, relations: list[tuple[int, list[int], bool]], bounds: list
) -> tuple[float, float]:
    cost = np.zeros(n)
    cost[list(cells)] = 1.0
    eq, ub = [], []
    for total, parts, exact in relations:
        row = np.zeros(n)
        row[parts] = 1.0
        row[total] -= 1.0
        (eq if exact else ub).append(row)
    ends = []
    for sign in (1.0, -1.0):
        res = linprog(
            sign * cost,
            A_eq=np.array(eq) if eq else None,
            b_eq=np.zeros(len(eq)) if eq else None,
            A_ub=np.array(ub) if ub else None,
            b_ub=np.zeros(len(ub)) if ub else None,
            bounds=bounds,
            method="highs",
        )
        assert res.status in (0, 3), res.message  # 3: unbounded
        ends.append(np.inf if res.status == 3 else sign * res.fun)
    return ends[0], ends[1]


def problems(true: pd.DataFrame, published: pd.DataFrame, force: str) -> list[str]:
    """What an intruder can work out: a '*' pinned narrower than WIDTH (and than its exact totals
    alone would pin it), hidden parts of a shown total that sum to under WIDTH while parts stay shown,
    and any 1-7 shown below the force-wide total."""
    counts = (true["unit"] != "percent").to_numpy()
    t = true[counts].reset_index(drop=True)
    p = published[counts].reset_index(drop=True)
    found = []
    exact = (t["area_code"] == force) & (t["breakdown"].fillna("") == "")
    for i, value in p["value"].items():
        if value != "*" and value is not None and not exact[i] and 1 <= float(value) <= 7:
            found.append(f"row {i} shows {value}")
    hidden = (p["value"] == "*").to_numpy()
    if not hidden.any():
        return found
    relations = sums(t, force)
    shown = p["value"].where(~hidden, 0).where(~exact, t["value"])
    bounds = _bounds(shown.fillna(0), hidden)
    everything = ~exact.to_numpy() & t["value"].notna().to_numpy()
    best = _bounds(shown.fillna(0), everything)  # the most a table of exact totals can hide
    # Only the rows tied to a hidden cell matter; solving per connected table keeps each LP small.
    for cells in _tables(len(t), relations):
        local = [r for r in relations if r[0] in cells]
        index = sorted(cells)
        at = {c: k for k, c in enumerate(index)}
        rel = [(at[a], [at[b] for b in parts], e) for a, parts, e in local]
        lb = [bounds[c] for c in index]
        lb_best = [best[c] for c in index]
        for c in index:
            if not hidden[c]:
                continue
            low, high = _range([at[c]], len(index), rel, lb)
            if high - low < WIDTH - 1e-6:
                b_low, b_high = _range([at[c]], len(index), rel, lb_best)
                if high - low < min(WIDTH, b_high - b_low) - 1e-6:
                    found.append(f"row {c} ({_name(t, c)}) is {low:g}..{high:g}")
        for total, parts, _ in rel:
            gone = [q for q in parts if hidden[index[q]]]
            left = [q for q in parts if not hidden[index[q]] and everything[index[q]]]
            if gone and left and not hidden[index[total]]:
                _, high = _range(gone, len(index), rel, lb)
                if high < WIDTH - 1e-6:
                    found.append(
                        f"hidden parts of row {index[total]} ({_name(t, index[total])}) sum to {high:g}"
                    )
    return found


def _name(t: pd.DataFrame, i: int) -> str:
    row = t.iloc[i]
    return f"{row['measure_id']} {row['period']} {row['area_code']} {row['breakdown'] or 'whole'}"


def _tables(n: int, relations: list[tuple[int, list[int], bool]]) -> list[set[int]]:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for total, parts, _ in relations:
        for q in parts:
            parent[find(q)] = find(total)
    groups: dict[int, set[int]] = {}
    for total, parts, _ in relations:
        groups.setdefault(find(total), set()).update([total, *parts])
    return list(groups.values())
