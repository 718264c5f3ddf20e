"""The comparison group: people not in the cohort, each given a pseudo start date drawn from the cohort's
start dates, described as they stood then, and matched 1:1 to cohort members of the same age band, sex,
borough and band of contacts in the 12 months before (exact matching within strata, without replacement).

The draws and the matching are SQL over the whole linked population (a seeded hash of the pseudonymous
person id orders people, so the same seed gives the same comparison group under one pseudonymisation key;
another key orders the same people otherwise); only the matched pairs and a table of counts by covariate come
back to pandas. Balance is judged by standardised mean differences (SMD) before and after matching.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from vrhub.cohorts.covariates import CATEGORICAL, STRATUM

COHORT, COMPARISON = "cohort", "comparison"


def _draw(person_id: ir.StringValue, seed: int, salt: str) -> ir.IntegerValue:
    """A seeded pseudo-random integer per person, the same for the same seed."""
    return (person_id + f"|{seed}|{salt}").hash()


def pseudo_starts(pool: ir.Table, starts: Sequence[dt.date], seed: int) -> ir.Table:
    """`pool` (person_id) with a `start_date` drawn at random from the cohort's `starts` (one per member,
    so the comparison's dates follow the cohort's distribution over time)."""
    dates = ibis.memtable({"__i": list(range(len(starts))), "__date": list(starts)})
    n = len(starts)
    drawn = pool.mutate(__i=((_draw(pool.person_id, seed, "start") % n) + n) % n)
    j = drawn.join(dates, "__i")
    return j.select("person_id", start_date=j.__date.cast("date"))


def match_pairs(described: ir.Table, seed: int) -> ir.Table:
    """(person_id, start_date, stratum, match_id, match_start): each cohort member with the comparison
    person of the same stratum and the same rank in a seeded random order of each; members whose stratum
    runs out of comparisons go unmatched (left out)."""
    ranked = described.mutate(
        __rank=ibis.row_number().over(
            group_by=[described.group, described.stratum], order_by=_draw(described.person_id, seed, "order")
        )
    )
    cohort = ranked.filter(ranked.group == COHORT)
    pool = ranked.filter(ranked.group == COMPARISON).select(
        __stratum="stratum", __r="__rank", match_id="person_id", match_start="start_date"
    )
    pairs = cohort.join(pool, [cohort.stratum == pool.__stratum, cohort.__rank == pool.__r])
    return pairs.select("person_id", "start_date", "stratum", "match_id", "match_start")


def frequencies(described: ir.Table) -> ir.Table:
    """People by group and covariate values: all balance needs, however large the population."""
    keys = ["group", *CATEGORICAL, "contacts_12m"]
    return described.group_by(keys).aggregate(n=described.count())


def _describe(freq: pd.DataFrame) -> pd.DataFrame:
    """covariate, level, mean, variance, count (people at that level; for contacts, people) and n."""
    n = float(freq["n"].sum())
    parts = []
    for covariate in CATEGORICAL:
        counts = freq.groupby(covariate)["n"].sum()
        share = counts / n if n else counts * 0.0
        parts.append(
            pd.DataFrame(
                {
                    "covariate": covariate,
                    "level": counts.index.astype(str),
                    "mean": share.to_numpy(),
                    "variance": (share * (1 - share)).to_numpy(),
                    "count": counts.to_numpy(),
                }
            )
        )
    contacts = freq["contacts_12m"].astype("float64")
    mean = float((contacts * freq["n"]).sum() / n) if n else np.nan
    variance = float((freq["n"] * (contacts - mean) ** 2).sum() / (n - 1)) if n > 1 else np.nan
    parts.append(
        pd.DataFrame(
            {
                "covariate": ["contacts_12m"],
                "level": ["mean"],
                "mean": [mean],
                "variance": [variance],
                "count": [n],
            }
        )
    )
    out = pd.concat(parts, ignore_index=True)
    out["n"] = n
    return out


def smd(mean_a: pd.Series, var_a: pd.Series, mean_b: pd.Series, var_b: pd.Series) -> pd.Series:
    """Standardised mean difference, (a - b) / sqrt((var a + var b) / 2); 0 where both are constant and
    equal (a level no one, or everyone, in both groups has)."""
    pooled = np.sqrt((var_a.astype("float64") + var_b.astype("float64")) / 2)
    diff = mean_a.astype("float64") - mean_b.astype("float64")
    return pd.Series(
        np.where(pooled > 0, diff / pooled.where(pooled > 0, 1.0), np.where(diff == 0, 0.0, np.inf))
    )


def balance(before: pd.DataFrame, matched: pd.DataFrame) -> pd.DataFrame:
    """The balance table from two frequency tables (group, covariates, n): `before` of the cohort and the
    whole eligible comparison pool, `matched` of the matched members and their matches. One row per
    covariate level: the cohort's share (or mean), the comparison's before and after, and the SMDs."""
    cohort = _describe(before[before["group"] == COHORT])
    pool = _describe(before[before["group"] == COMPARISON])
    analysed = _describe(matched[matched["group"] == COHORT])
    after = _describe(matched[matched["group"] == COMPARISON])
    keys = ["covariate", "level"]
    t = cohort.merge(pool, on=keys, how="outer", suffixes=("", "_before"))
    t = t.merge(
        analysed.add_suffix("_analysed").rename(
            columns={"covariate_analysed": "covariate", "level_analysed": "level"}
        ),
        on=keys,
        how="outer",
    )
    t = t.merge(
        after.add_suffix("_after").rename(columns={"covariate_after": "covariate", "level_after": "level"}),
        on=keys,
        how="outer",
    )
    shares = [c for c in t.columns if c.startswith(("mean", "variance", "count"))]
    # A level absent from one group is a share of 0 there (the contacts row is never absent).
    t[shares] = t[shares].fillna(0.0)
    for suffix in ("", "_before", "_analysed", "_after"):
        t[f"n{suffix}"] = t[f"n{suffix}"].fillna(t[f"n{suffix}"].max())
    t["smd_before"] = smd(t["mean"], t["variance"], t["mean_before"], t["variance_before"])
    t["smd_after"] = smd(t["mean_analysed"], t["variance_analysed"], t["mean_after"], t["variance_after"])
    order = {c: i for i, c in enumerate([*CATEGORICAL, "contacts_12m"])}
    t = t.sort_values(["covariate", "level"], key=lambda s: s.map(order) if s.name == "covariate" else s)
    return t.reset_index(drop=True)[
        [
            "covariate",
            "level",
            "mean",
            "count",
            "n",
            "mean_before",
            "count_before",
            "n_before",
            "smd_before",
            "mean_analysed",
            "count_analysed",
            "n_analysed",
            "mean_after",
            "count_after",
            "n_after",
            "smd_after",
        ]
    ]


__all__ = ["COHORT", "COMPARISON", "STRATUM", "balance", "frequencies", "match_pairs", "pseudo_starts", "smd"]
