"""`vrhub cohort outcomes NAME`: each outcome's Kaplan-Meier proportion in the cohort and in a matched
comparison group at each follow-up, the risk difference and hazard ratio, the balance table, and the
caveats of an observational design (docs/cohorts.md says what each figure means).

Person-time is built in SQL over the linked records (`follow`, `matching`); only the matched people and
their times come to pandas, where statsmodels estimates (`survival`). Unless the caller asks for the
analyst's person-level view, the output is aggregates under the small-number rules (`privacy`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from vrhub.cohorts import coverage, privacy
from vrhub.cohorts.covariates import at_start
from vrhub.cohorts.follow import follow
from vrhub.cohorts.linked import links, person_events
from vrhub.cohorts.matching import COHORT, COMPARISON, balance, frequencies, match_pairs, pseudo_starts
from vrhub.cohorts.members import members
from vrhub.cohorts.model import Cohort, Outcome, builtin_outcomes
from vrhub.cohorts.survival import hazard_ratio, horizon_days, kaplan_meier, risk_difference
from vrhub.errors import BadValue, VrhubError
from vrhub.warehouse import Warehouse

DEFAULT_FOLLOW_UP = (6, 12, 24)
DEFAULT_SEED = 2022
SUMMARY_COUNTS = ("records", "linked_records", "members", "matched", "comparison_pool")

CAVEATS = (
    "Observational design: the cohort was not formed at random. Matching balances age band, sex, borough and "
    "contacts in the 12 months before the start, and nothing else: why people joined (referral, need, "
    "motivation) may differ in ways the records do not show, and can bias every comparison either way.",
    "The comparison group's start dates are pseudo start dates, drawn at random from the cohort's: they did "
    "nothing on that date, so their follow-up starts at no event of their own.",
    "Outcomes are records, not behaviour: people in contact with a service may be seen more (or less) by the "
    "police, ED and schools, so recorded outcomes can differ where behaviour does not.",
    "Linkage errors: a missed link loses a person's outcome records, a false one adds another's. Both groups "
    "are linked the same way, which limits, but does not remove, the bias.",
    "Follow-up ends only at the last date each source's records reach: deaths, moves out of the area and "
    "leaving school are not known, so time without the outcome may be overstated for some.",
    "A cohort defined by an event (a victimisation, an exclusion) starts at a peak: some fall in outcomes "
    "afterwards is regression to the mean, in the comparison group only as far as matching on prior "
    "contacts captures it.",
    "Kaplan-Meier CIs are pointwise 95% intervals (log-log); risk-difference CIs treat the two groups as "
    "independent, which errs wide for matched pairs; the hazard ratio (Cox) assumes proportional hazards "
    "over the follow-up and its CI is clustered on matched pairs.",
)


@dataclass
class CohortOutcomes:
    """The estimate. `estimates`: one row per outcome and follow-up. `balance`: one row per covariate
    level. `people`: one row per person analysed, with their times (the person-level view only)."""

    cohort: str
    title: str
    follow_up: tuple[int, ...]
    estimates: pd.DataFrame
    balance: pd.DataFrame
    summary: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    person_level: bool = False
    people: pd.DataFrame | None = None

    def as_json(self) -> dict[str, Any]:
        def rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
            return [{k: _plain(v) for k, v in r.items()} for r in frame.to_dict("records")]

        out = {
            "cohort": self.cohort,
            "title": self.title,
            "follow_up_months": list(self.follow_up),
            "view": "person-level (analyst)" if self.person_level else "aggregate (small numbers suppressed)",
            "summary": {k: _plain(v) for k, v in self.summary.items()},
            "estimates": rows(self.estimates),
            "balance": rows(self.balance),
            "notes": self.notes,
        }
        if self.people is not None:
            out["people"] = rows(self.people)
        return out


def _plain(v: Any) -> Any:
    if isinstance(v, float | np.floating):
        return None if np.isnan(v) else float(v)
    if isinstance(v, np.integer | np.bool_):
        return v.item()
    if isinstance(v, dt.date | pd.Timestamp):
        return v.isoformat()
    return v


def parse_follow_up(text: str | Sequence[int]) -> tuple[int, ...]:
    """'6,12,24' (or a sequence) as whole months, each above 0, in order."""
    try:
        months = [int(m) for m in (text.split(",") if isinstance(text, str) else text)]
    except ValueError:
        months = []
    if not months or any(m <= 0 for m in months):
        raise BadValue(
            f"'{text}' is not a list of follow-up months",
            "Give whole months above 0, separated by commas, e.g. 6,12,24.",
            parameter="follow_up",
            value=text,
        )
    return tuple(sorted(set(months)))


def cohort_outcomes(
    wh: Warehouse,
    cohort: Cohort,
    follow_up: Sequence[int] = DEFAULT_FOLLOW_UP,
    outcomes: dict[str, Outcome] | None = None,
    seed: int = DEFAULT_SEED,
    person_level: bool = False,
) -> CohortOutcomes:
    follow_up = parse_follow_up(follow_up)
    outcomes = outcomes or builtin_outcomes()
    people_links = links(wh)
    found = members(wh, cohort, people_links)
    cohort_people = wh.to_arrow(found.people).to_pandas()
    if cohort_people.empty:
        raise VrhubError(
            f"cohort '{cohort.name}' has no linked members ({found.records} records, {found.linked} linked)",
            "Check the cohort's rule against the records loaded, and that the people records are linked.",
            parameter="name",
            value=cohort.name,
        )
    starts = sorted(pd.to_datetime(cohort_people["start_date"]).dt.date)

    # The comparison pool: every linked person not in the cohort, at a pseudo start date.
    everyone = people_links.select("person_id").distinct()
    in_cohort = found.people.select(__member="person_id")
    pool = everyone.anti_join(in_cohort, everyone.person_id == in_cohort.__member)
    pool = pseudo_starts(pool, starts, seed).mutate(group=ibis.literal(COMPARISON))
    people = found.people.mutate(group=ibis.literal(COHORT)).select("person_id", "start_date", "group")
    described = at_start(
        people.union(pool.select("person_id", "start_date", "group")), person_events(wh, people_links)
    )
    # Someone whose records put their birth after the pseudo start was not yet born then.
    described = described.filter(
        (described.group == COHORT) | described.age_at_start.isnull() | (described.age_at_start >= 0)
    )

    with _kept(wh, described) as described:
        before = wh.to_arrow(frequencies(described)).to_pandas()
        pairs = wh.to_arrow(match_pairs(described, seed)).to_pandas()
        analysed = _analysed(cohort_people, pairs)
        matched_freq = _matched_frequencies(wh, described, analysed)

    horizons = [horizon_days(m) for m in follow_up]
    rows, timelines, ends, unfollowed = [], [], {}, []
    for outcome in outcomes.values():
        timeline, end = follow(wh, analysed, outcome, horizons, people_links)
        ends[outcome.name] = end
        if end is None:
            unfollowed.append(f"{outcome.title} (no records loaded)")
            continue
        if timeline.empty:
            unfollowed.append(f"{outcome.title} (its records end on {end}, before every start)")
            continue
        minimum = coverage.PERSON_LEVEL_MINIMUM if person_level else coverage.AGGREGATE_MINIMUM
        rows += _estimate(outcome, timeline, follow_up, horizons, not pairs.empty, minimum)
        if person_level:
            timelines.append(timeline.assign(outcome=outcome.name))
    estimates = pd.DataFrame(rows)
    table = balance(before, matched_freq)
    summary: dict[str, Any] = {
        "cohort_label": cohort.label,
        "records": found.records,
        "linked_records": found.linked,
        "members": len(cohort_people),
        "matched": len(pairs),
        "comparison_pool": int(before.loc[before["group"] == COMPARISON, "n"].sum()),
        "seed": seed,
        **{f"data_end_{name}": end for name, end in ends.items()},
    }
    notes = list(CAVEATS)
    unmatched = len(cohort_people) - len(pairs)
    if pairs.empty:
        notes.insert(
            0, "No cohort member could be matched: the figures are the cohort's alone, with no comparison."
        )
    elif unmatched:
        notes.insert(
            0,
            "Members with no comparison person of their age band, sex, borough and contacts band are left "
            "out of every estimate (summary: members - matched): the estimates describe the matched members.",
        )
    if not estimates.empty and estimates["follow_up_note"].notna().any():
        notes.insert(0, _beyond_note(person_level))
    if unfollowed:
        notes.insert(0, f"Not followed: {'; '.join(unfollowed)}.")
    if not person_level:
        estimates, table, summary = privacy.protect_outputs(estimates, table, summary, SUMMARY_COUNTS)
    # After the small-number rules, which see every count the hazard ratio rests on.
    estimates = _blank_beyond(estimates)
    if not person_level:
        notes.append(
            "Counts are rounded to the nearest 5 and counts of 1 to 7 shown as '*', with the figures worked "
            "from them (docs/cohorts.md, 'Disclosure')."
        )
    people_out = None
    if person_level:
        people_out = pd.concat(timelines, ignore_index=True) if timelines else analysed
    return CohortOutcomes(
        cohort=cohort.name,
        title=cohort.title,
        follow_up=follow_up,
        estimates=estimates,
        balance=_public_balance(table),
        summary=summary,
        notes=notes,
        person_level=person_level,
        people=people_out,
    )


@contextlib.contextmanager
def _kept(wh: Warehouse, expr: ir.Table) -> Iterator[ir.Table]:
    """`expr` computed once into a temporary table (DuckDB allows one on a read-only warehouse), read by the
    steps after it instead of each compiling and running the whole of it again."""
    if not wh.is_duckdb:
        yield expr
        return
    name = f"__cohort_people_{uuid.uuid4().hex[:12]}"
    try:
        yield wh.con.create_table(name, expr, temp=True)
    finally:
        wh.con.drop_table(name, force=True)


def _analysed(cohort_people: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """The people followed: the matched members and their matches (a pair shares the member's id), or
    every member when no one could be matched."""
    if pairs.empty:
        return cohort_people.assign(group=COHORT, pair=cohort_people["person_id"])[
            ["person_id", "group", "pair", "start_date"]
        ]
    members_ = pairs[["person_id", "start_date"]].assign(group=COHORT, pair=pairs["person_id"])
    matches = pd.DataFrame(
        {
            "person_id": pairs["match_id"],
            "start_date": pairs["match_start"],
            "group": COMPARISON,
            "pair": pairs["person_id"],
        }
    )
    return pd.concat([members_, matches], ignore_index=True)[["person_id", "group", "pair", "start_date"]]


def _matched_frequencies(wh: Warehouse, described: ir.Table, analysed: pd.DataFrame) -> pd.DataFrame:
    """The frequency table of the people analysed (their covariates as described at their start)."""
    chosen = ibis.memtable(
        analysed[["person_id", "group"]].rename(columns={"person_id": "__p", "group": "__g"})
    )
    j = described.join(chosen, [described.person_id == chosen.__p, described.group == chosen.__g])
    return wh.to_arrow(frequencies(j.select(*described.columns))).to_pandas()


def _estimate(
    outcome: Outcome,
    timeline: pd.DataFrame,
    months: Sequence[int],
    horizons: Sequence[float],
    has_comparison: bool,
    minimum: int,
) -> list[dict[str, Any]]:
    by_group = {g: timeline[timeline["group"] == g] for g in (COHORT, COMPARISON)}
    compared = {g: t["reach"].to_numpy() for g, t in by_group.items() if g == COHORT or has_comparison}
    seen = {g: coverage.observed(reach) for g, reach in compared.items()}
    km = {g: kaplan_meier(t["time"].to_numpy(), t["event"].to_numpy(), horizons) for g, t in by_group.items()}
    hr = (
        hazard_ratio(
            np.minimum(timeline["time"].to_numpy(), horizons[-1]),
            ((timeline["event"] == 1) & (timeline["time"] <= horizons[-1])).to_numpy(),
            (timeline["group"] == COHORT).to_numpy(),
            timeline["pair"].to_numpy(),
        )
        if has_comparison
        else None
    )
    rows = []
    for i, (m, h) in enumerate(zip(months, horizons, strict=True)):
        row: dict[str, Any] = {"outcome": outcome.name, "title": outcome.title, "follow_up_months": m}
        for g, t in by_group.items():
            if g == COMPARISON and not has_comparison:
                continue
            est = km[g].iloc[i]
            row |= {
                f"{g}_people": len(t),
                f"{g}_followed": int(est["followed"]),
                f"{g}_with_outcome": int(((t["event"] == 1) & (t["time"] <= h)).sum()),
                f"{g}_events": int(t[f"events_{i}"].sum()),
                f"{g}_proportion": est["proportion"],
                f"{g}_ci_low": est["ci_low"],
                f"{g}_ci_high": est["ci_high"],
                f"{g}_se": est["se"],
                f"{g}_longest_months": seen[g][0],
                f"{g}_median_months": seen[g][1],
            }
        if has_comparison and hr is not None:
            rd = risk_difference(
                row["cohort_proportion"], row["cohort_se"], row["comparison_proportion"], row["comparison_se"]
            )
            row |= {"risk_difference": rd.estimate, "rd_ci_low": rd.low, "rd_ci_high": rd.high}
            row |= {"hazard_ratio": hr.estimate, "hr_ci_low": hr.low, "hr_ci_high": hr.high}
        for g in (COHORT, COMPARISON):
            row.pop(f"{g}_se", None)
        row["follow_up_note"] = coverage.beyond(compared, m, h, minimum)
        rows.append(row)
    return rows


# What a follow-up beyond the data cover loses: every figure at it (its people stay: they are followed).
_AT_FOLLOW_UP = tuple(
    f"{g}_{c}" for g in (COHORT, COMPARISON) for c in ("followed", "with_outcome", "events")
)
_ESTIMATED = (
    *(f"{g}_{c}" for g in (COHORT, COMPARISON) for c in ("proportion", "ci_low", "ci_high")),
    "risk_difference",
    "rd_ci_low",
    "rd_ci_high",
    "hazard_ratio",
    "hr_ci_low",
    "hr_ci_high",
)


def _blank_beyond(estimates: pd.DataFrame) -> pd.DataFrame:
    """The rows of a follow-up the data do not cover (`follow_up_note` says why) without their figures."""
    if estimates.empty:
        return estimates
    out = estimates.copy()
    beyond = out["follow_up_note"].notna()
    for c in (*_AT_FOLLOW_UP, *_ESTIMATED):
        if c in out:
            out[c] = out[c].where(~beyond, np.nan)
    if "suppressed" in out:  # a '*' blanked is no longer shown
        out["suppressed"] = out.drop(columns="suppressed").eq(privacy.SUPPRESSED).any(axis=1)
    return out


def _beyond_note(person_level: bool) -> str:
    floor = (
        ""
        if person_level
        else f", and in this aggregate view a month fewer than {coverage.AGGREGATE_MINIMUM} of a group "
        "were followed to (its figures would rest on a small number of people)"
    )
    return (
        "A follow-up beyond what the data cover is left blank, with the reason in follow_up_note: "
        "Kaplan-Meier is defined only up to the longest follow-up observed, so a month no one in a group "
        "was followed to has no figures (its people with the outcome would be those by the end of the "
        f"data, a shorter period read as the whole){floor}. Each group's longest and median follow-up "
        "(whole months from the start to the end of the outcome's records) are in *_longest_months and "
        "*_median_months; the hazard ratio is over the follow-up observed, up to the longest asked for."
    )


def _public_balance(table: pd.DataFrame) -> pd.DataFrame:
    names = {
        "mean": "cohort",
        "mean_before": "comparison_before",
        "mean_analysed": "cohort_matched",
        "mean_after": "comparison_after",
    }
    return table.rename(columns=names)
