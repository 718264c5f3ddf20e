"""What a cohort output may show outside the analyst's person-level view: the small-number rules of the
published figures (`vrhub.reports.disclosure`): every count rounded to the nearest 5, a count of 1 to 7
shown as '*', and a second cell hidden beside it wherever a total would give it away by subtraction
(people with the outcome and people without it add up to the people followed).

A figure worked from a hidden count hides with it: a Kaplan-Meier proportion and its CI where the people
with the outcome are hidden, a group's longest and median follow-up where its people are, a risk
difference where either group's are, a hazard ratio where either group's outcomes over the whole follow-up
are. In the balance table a share whose people number 1 to 7 (or all but 1 to 7) is hidden, with the SMDs
that would give it back.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from vrhub.reports.disclosure import HIGH, LOW, SUPPRESSED, Relation, protect_cells

GROUPS = ("cohort", "comparison")


def _small(count: pd.Series, total: pd.Series) -> pd.Series:
    c = count.astype("float64").round()
    rest = total.astype("float64").round() - c
    return ((c >= LOW) & (c <= HIGH)) | ((rest >= LOW) & (rest <= HIGH))


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


def protect_balance(balance: pd.DataFrame) -> pd.DataFrame:
    out = balance.copy().astype("object")
    cohort = _small(balance["count"], balance["n"])
    analysed = _small(balance["count_analysed"], balance["n_analysed"])
    before = _small(balance["count_before"], balance["n_before"])
    after = _small(balance["count_after"], balance["n_after"])
    share = balance["covariate"] != "contacts_12m"  # a mean of contacts is no count of people
    for hide, columns in (
        (cohort | analysed, ["mean", "smd_before"]),
        (before, ["mean_before", "smd_before"]),
        (cohort | analysed | after, ["mean_analysed", "mean_after", "smd_after"]),
    ):
        for c in columns:
            out.loc[hide & share, c] = SUPPRESSED
    # Shares to whole percentage points and SMDs to two decimals, for the reason proportions are rounded.
    for c in ("mean", "mean_before", "mean_analysed", "mean_after", "smd_before", "smd_after"):
        out[c] = [v if v == SUPPRESSED else round(float(v), 2) + 0.0 for v in out[c]]
    # The groups' sizes are the summary's (protected there); the counts under each share leave with it.
    return out.drop(columns=[c for c in out.columns if c.startswith(("count", "n"))])


def protect_summary(summary: dict[str, object], counts: Sequence[str]) -> dict[str, object]:
    """The summary's counts (members, matched...) as published."""
    frame = pd.DataFrame({c: [summary[c]] for c in counts})
    relations = [("members", "matched")] if {"members", "matched"} <= set(counts) else []
    shown = protect_counts(frame, list(counts), relations)
    return {**summary, **{c: shown[c].iloc[0] for c in counts}}
