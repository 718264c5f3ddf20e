"""What a cohort output may show outside the analyst's person-level view: the small-number rules of the
published figures (`vrhub.reports.disclosure`): every count rounded to the nearest 5, a count of 1 to 7
shown as '*', and other cells hidden beside it wherever a total would give it away by subtraction
(people with the outcome and people without it add up to the people followed).

The summary, the estimates and the balance table are one output: their counts are protected together
(`protect_outputs`), with the relations a reader can use across them (a group's levels add up to its size,
a summary count; the whole cohort at a level is the matched members there plus the unmatched), so that a
figure hidden in one part cannot be worked out from another, nor can the few people a difference between
before and after matching would single out.

A figure worked from a hidden count hides with it: a Kaplan-Meier proportion and its CI where the people
with the outcome are hidden, a group's longest and median follow-up where its people are, a risk
difference where either group's are, a hazard ratio where either group's outcomes over the whole follow-up
are, a share or mean where its count or its group's size is. And no ratio carries more than the rounded
counts do: shares and means are worked from the published counts, Kaplan-Meier proportions and their CIs
put on a grid of 5 people (docs/cohorts.md, "Disclosure", has the worked examples).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from vrhub.cohorts.matching import smd
from vrhub.reports.disclosure import BASE, SUPPRESSED, THRESHOLD, Relation, protect_cells, round_to_base

GROUPS = ("cohort", "comparison")


def protect_counts(
    frame: pd.DataFrame, counts: Sequence[str], relations: Sequence[tuple[str, str]]
) -> pd.DataFrame:
    """Each row's `counts` as published; `relations` are (total, part) column pairs whose difference is a
    hidden third cell (people = with the outcome + without it)."""
    n = len(frame)
    columns = list(counts)
    values = [frame[c].astype("float64").to_numpy() for c in columns]
    extra = []
    rels = []
    for total, part in relations:
        rest = frame[total].astype("float64").to_numpy() - frame[part].astype("float64").to_numpy()
        extra.append(rest)
    flat = pd.Series(np.concatenate([*values, *extra]) if n else np.array([], dtype="float64"))
    position = {c: i * n for i, c in enumerate(columns)}
    for k, (total, part) in enumerate(relations):
        rest_at = (len(columns) + k) * n
        for row in range(n):
            rels.append(Relation(position[total] + row, (position[part] + row, rest_at + row)))
    shown = protect_cells(flat, rels)
    out = frame.copy()
    for c in columns:
        out[c] = shown.iloc[position[c] : position[c] + n].to_numpy()
    return out


def protect_estimates(estimates: pd.DataFrame) -> pd.DataFrame:
    counts = [f"{g}_{c}" for g in GROUPS for c in ("people", "with_outcome", "events", "followed")]
    present = [c for c in counts if c in estimates.columns]
    relations = [(f"{g}_people", f"{g}_with_outcome") for g in GROUPS if f"{g}_people" in present]
    out = protect_counts(_rounded(estimates), present, relations)
    out = out.astype({c: "object" for c in out.columns if c not in ("outcome", "title", "follow_up_months")})
    none = pd.Series(False, index=out.index)
    hidden = {
        g: out[f"{g}_with_outcome"].eq(SUPPRESSED) if f"{g}_with_outcome" in out else none for g in GROUPS
    }
    for g in GROUPS:
        _hide(out, hidden[g], [f"{g}_proportion", f"{g}_ci_low", f"{g}_ci_high"])
        if f"{g}_people" in out:  # a few people's follow-up would give their start dates away
            _hide(out, out[f"{g}_people"].eq(SUPPRESSED), [f"{g}_longest_months", f"{g}_median_months"])
    either = hidden["cohort"] | hidden["comparison"]
    _hide(out, either, ["risk_difference", "rd_ci_low", "rd_ci_high"])
    # The hazard ratio is one per outcome, over the whole follow-up: hidden where either group's outcomes
    # by the longest horizon are.
    longest = out.groupby("outcome")["follow_up_months"].transform("max") == out["follow_up_months"]
    hr_hidden = either[longest].groupby(out.loc[longest, "outcome"]).any()
    _hide(
        out,
        out["outcome"].map(hr_hidden).fillna(False).astype(bool),
        ["hazard_ratio", "hr_ci_low", "hr_ci_high"],
    )
    out["suppressed"] = out.eq(SUPPRESSED).any(axis=1)
    return out


# Published to whole percentage points (a proportion) or two decimals (a ratio): an exact proportion beside
# its rounded count would give the count back.
_DECIMALS = {
    "proportion": 2,
    "ci_low": 2,
    "ci_high": 2,
    "risk_difference": 2,
    "rd_ci_low": 2,
    "rd_ci_high": 2,
}
_RATIOS = ("hazard_ratio", "hr_ci_low", "hr_ci_high")


def _rounded(estimates: pd.DataFrame) -> pd.DataFrame:
    out = estimates.copy()
    for c in out.columns:
        if c.endswith(tuple(_DECIMALS)) or c in _RATIOS:
            out[c] = out[c].astype("float64").round(2) + 0.0  # no -0.0
    return out


def _hide(frame: pd.DataFrame, rows: pd.Series, columns: Sequence[str]) -> None:
    for c in columns:
        if c in frame:
            frame.loc[rows, c] = SUPPRESSED


# Each group of the balance table, as (its count column, its size column, the summary count that is its size).
_BALANCE_GROUPS = {
    "cohort": ("count", "n", "members"),
    "before": ("count_before", "n_before", "comparison_pool"),
    "analysed": ("count_analysed", "n_analysed", "matched"),
    "after": ("count_after", "n_after", "matched"),
}
_MEANS = {"cohort": "mean", "before": "mean_before", "analysed": "mean_analysed", "after": "mean_after"}
# Whose difference is a hidden third cell: the whole cohort less the matched members are the unmatched; the
# comparison pool less the matches chosen from it are those not chosen.
_DIFFERENCES = (("cohort", "analysed"), ("before", "after"))
CONTACTS = "contacts_12m"  # a mean of contacts, not a share of people


class _Cells:
    """Counts and the relations among them, for one call of `protect_cells` over every part at once."""

    def __init__(self) -> None:
        self.values: list[float] = []
        self.relations: list[Relation] = []

    def add(self, value: float) -> int:
        self.values.append(float(value))
        return len(self.values) - 1

    def relate(self, total: int, parts: Sequence[int]) -> None:
        """`total` = sum of `parts` (or more: people in no part); nothing where the parts add up to more."""
        gap = self.values[total] - sum(self.values[p] for p in parts)
        if parts and gap >= -1e-9:
            self.relations.append(Relation(total, tuple(parts), exact=bool(gap <= 1e-9)))

    def difference(self, total: int, part: int) -> None:
        """`total` - `part` as a cell never published, which a reader can still work out from the two."""
        rest = self.add(self.values[total] - self.values[part])
        self.relate(total, [part, rest])


def _protect_summary_and_balance(
    summary: dict[str, object], counts: Sequence[str], balance: pd.DataFrame
) -> tuple[dict[str, object], dict[str, pd.Series], dict[str, object]]:
    """The summary's counts, each balance group's count at each level and its contacts in the 12 months
    before, protected together: a level's people are a part of the group's size (a summary count), and the
    whole cohort's are the matched members' plus the unmatched (the pool's, the matches' plus those not
    chosen), so a figure hidden in one part cannot be worked out from another, nor the few people that the
    difference between before and after matching would single out."""
    cells = _Cells()
    at = {c: cells.add(float(summary[c])) for c in counts}  # type: ignore[arg-type]
    for total, part in (("members", "matched"), ("comparison_pool", "matched")):
        if {total, part} <= set(at):
            cells.difference(at[total], at[part])
    levels = balance[balance["covariate"] != CONTACTS]
    contacts = balance[balance["covariate"] == CONTACTS]
    level_cells: dict[str, list[int]] = {}
    sum_cells: dict[str, int] = {}
    for g, (count, n, size) in _BALANCE_GROUPS.items():
        values = levels[count].astype("float64").to_numpy()
        if g == "after":
            # The matches are alike to the matched members at every level (matched exactly within
            # strata): the same count, so the same cell, shown or hidden with it.
            same = values == levels["count_analysed"].astype("float64").to_numpy()
            level_cells[g] = [
                level_cells["analysed"][k] if same[k] else cells.add(v) for k, v in enumerate(values)
            ]
        else:
            level_cells[g] = [cells.add(v) for v in values]
        exact_n = float(balance[n].iloc[0]) if len(balance) else 0.0
        # The group's size is the summary's count (the same people): a cell of its own only if it is not.
        size_cell = at[size] if size in at and cells.values[at[size]] == exact_n else cells.add(exact_n)
        for _, rows in levels.groupby("covariate", sort=False).indices.items():
            cells.relate(size_cell, [level_cells[g][i] for i in rows])
        if len(contacts):
            # Contacts summed over the group: a count (of contacts), published only through the mean.
            mean = float(contacts[_MEANS[g]].iloc[0]) if exact_n else 0.0
            contacts_sum = round(mean * exact_n)
            alike = g == "after" and cells.values[sum_cells["analysed"]] == contacts_sum
            sum_cells[g] = sum_cells["analysed"] if alike else cells.add(contacts_sum)
        sum_cells[f"n_{g}"] = size_cell
    for whole, part in _DIFFERENCES:
        for i, j in zip(level_cells[whole], level_cells[part], strict=True):
            cells.difference(i, j)
        if whole in sum_cells:
            cells.difference(sum_cells[whole], sum_cells[part])
    shown = protect_cells(pd.Series(cells.values, dtype="float64"), cells.relations).to_numpy()
    published = {**summary, **{c: shown[at[c]] for c in counts}}
    by_group = {
        g: pd.Series(shown[level_cells[g]], index=levels.index, dtype="object") for g in _BALANCE_GROUPS
    }
    sums = {k: shown[v] for k, v in sum_cells.items()}
    return published, by_group, sums


def _ratio(numerator: object, denominator: object) -> object:
    """A published share or mean from published counts: hidden where either is."""
    if SUPPRESSED in (numerator, denominator):
        return SUPPRESSED
    d = float(denominator)  # type: ignore[arg-type]
    return round(float(numerator) / d, 2) + 0.0 if d else 0.0  # type: ignore[arg-type]


def _published_balance(
    balance: pd.DataFrame, by_group: dict[str, pd.Series], sums: dict[str, object]
) -> pd.DataFrame:
    """Each share is worked from the published count over the published size of its group, each mean of
    contacts from the published sum of contacts over the same: exact shares beside rounded sizes would give
    the exact counts back (0.25, 0.33 and 0.36 fit 36 people and no other number near 35)."""
    out = balance.copy().astype("object")
    contacts = balance["covariate"] == CONTACTS
    for g, mean in _MEANS.items():
        size = sums[f"n_{g}"]
        out.loc[~contacts, mean] = [_ratio(c, size) for c in by_group[g]]
        if contacts.any():
            out.loc[contacts, mean] = _ratio(sums[g], size)
    for column, (a, b) in (
        ("smd_before", ("mean", "mean_before")),
        ("smd_after", ("mean_analysed", "mean_after")),
    ):
        hidden = out[a].eq(SUPPRESSED) | out[b].eq(SUPPRESSED)
        # A share's SMD from the published shares (its variance is the share's own, p(1 - p)), so that it
        # gives back nothing they do not; the SMD of contacts is over their standard deviations, which are
        # not published: worked from the exact figures, it gives back neither mean.
        shares = ~hidden & ~contacts
        p, q = out.loc[shares, a].astype("float64"), out.loc[shares, b].astype("float64")
        out.loc[shares, column] = smd(p, p * (1 - p), q, q * (1 - q)).round(2).to_numpy() + 0.0
        out.loc[contacts & ~hidden, column] = (
            balance.loc[contacts & ~hidden, column].astype("float64").round(2) + 0.0
        )
        out.loc[hidden, column] = SUPPRESSED
    # Matched exactly within strata, the matched members and their matches are alike at a level: an SMD
    # after matching of 0 by construction, which gives back nothing of the shares hidden beside it.
    alike = ~contacts & (balance["count_analysed"] == balance["count_after"])
    out.loc[alike, "smd_after"] = 0.0
    # The groups' sizes are the summary's (protected there); the counts under each share leave with it.
    return out.drop(columns=[c for c in out.columns if c.startswith(("count", "n"))])


def protect_outputs(
    estimates: pd.DataFrame, balance: pd.DataFrame, summary: dict[str, object], counts: Sequence[str]
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, object]]:
    """The estimates, the balance table and the summary as published, consistent with one another: the
    people followed in each group are the summary's matched members (or, with no one matched, its
    members), shown as the summary shows them."""
    published, by_group, sums = _protect_summary_and_balance(summary, counts, balance)
    out = protect_estimates(estimates)
    size = "matched" if summary.get("matched") else "members"
    for g in GROUPS:
        column = f"{g}_people"
        if column in out and size in counts:
            same = estimates[column].astype("float64") == float(summary[size])  # type: ignore[arg-type]
            out.loc[same.to_numpy(), column] = published[size]
    _proportions_on_grid(estimates, out, published.get("members"))
    if "suppressed" in out:
        out["suppressed"] = out.drop(columns="suppressed").eq(SUPPRESSED).any(axis=1)
    return out, _published_balance(balance, by_group, sums), published


def _grid(values: pd.Series, step: pd.Series, how: str) -> pd.Series:
    """A CI's end on a grid of `step`, outward (`floor` the low end, `ceil` the high) so that the interval
    still covers at least 95%, to two decimals."""
    x = values.astype("float64") / step
    k = np.floor(x + 1e-9) if how == "floor" else np.ceil(x - 1e-9)
    return (k * step).round(2) + 0.0


def _proportions_on_grid(exact: pd.DataFrame, out: pd.DataFrame, members: object) -> None:
    """Each Kaplan-Meier proportion and its CI on a grid of 5 people out of the group's published people,
    and the risk difference as the difference of the published proportions, its CI on the same grid: to
    whole percentage points, a proportion beside its people rounded to 5 would give the exact people and
    count back (15/36 = 0.42, which no other count from 13 to 17 out of 33 to 37 is but 14/33, and the next
    outcome's 11/36 = 0.31 leaves only 36). Rounding to 5 people is the precision of the counts beside it
    (HES's rule shows a percentage to one decimal only out of 4,000 or more, for the same reason). Where the
    people are hidden by the summary (a few unmatched), the grid is of the published members; where they
    are 1 to 7, the figures on them are hidden."""
    steps = {}
    for g in GROUPS:
        if f"{g}_proportion" not in out:
            continue
        shown = pd.to_numeric(out[f"{g}_people"].where(out[f"{g}_people"] != SUPPRESSED), errors="coerce")
        few = exact[f"{g}_people"].astype("float64") < THRESHOLD
        if members not in (None, SUPPRESSED):
            shown = shown.where(shown.notna() | few, float(members))  # type: ignore[arg-type]
        step = BASE / shown.where(shown > 0)
        steps[g] = step
        _hide(out, step.isna() & exact[f"{g}_proportion"].notna(), [f"{g}_{c}" for c in _KM])
        people = exact[f"{g}_people"].astype("float64")
        keep = out[f"{g}_proportion"].ne(SUPPRESSED) & exact[f"{g}_proportion"].notna() & step.notna()
        # The proportion as the people it stands for (with the outcome, where no one is censored before)
        # rounded to 5, over the published people: with_outcome / people as published, where they are.
        count = exact.loc[keep, f"{g}_proportion"].astype("float64") * people[keep]
        p = (round_to_base(count) / (BASE / step[keep])).round(2) + 0.0
        out.loc[keep, f"{g}_proportion"] = p
        for c, how in (("ci_low", "floor"), ("ci_high", "ceil")):
            has = keep & exact[f"{g}_{c}"].notna()
            end = _grid(exact.loc[has, f"{g}_{c}"], step[has], how).clip(0, 1)
            out.loc[has, f"{g}_{c}"] = np.minimum(end, p[has]) if how == "floor" else np.maximum(end, p[has])
    if "risk_difference" not in out or set(steps) != set(GROUPS):
        return
    shown_p = {g: out[f"{g}_proportion"] for g in GROUPS}
    hidden = (
        shown_p["cohort"].eq(SUPPRESSED)
        | shown_p["comparison"].eq(SUPPRESSED)
        | out["risk_difference"].eq(SUPPRESSED)
    )
    keep = ~hidden & exact["risk_difference"].notna()
    cohort, comparison = (shown_p[g][keep].astype("float64") for g in GROUPS)
    rd = (cohort - comparison).round(2) + 0.0
    step = np.maximum(steps["cohort"][keep], steps["comparison"][keep])
    out.loc[keep, "risk_difference"] = rd
    out.loc[keep, "rd_ci_low"] = np.minimum(_grid(exact.loc[keep, "rd_ci_low"], step, "floor"), rd).clip(
        -1, 1
    )
    out.loc[keep, "rd_ci_high"] = np.maximum(_grid(exact.loc[keep, "rd_ci_high"], step, "ceil"), rd).clip(
        -1, 1
    )
    _hide(out, hidden & exact["risk_difference"].notna(), ["risk_difference", "rd_ci_low", "rd_ci_high"])


_KM = ("proportion", "ci_low", "ci_high")
