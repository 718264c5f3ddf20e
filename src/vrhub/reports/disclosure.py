"""Statistical disclosure control for public outputs, following the NHS HES rule, with secondary
suppression so that no hidden count can be worked out by difference.

Primary: below the force-wide total, a count of 1 to 7 is shown as '*' and every other count is rounded
to the nearest 5 (a shown 0 is an exact 0).

Secondary: cells that add up to a published total (boroughs to Merseyside, age bands to their area's
figure, months to their year) form a *relation*. A reader can subtract the shown cells from the total and
learn the sum of the hidden ones, so in every relation whose total is shown the hidden parts must be at
least two and must hold at least THRESHOLD (8) between them (the standard rule: the suppressed cells of a
row must not themselves sum to a small number). A shown 0 beside a '*' counts as shown: force 2, boroughs
0/*/0/0/* would give the two '*' a sum of 2, so more cells are hidden until the sum reaches 8 or every
borough is hidden. Partners are chosen to hide as little as possible: the smallest cell that lifts the
hidden sum to 8, else the largest there is.

A cell can sit in two relations (a borough's figure is a part of Merseyside's and the total of its own
age bands), where the per-relation rule is not enough. So each table that has such cells is audited
by linear programming, as an intruder would: every shown cell is known to within its rounding, an exact
total exactly, a '*' only to be at least 0; for each '*' the smallest and largest value consistent with
all the relations must differ by at least THRESHOLD, or another cell is hidden beside it. A '*' therefore
reads "suppressed to protect a small number": a count of 1 to 7, or a cell hidden beside one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linprog
from scipy.sparse import csr_array

from vrhub.measures import periods

SUPPRESSED = "*"
LOW, HIGH = 1, 7  # the NHS HES suppression range
BASE = 5  # rounding base
THRESHOLD = HIGH + 1  # hidden cells of a relation must hold at least this many between them
MAX_ROUNDS = 50  # each round hides at least one more cell; a table has far fewer rounds' worth of cells


@dataclass(frozen=True)
class Relation:
    """Cells that add up to a published total, by position. `exact`: the parts sum to the total; else
    they sum to at most it (records in no part, such as offences with no borough)."""

    total: int
    parts: tuple[int, ...]
    exact: bool = True


def round_to_base(values: pd.Series) -> pd.Series:
    # Half away from zero, as HES does (Python's round would send 2.5 to 2).
    return (np.floor(values.astype("float64") / BASE + 0.5) * BASE).astype("int64")


def reader_bounds(
    values: np.ndarray, suppressed: np.ndarray, exempt: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """What a reader of the published cells knows of each true count: a rounded r is r-2..r+2 (0 is
    exactly 0, as 1 and 2 would be '*'); an exact total is itself; a '*' is only at least 0."""
    rounded = round_to_base(pd.Series(np.nan_to_num(values))).to_numpy().astype("float64")
    half = BASE // 2
    low = np.where(rounded > 0, np.maximum(rounded - half, 0), 0.0)
    high = np.where(rounded > 0, rounded + half, 0.0)
    low = np.where(exempt, values, low)
    high = np.where(exempt, values, high)
    low = np.where(suppressed, 0.0, low)
    high = np.where(suppressed, np.inf, high)
    return low, high


def interval_widths(
    cells: Sequence[int], relations: Sequence[Relation], low: np.ndarray, high: np.ndarray
) -> dict[int, float]:
    """For each of `cells`, max minus min of its value over everything consistent with `relations` and
    the per-cell bounds (a linear relaxation: an intruder working with whole numbers learns no more
    than an interval's integer points)."""
    used = sorted({i for r in relations for i in (r.total, *r.parts)} | set(cells))
    at = {cell: k for k, cell in enumerate(used)}
    eq_rows: list[int] = []
    eq_cols: list[int] = []
    eq_vals: list[float] = []
    ub_rows: list[int] = []
    ub_cols: list[int] = []
    ub_vals: list[float] = []
    n_eq = n_ub = 0
    for r in relations:
        rows, cols, vals = (eq_rows, eq_cols, eq_vals) if r.exact else (ub_rows, ub_cols, ub_vals)
        row = n_eq if r.exact else n_ub
        # parts - total = 0 (or <= 0)
        rows.extend([row] * (len(r.parts) + 1))
        cols.extend([*(at[p] for p in r.parts), at[r.total]])
        vals.extend([1.0] * len(r.parts) + [-1.0])
        if r.exact:
            n_eq += 1
        else:
            n_ub += 1
    n = len(used)
    a_eq = csr_array((eq_vals, (eq_rows, eq_cols)), shape=(n_eq, n)) if n_eq else None
    a_ub = csr_array((ub_vals, (ub_rows, ub_cols)), shape=(n_ub, n)) if n_ub else None
    bounds = [(low[i], None if np.isinf(high[i]) else high[i]) for i in used]
    widths = {}
    for cell in cells:
        c = np.zeros(n)
        c[at[cell]] = 1.0
        ends = []
        for sign in (1.0, -1.0):
            res = linprog(
                sign * c,
                A_ub=a_ub,
                b_ub=np.zeros(n_ub) if n_ub else None,
                A_eq=a_eq,
                b_eq=np.zeros(n_eq) if n_eq else None,
                bounds=bounds,
                method="highs",
            )
            if res.status == 3:  # unbounded above
                ends.append(np.inf)
            elif res.status != 0:
                raise RuntimeError(f"disclosure audit: the published table is inconsistent ({res.message})")
            else:
                ends.append(sign * res.fun)
        widths[cell] = ends[1] - ends[0]
    return widths


def _choose(candidates: np.ndarray, values: np.ndarray, need: float) -> int:
    """The cell to hide: the smallest that lifts the hidden sum to `need`, else the largest."""
    vals = values[candidates]
    enough = candidates[vals >= need]
    if len(enough):
        return int(enough[np.argmin(values[enough])])
    return int(candidates[np.argmax(vals)])


def _secondary_pass(
    values: np.ndarray, suppressed: np.ndarray, fixed: np.ndarray, relations: Sequence[Relation]
) -> bool:
    """The per-relation rule, applied until nothing changes. Returns whether anything was hidden."""
    any_change = False
    changed = True
    while changed:
        changed = False
        for r in relations:
            parts = np.asarray(r.parts)
            hidden = parts[suppressed[parts]]
            open_parts = parts[~suppressed[parts] & ~fixed[parts]]
            if suppressed[r.total]:
                # A hidden total with every part shown is the sum of the parts.
                if len(hidden) == 0 and len(open_parts):
                    suppressed[_choose(open_parts, values, THRESHOLD)] = True
                    changed = True
                continue
            if len(hidden) == 0:
                continue
            recoverable = values[r.total] - values[parts[~suppressed[parts]]].sum()
            while (len(hidden) < 2 or recoverable < THRESHOLD) and len(open_parts):
                pick = _choose(open_parts, values, THRESHOLD - recoverable)
                suppressed[pick] = True
                recoverable += values[pick]
                hidden = np.append(hidden, pick)
                open_parts = open_parts[open_parts != pick]
                changed = True
        any_change |= changed
    return any_change


def _components(n: int, relations: Sequence[Relation]) -> list[list[int]]:
    """Indices (into `relations`) of relations that share cells, transitively."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for r in relations:
        root = find(r.total)
        for p in r.parts:
            parent[find(p)] = root
    groups: dict[int, list[int]] = {}
    for k, r in enumerate(relations):
        groups.setdefault(find(r.total), []).append(k)
    return list(groups.values())


def suppress(values: pd.Series, relations: Sequence[Relation], exempt: pd.Series | None = None) -> np.ndarray:
    """Which cells to show as '*': 1-7 below the exempt totals, and the secondary cells that keep every
    hidden cell from being worked out (to within THRESHOLD) from the rest."""
    v = values.astype("float64").to_numpy()
    fixed = exempt.to_numpy(dtype=bool) if exempt is not None else np.zeros(len(v), dtype=bool)
    fixed = fixed | np.isnan(v)  # a missing figure is shown as missing: no cell to hide
    v = np.nan_to_num(v)
    suppressed = (v >= LOW) & (v <= HIGH) & ~fixed
    in_relations = np.zeros(len(v), dtype=int)
    for r in relations:
        in_relations[r.total] += 1
        in_relations[list(r.parts)] += 1
    # Only a table where some cell is in two relations can defeat the per-relation rule: audit those.
    audited = [
        [relations[k] for k in comp]
        for comp in _components(len(v), relations)
        if any(in_relations[i] > 1 for k in comp for i in (relations[k].total, *relations[k].parts))
    ]
    passed: dict[int, frozenset[int]] = {}  # a component's hidden cells when it last passed the audit
    for _ in range(MAX_ROUNDS):
        _secondary_pass(v, suppressed, fixed, relations)
        low, high = reader_bounds(v, suppressed, fixed)
        added = False
        for k, comp in enumerate(audited):
            cells = sorted({i for r in comp for i in (r.total, *r.parts) if suppressed[i]})
            if not cells or passed.get(k) == frozenset(cells):
                continue
            widths = interval_widths(cells, comp, low, high)
            for cell in (c for c in cells if widths[c] < THRESHOLD):
                beside = {
                    i
                    for r in comp
                    if cell == r.total or cell in r.parts
                    for i in (r.total, *r.parts)
                    if not suppressed[i] and not fixed[i]
                }
                if beside:
                    suppressed[_choose(np.array(sorted(beside)), v, THRESHOLD)] = True
                    added = True
                    break  # audit again before hiding more: one more '*' may protect several cells
            else:
                # Every narrow cell has nothing left to hide beside it: as protected as its totals allow.
                passed[k] = frozenset(cells)
        if not added:
            break
    return suppressed


def protect_cells(
    values: pd.Series, relations: Sequence[Relation], exempt: pd.Series | None = None
) -> pd.Series:
    """The published form of each count: its rounded value, or '*', or exact where `exempt`."""
    exempt = exempt if exempt is not None else pd.Series(False, index=values.index)
    hidden = suppress(values, relations, exempt)
    values = values.astype("float64")
    shown = round_to_base(values.fillna(0)).astype("object")
    shown[exempt.to_numpy()] = values[exempt.to_numpy()].astype("int64")
    shown[hidden] = SUPPRESSED
    shown[values.isna().to_numpy()] = None
    return shown


def protect(values: pd.Series, groups: list[pd.Series], exempt: pd.Series | None = None) -> pd.Series:
    """`protect_cells` where each group (a Series of group labels; NaN: in no group) adds up to a total
    published elsewhere: each group is given that total as an exact cell of its own."""
    values = values.astype("float64")
    n = len(values)
    extra: list[float] = []
    relations: list[Relation] = []
    for group in groups:
        labels = pd.Series(group.to_numpy(), dtype="object")
        for _, positions in labels.dropna().groupby(labels.dropna(), sort=False).groups.items():
            parts = tuple(int(p) for p in positions)
            relations.append(Relation(total=n + len(extra), parts=parts))
            extra.append(float(np.nansum(values.to_numpy()[list(parts)])))
    all_values = pd.Series(np.concatenate([values.to_numpy(), np.asarray(extra, dtype="float64")]))
    ex = exempt.to_numpy(dtype=bool) if exempt is not None else np.zeros(n, dtype=bool)
    all_exempt = pd.Series(np.concatenate([ex, np.ones(len(extra), dtype=bool)]))
    shown = protect_cells(all_values, relations, all_exempt)
    return pd.Series(shown.to_numpy()[:n], index=values.index, dtype="object")


def additive(
    frame: pd.DataFrame, within: list[str], is_total: pd.Series, value: str = "value"
) -> list[Relation]:
    """Relations among `frame`'s rows (by position): in each group of `within`, the one `is_total` row
    and the others. Kept only where the parts add up to the total, or to less (records in no part);
    parts that add up to more (a crime counted once per victim's band) are no subtraction to guard."""
    values = frame[value].astype("float64").to_numpy()
    total_mask = is_total.to_numpy(dtype=bool)
    keys = frame[within].astype(str).agg("|".join, axis=1).to_numpy() if within else np.zeros(len(frame))
    order = np.argsort(keys, kind="stable")
    relations = []
    for group in np.split(order, np.flatnonzero(keys[order][1:] != keys[order][:-1]) + 1):
        totals = group[total_mask[group]]
        parts = group[~total_mask[group]]
        if len(totals) != 1 or len(parts) == 0 or np.isnan(values[group]).any():
            continue
        gap = values[totals[0]] - values[parts].sum()
        if gap >= -1e-9:
            relations.append(Relation(int(totals[0]), tuple(int(p) for p in parts), exact=bool(gap <= 1e-9)))
    return relations


def dimension_of(breakdown: pd.Series) -> pd.Series:
    return breakdown.fillna("").str.split("=").str[0]


def measure_relations(frame: pd.DataFrame, force_code: str) -> list[Relation]:
    """Every way measure rows (the engine's columns, counts only) add up: boroughs to the force within a
    period and breakdown value; a breakdown's values to the whole figure of their area and period; and
    months (or the finest period present) to each coarser period that holds them."""
    f = frame.reset_index(drop=True)
    period = f["period"].astype(str)
    breakdown = f["breakdown"].fillna("")
    dimension = dimension_of(breakdown)
    whole = breakdown == ""
    relations = additive(
        f.assign(breakdown=breakdown, period=period),
        ["measure_id", "period", "breakdown"],
        f["area_code"] == force_code,
    )
    for dim in sorted(set(dimension[~whole])):
        rows = np.flatnonzero(((dimension == dim) | whole).to_numpy())
        sub = f.iloc[rows].assign(period=period.iloc[rows])
        for r in additive(sub, ["measure_id", "period", "area_code"], whole.iloc[rows]):
            relations.append(Relation(int(rows[r.total]), tuple(int(rows[p]) for p in r.parts), r.exact))
    kinds = period.map(periods.kind_of)
    present = [k for k in ("month", "quarter") if (kinds == k).any()]
    if present:
        finest = present[0]
        fine = np.flatnonzero((kinds == finest).to_numpy())
        first_month = pd.to_datetime(
            period.iloc[fine].str.replace(r"-Q(\d)", lambda m: f"-{3 * int(m.group(1)) - 2:02d}", regex=True)
            + "-01"
        )
        for coarse in ("quarter", "year", "financial-year"):
            if coarse == finest or not (kinds == coarse).any():
                continue
            label = pd.Series(periods.labels(coarse, first_month).to_numpy(), index=period.index[fine])
            rows = np.concatenate([fine, np.flatnonzero((kinds == coarse).to_numpy())])
            group_period = pd.concat([label, period.iloc[np.flatnonzero((kinds == coarse).to_numpy())]])
            sub = f.iloc[rows].assign(
                period=group_period.to_numpy(), breakdown=breakdown.iloc[rows].to_numpy()
            )
            is_total = pd.Series((kinds.iloc[rows] == coarse).to_numpy(), index=sub.index)
            for r in additive(sub, ["measure_id", "area_code", "breakdown", "period"], is_total):
                relations.append(Relation(int(rows[r.total]), tuple(int(rows[p]) for p in r.parts), r.exact))
    return relations


PUBLIC_COLUMNS = [
    "measure_id",
    "period",
    "area_code",
    "area_name",
    "breakdown",
    "value",
    "unit",
    "rate_per_100k",
    "change_vs_previous_pct",
    "change_vs_baseline_pct",
    "definition_version",
    "suppressed",
]


def public_measures(frame: pd.DataFrame, force_code: str) -> pd.DataFrame:
    """Measure rows (the engine's columns) as they may be published.

    Counts below the force-wide whole-population total follow the HES rule with secondary suppression
    over every relation among the rows given (see `measure_relations`): pass every row a reader may
    see together (all areas, the whole figure beside its breakdown) and filter afterwards. Rates are
    recomputed from the rounded count, and changes are given only where they came from force-wide exact
    totals: a borough's exact percentage change would undo the rounding. Percentages and reported
    indicator values are not counts of people and pass unchanged.
    """
    out = frame.copy()
    out["suppressed"] = False
    counts = (out["unit"] != "percent").to_numpy()
    whole = out["breakdown"].fillna("") == ""
    exempt = (out["area_code"] == force_code) & whole
    if counts.any():
        c = out[counts]
        relations = [
            r
            for unit in c["unit"].unique()
            for r in _offset(
                measure_relations(c[c["unit"] == unit], force_code),
                np.flatnonzero((c["unit"] == unit).to_numpy()),
            )
        ]
        shown = protect_cells(
            c["value"].reset_index(drop=True), relations, exempt[counts].reset_index(drop=True)
        )
        shown.index = c.index
        out["value"] = out["value"].astype("object")
        out.loc[counts, "value"] = shown
        out.loc[counts, "suppressed"] = shown == SUPPRESSED
        numeric = pd.to_numeric(shown.replace(SUPPRESSED, np.nan), errors="coerce")
        exact = c["value"].astype("float64").where(c["value"] > 0)
        out.loc[counts, "rate_per_100k"] = (c["rate_per_100k"] * numeric / exact).round(1)
        for column in ("change_vs_previous_pct", "change_vs_baseline_pct"):
            out.loc[counts & ~exempt, column] = np.nan
    return out[[col for col in PUBLIC_COLUMNS if col in out.columns]]


def _offset(relations: list[Relation], positions: np.ndarray) -> list[Relation]:
    return [
        Relation(int(positions[r.total]), tuple(int(positions[p]) for p in r.parts), r.exact)
        for r in relations
    ]
