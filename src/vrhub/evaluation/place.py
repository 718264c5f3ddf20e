"""Did a place-based intervention change the count in the LSOAs it covered?

`evaluate_place` answers with three designs on the same monthly counts: a synthetic control (the answer,
with in-space placebo inference; `synthetic.py`), difference-in-differences against the same donors
(`difference.py`) and an interrupted time series of the treated area alone (`interrupted.py`) as checks.
Each gives the average monthly effect over the post-period, as a total and a percentage, with a CI and a
p-value (`estimate.py`). The result carries the assumptions those rest on and what, in this run, weakens
them: a poor pre-period fit, too few donors for a 95% interval, months left out as partial, designs that
disagree.

The donors are the LSOAs not treated: in the treated LSOAs' boroughs (default) or the whole force area;
never those touching a treated LSOA (displacement or a diffusion of benefit would move them too); never
those with fewer than one event a month before the start (an index of a near-empty series is noise). Each
synthetic control then draws on the donors nearest its target before the start (`synthetic.py` says why).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from vrhub.analysis.hotspots import vintage_note
from vrhub.errors import BadValue, VrhubError, one_of
from vrhub.evaluation import synthetic
from vrhub.evaluation.difference import diff_in_diff
from vrhub.evaluation.estimate import SYNTHETIC_CONTROL, Estimate, p_text
from vrhub.evaluation.interrupted import interrupted_time_series
from vrhub.evaluation.panel import Panel, place_panel
from vrhub.evaluation.treated import resolve_treated
from vrhub.warehouse import Warehouse

DONOR_POOLS = ("borough", "force")
MIN_PRE_MONTHS = 12  # a year: the seasonal cycle seen once before the weights are trusted
MIN_DONORS = 5
MIN_DONOR_MEAN = 1.0  # events a month before the start
# Below this many donors the placebo distribution rests on few LSOAs: on simulated null panels with 27
# donors the 95% interval covered the truth in 91% of runs (95% with 277 donors).
FEW_DONORS = 50
# The pre-period fit is poor when its RMSPE is more than this many times the Poisson noise of the treated
# area's own monthly count (sqrt of its mean): the synthetic then misses structure, not just noise.
POOR_FIT = 2.0
ALPHA = 0.05
WEIGHT_SHOWN = 0.001  # donors with less weight than this are left out of the weights table
_START = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])(?:-(\d{2}))?$")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")

ASSUMPTIONS = [
    "No spill-over: the intervention changed nothing outside the treated LSOAs. Donors touching a treated "
    "LSOA are left out for that reason, but displacement further away (or a diffusion of benefit) would "
    "still bias the effect, towards zero for diffusion and away from it for displacement.",
    "Donors unaffected: no donor LSOA had the intervention, or another aimed at the same outcome, or a "
    "shock of its own, in the post-period.",
    "The synthetic control stands for the treated area only as far as it tracked it before the start: read "
    "the pre-period fit (RMSPE) before the effect.",
    "Difference-in-differences assumes the treated area and its donors would have changed by the same "
    "proportion without the intervention (parallel trends on the indexed counts).",
    "The interrupted time series assumes the pre-period trend and seasonality would have carried on, and "
    "has no comparison area: anything else that changed at the start is in its estimate.",
    "Counts of recorded events: a change in recording, reporting or police activity in the treated area "
    "(which an intervention can cause) reads as a change in what happened.",
    "Only whole months are compared: a month the data cover in part is left out, as is the start month "
    "when the intervention began after its first day.",
]


@dataclass
class PlaceResult:
    """`estimates`: synthetic control first, then the checks. `monthly`: the treated area and its
    synthetic control by month (month, period, treated, synthetic, gap, gap_pct). `weights`: donors with
    weight (lsoa_code, lsoa_name, lad_code, weight). `placebos`: each donor treated in turn (lsoa_code,
    pre_rmspe, post_rmspe, ratio, mean_gap on the index). `notes`: the designs' assumptions.
    `warnings`: what weakens this particular result."""

    estimates: list[Estimate]
    monthly: pd.DataFrame
    weights: pd.DataFrame
    placebos: pd.DataFrame
    metadata: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def estimate(self, method: str) -> Estimate:
        return next(e for e in self.estimates if e.method == method)

    @property
    def synthetic_control(self) -> Estimate:
        return self.estimate(SYNTHETIC_CONTROL)

    def table(self) -> pd.DataFrame:
        """One row per design: effect (total over the post-period) and its CI, as counts and percent,
        p-value, the CI's level and how it was made."""
        return pd.DataFrame([e.row() for e in self.estimates])

    def to_dict(self) -> dict[str, Any]:
        def records(df: pd.DataFrame) -> list[dict[str, Any]]:
            return json.loads(df.to_json(orient="records"))

        return {
            "estimates": records(self.table()),
            "monthly": records(self.monthly),
            "weights": records(self.weights),
            "placebos": records(self.placebos),
            "metadata": self.metadata,
            "notes": self.notes,
            "warnings": self.warnings,
        }

    def to_json(self) -> str:
        # numpy scalars in metadata as plain numbers; anything else fails loudly.
        return json.dumps(self.to_dict(), indent=2, default=lambda v: v.item())


def parse_start(start: str) -> tuple[str, str | None]:
    """(first post-period month, transition month or None) of a start given as YYYY-MM or YYYY-MM-DD:
    a start after the 1st makes its month part before and part after, so that month is left out."""
    found = _START.match(start.strip()) if isinstance(start, str) else None
    if not found:
        raise BadValue(
            f"start '{start}' is not a month or a date",
            "Give the month the intervention began as YYYY-MM (or the day as YYYY-MM-DD).",
            parameter="start",
            value=start,
        )
    year, month, day = int(found[1]), int(found[2]), found[3]
    first = pd.Period(f"{year}-{month:02d}", "M")
    if day is not None:
        try:
            date = dt.date(year, month, int(day))
        except ValueError:
            raise BadValue(
                f"start '{start}' is not a date",
                "Give a real date, YYYY-MM-DD.",
                parameter="start",
                value=start,
            ) from None
        if date.day > 1:
            return str(first + 1), str(first)
    return str(first), None


def evaluate_place(
    wh: Warehouse,
    lsoas: Iterable[str],
    start: str,
    *,
    measure: str | None = None,
    crime_type: str | None = None,
    donors: str = "borough",
    end: str | None = None,
    exclude_neighbours: bool = True,
    alpha: float = ALPHA,
    best_fit: str | Path | None = None,
) -> PlaceResult:
    """The effect of an intervention in `lsoas` from `start` on the monthly count of a measure (or a
    police.uk crime type, or every police.uk crime), by the three designs; months up to `end` (YYYY-MM,
    default the last whole month loaded)."""
    _check_end(start, end)
    panel = place_panel(wh, measure=measure, crime_type=crime_type, end=end, best_fit=best_fit)
    return evaluate_panel(
        panel,
        lsoas,
        start,
        donors=donors,
        exclude_neighbours=exclude_neighbours,
        alpha=alpha,
        best_fit=best_fit,
    )


def _check_end(start: str, end: str | None) -> None:
    """Refuse a last month before the first month after the start, before counting anything: the panel
    would end before the start, and its complaint (no month after the start loaded) would blame the data."""
    first_post, _ = parse_start(start)
    # A malformed end is for the counting to name (`analysis.hotspots`).
    if end is not None and _MONTH.match(end) and end < first_post:
        raise BadValue(
            f"the last month, {end}, is before the first month after the start, {first_post}",
            f"Give a last month of {first_post} or later, or leave it out for the last whole month loaded.",
            parameter="end",
            value=end,
        )


def _neighbours(areas: pd.DataFrame, treated: list[str]) -> set[str]:
    """LSOAs sharing a boundary point with a treated LSOA (queen contiguity; the shipped boundaries are a
    clean coverage, so touching is sharing a vertex or an edge)."""
    if "geometry" not in areas or areas["geometry"].isna().all():
        return set()
    import shapely

    geoms = areas["geometry"].to_numpy()
    is_treated = areas["lsoa_code"].isin(treated).to_numpy()
    tree = shapely.STRtree(geoms)
    _, hit = tree.query(geoms[is_treated], predicate="intersects")
    return set(areas["lsoa_code"].to_numpy()[np.unique(hit)]) - set(treated)


def _donor_pool(
    areas: pd.DataFrame,
    counts: pd.DataFrame,
    treated: list[str],
    pool: str,
    exclude_neighbours: bool,
    pre: np.ndarray,
) -> tuple[list[str], dict[str, int]]:
    untreated = areas[~areas["lsoa_code"].isin(treated)]
    left_out: dict[str, int] = {}
    if pool == "borough":
        boroughs = set(areas.loc[areas["lsoa_code"].isin(treated), "lad_code"])
        inside = untreated["lad_code"].isin(boroughs)
        left_out["other_boroughs"] = int((~inside).sum())
        untreated = untreated[inside]
    codes = list(untreated["lsoa_code"])
    if exclude_neighbours:
        near = _neighbours(areas, treated)
        left_out["neighbours"] = sum(c in near for c in codes)
        codes = [c for c in codes if c not in near]
    means = counts.loc[codes].to_numpy()[:, pre].mean(axis=1) if codes else np.empty(0)
    enough = means >= MIN_DONOR_MEAN
    left_out["too_few_events"] = int((~enough).sum())
    return [c for c, ok in zip(codes, enough, strict=True) if ok], left_out


def _periods(panel: Panel, start: str) -> tuple[list[str], np.ndarray, str, str | None]:
    """(months used, pre-period mask, first post month, transition month) after the start's checks."""
    first_post, transition = parse_start(start)
    months = [m for m in panel.months if m != transition]
    pre = np.array([m < first_post for m in months])
    n_pre, n_post = int(pre.sum()), int((~pre).sum())
    loaded = f"{panel.months[0]} to {panel.months[-1]}" if panel.months else "none"
    if n_post == 0:
        raise BadValue(
            f"no whole month of data from {first_post} on (whole months loaded: {loaded})",
            "Load the months after the start, or give the start the intervention really had.",
            parameter="start",
            value=start,
        )
    if n_pre < MIN_PRE_MONTHS:
        raise BadValue(
            f"only {n_pre} whole month{'s' if n_pre != 1 else ''} before {first_post} (whole months loaded: "
            f"{loaded}); the pre-period needs at least {MIN_PRE_MONTHS}",
            f"Load at least {MIN_PRE_MONTHS} months before the start: a shorter pre-period cannot show "
            "whether the comparison tracked the treated area through a year's seasons.",
            parameter="start",
            value=start,
        )
    return months, pre, first_post, transition


def evaluate_panel(
    panel: Panel,
    lsoas: Iterable[str],
    start: str,
    *,
    donors: str = "borough",
    exclude_neighbours: bool = True,
    alpha: float = ALPHA,
    best_fit: str | Path | None = None,
) -> PlaceResult:
    """`evaluate_place` on a panel already made (see `vrhub.evaluation.panel`)."""
    if donors not in DONOR_POOLS:
        raise BadValue(
            f"unknown donor pool '{donors}'", one_of(DONOR_POOLS), parameter="donors", value=donors
        )
    if not 0 < alpha < 1:
        raise BadValue(
            f"alpha {alpha} is not between 0 and 1", "Use e.g. 0.05.", parameter="alpha", value=alpha
        )
    treated, mapped = resolve_treated(lsoas, panel.areas["lsoa_code"], panel.meta.get("vintage"), best_fit)
    months, pre, first_post, transition = _periods(panel, start)
    counts = panel.counts[months]
    y = counts.loc[treated].to_numpy(dtype=float).sum(axis=0)
    base = y[pre].mean()
    if base <= 0:
        raise VrhubError(
            f"nothing counted in the treated LSOAs in the {int(pre.sum())} months before {first_post}",
            "A fall cannot be measured from zero: choose a measure the treated LSOAs record.",
        )
    pool, left_out = _donor_pool(panel.areas, counts, treated, donors, exclude_neighbours, pre)
    if len(pool) < MIN_DONORS:
        raise VrhubError(
            f"only {len(pool)} donor LSOA{'s' if len(pool) != 1 else ''} (untreated, "
            f"{'in the same boroughs, ' if donors == 'borough' else ''}not touching a treated LSOA, with at "
            f"least {MIN_DONOR_MEAN:g} event a month before the start); at least {MIN_DONORS} are needed",
            "Draw donors from the whole force area, or evaluate a measure with more events.",
            parameter="donors",
            value=donors,
        )
    donor_counts = counts.loc[pool].to_numpy(dtype=float).T  # months x donors
    donor_index, _ = synthetic.index(donor_counts, pre)
    treated_index = y / base
    nearest = max(MIN_DONORS, int(pre.sum()) // 2)
    sc = synthetic.fit(treated_index, donor_index, pre, nearest)
    size = min(len(treated), len(pool) // 2)
    own = counts.loc[treated].to_numpy(dtype=float).T
    own = own[:, own[pre].mean(axis=0) >= MIN_DONOR_MEAN]
    placebo = synthetic.placebos(donor_counts, pre, size, pool, also=own, nearest=nearest)
    inf = synthetic.inference(sc, placebo, alpha)
    post = ~pre
    sc_estimate = Estimate(
        method=SYNTHETIC_CONTROL,
        per_month=sc.mean_post_gap * base,
        low=inf.low * base,
        high=inf.high * base,
        months=int(post.sum()),
        observed=float(y[post].sum()),
        p_value=inf.p_value,
        ci_level=inf.level,
        ci_method=f"in-space placebos ({len(placebo)} areas of {size} donor LSOA{'s' if size != 1 else ''}): "
        "the permutation test on the mean post-period gap inverted for a constant effect; the p-value is the "
        "same test's (two-sided), so the interval leaves 0 out exactly when p <= 1 - ci_level",
    )
    periods = pd.PeriodIndex(months, freq="M")
    estimates = [
        sc_estimate,
        diff_in_diff(y, donor_counts.sum(axis=1), pre, alpha),
        interrupted_time_series(y, periods, pd.Period(first_post, "M"), alpha),
    ]
    synth_counts = sc.synthetic * base
    monthly = pd.DataFrame(
        {
            "month": months,
            "period": np.where(pre, "pre", "post"),
            "treated": y.astype("int64"),
            "synthetic": synth_counts,
            "gap": y - synth_counts,
            "gap_pct": np.where(
                synth_counts > 0,
                100 * (y - synth_counts) / np.where(synth_counts > 0, synth_counts, 1),
                np.nan,
            ),
        }
    )
    weights = (
        panel.areas.set_index("lsoa_code")
        .loc[pool, [c for c in ("lsoa_name", "lad_code") if c in panel.areas]]
        .assign(weight=sc.weights)
        .reset_index()
    )
    weights = weights[weights["weight"] >= WEIGHT_SHOWN].sort_values(
        ["weight", "lsoa_code"], ascending=[False, True], ignore_index=True
    )
    pre_rmspe = sc.pre_rmspe * base
    fit_ratio = pre_rmspe / math.sqrt(base)
    meta = {
        **{k: v for k, v in panel.meta.items() if k != "months"},
        "treated": treated,
        "treated_mapped_from_2011": mapped,
        "start": start,
        "first_post_month": first_post,
        "transition_month": transition,
        "pre_period": [months[0], months[int(pre.sum()) - 1], int(pre.sum())],
        "post_period": [first_post, months[-1], int(post.sum())],
        "donor_pool": donors,
        "donors": len(pool),
        "nearest_donors": nearest,
        "donor_lsoas": pool,
        "donors_left_out": left_out,
        "exclude_neighbours": exclude_neighbours,
        "alpha": alpha,
        "treated_pre_mean": base,
        "pre_rmspe": pre_rmspe,
        "pre_rmspe_pct": 100 * sc.pre_rmspe,
        "fit_ratio": fit_ratio,
        "placebos": len(placebo),
        "placebo_size": size,
        "placebo_rank": inf.rank,
        "ratio_p_value": inf.ratio_p_value,
        "effective_donors": float(1 / np.sum(sc.weights**2)),
    }
    return PlaceResult(
        estimates=estimates,
        monthly=monthly,
        weights=weights,
        placebos=placebo,
        metadata=meta,
        notes=list(ASSUMPTIONS),
        warnings=_warnings(panel, meta, estimates, alpha),
    )


def _overlap(a: Estimate, b: Estimate) -> bool:
    return a.low <= b.high and b.low <= a.high


def _ratio_disagrees(sc: Estimate, meta: dict[str, Any], alpha: float) -> str | None:
    """What it means when Abadie et al.'s RMSPE-ratio test and the mean-gap test (the p-value and the
    interval) part at `alpha`, or None when they agree."""
    ratio_p = meta["ratio_p_value"]
    if (sc.p_value <= alpha) == (ratio_p <= alpha):
        return None
    said = (
        f"The RMSPE-ratio placebo test (Abadie et al.'s) gives p = {p_text(ratio_p)} (rank "
        f"{meta['placebo_rank']} of {meta['placebos'] + 1}) where the mean-gap test the interval comes from "
        f"gives p = {p_text(sc.p_value)}."
    )
    if sc.p_value <= alpha:
        return (
            f"{said} The average shift is unusual among the placebo areas, but the size of the departure "
            "after the start, for how well the area was fitted before it, is not: many placebo areas drift "
            "from their synthetic controls as far. Read the placebo gaps and the chart before the effect."
        )
    return (
        f"{said} The treated area departs from its synthetic control after the start more than most placebo "
        "areas, but not on average in one direction: the effect may grow, fade or change sign over the "
        "months. Read the monthly gaps and the chart."
    )


def _warnings(panel: Panel, meta: dict[str, Any], estimates: list[Estimate], alpha: float) -> list[str]:
    out = []
    if meta["fit_ratio"] > POOR_FIT:
        out.append(
            "Poor pre-period fit: the synthetic control missed the treated area by "
            f"{meta['pre_rmspe']:.1f} a month before the start (RMSPE, {meta['pre_rmspe_pct']:.0f}% of its "
            "mean), "
            f"{meta['fit_ratio']:.1f} times the month-to-month noise of a count that size. The synthetic "
            "control's effect is not to be relied on; read the checks and the chart."
        )
    sc = estimates[0]
    if sc.ci_level < 1 - alpha - 1e-9:
        out.append(
            f"Only {meta['placebos']} placebo areas ({meta['donors']} donors): the placebo interval's "
            f"confidence is {100 * sc.ci_level:.1f}%, not {100 * (1 - alpha):.0f}% (that needs "
            f"{math.ceil(2 / alpha) - 1}), and the smallest possible p-value is "
            f"{2 / (meta['placebos'] + 1):.3f}."
        )
    elif meta["donors"] < FEW_DONORS:
        out.append(
            f"Only {meta['donors']} donors: the placebo distribution rests on few LSOAs, and on simulated "
            "panels with 27 donors the synthetic control's 95% interval held a true effect of zero in 91% of "
            "runs, and its p-value (the interval's test) was 0.05 or less in 11%. Read it as about a 90% "
            "interval."
        )
    ratio_warning = _ratio_disagrees(sc, meta, alpha)
    if ratio_warning:
        out.append(ratio_warning)
    for e in estimates:
        if e.bounded:
            out.append(
                f"The {e.method}'s interval reaches a fall of {-e.low * e.months:,.0f}, more than the "
                f"{e.counterfactual:,.0f} it says there would have been: its low end in percent is shown as "
                "-100% (no fall is more than all there would have been). The interval is too wide to bound "
                "the fall; read it in counts."
            )
    for check in estimates[1:]:
        if not _overlap(sc, check):
            out.append(
                f"The synthetic control and the {check.method} disagree: their intervals do not overlap. The "
                "designs' assumptions (see the notes) cannot all hold."
            )
    if meta.get("transition_month"):
        out.append(
            f"{meta['transition_month']} is left out: the intervention began part-way through it "
            f"({meta['start']})."
        )
    for month, why in sorted(panel.meta.get("months_left_out", {}).items()):
        out.append(f"{month} is left out: {why}.")
    if meta.get("treated_mapped_from_2011"):
        pairs = ", ".join(f"{a} as {b}" for a, b in meta["treated_mapped_from_2011"].items())
        out.append(f"2011 LSOA codes were taken as their best-fit 2021 LSOA: {pairs}.")
    if "vintage" in meta:
        note = vintage_note(meta)
        if (meta.get("rows_mapped") or {}).get("rows"):
            out.append(note)
    return out
