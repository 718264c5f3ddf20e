"""Compute measures for the force area and each borough, by period and breakdown, with changes and rates.

Every figure is of what was counted, and says so in `notes` where that is not the obvious thing:

- a part period (the demo's 2018 holds April to December) is marked by `months`, the months of data its
  source holds there; its count and rate are of those months (the rate not annualised). Compared with a
  period holding other calendar months, the change and its statistics compare the calendar months both
  hold, like for like (April-December 2019 against April-December 2018), re-summed from monthly counts;
  with none in common, they are blank.
- a share's changes and statistics read the unrounded share (its count over its total); the shown value
  alone is rounded.
- a rate names what it divides by (`rate_denominator`); the force's row says how many it counts in no
  reported borough.
- a rate for an age band divides by that band's population (within the measure's own population: an
  under-25 measure has no bands above 24); for a sex, by that sex's population, blank where the
  population data has no sex. Bands of unknown or unrecorded people have no rate.
- breakdown rows add up to the total (see measures/expressions.py); `breakdown_person` says whose age or
  sex they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from vrhub.config import FORCE_CODE, FORCE_NAME
from vrhub.errors import BadValue, UnknownArea, one_of
from vrhub.measures import cube, periods, unrecorded
from vrhub.measures.catalogue import BREAKDOWN_COLUMNS, POPULATIONS, Catalogue, Measure
from vrhub.measures.expressions import (
    AGE_BANDS,
    BREAKDOWNS,
    UNKNOWN,
    breakdown_labels,
    breakdown_role,
    grouped,
    no_person,
)
from vrhub.stats.change import COLUMNS as CHANGE_COLUMNS
from vrhub.stats.change import SMALL_COUNT, change_statistics
from vrhub.warehouse import Warehouse
from vrhub.warehouse.history import as_at, snapshot

# The statistics of a change (vrhub.stats.change) that a row carries, beside its own percentages. Against
# the same period of the baseline year it carries the ratio, its interval and p; Wheeler's z and the small-
# count flag read a period against the one before.
STAT_COLUMNS = tuple(c for c in CHANGE_COLUMNS if c not in ("absolute_change", "pct_change"))
BASELINE_STAT_COLUMNS = ("rate_ratio", "ci_low", "ci_high", "p_value")
COLUMNS = [
    "measure_id",
    "period",
    "months",  # months of data the source holds in the period (12 for a whole year); blank: reported
    "area_code",
    "area_name",
    "breakdown",
    "breakdown_person",  # whose age or sex the breakdown counts: victim, suspect, patient ('' for none)
    "value",
    "unit",
    "change_vs_previous_pct",
    "change_vs_baseline_pct",
    "rate_per_100k",
    "rate_denominator",  # whom a rate divides by, and the population estimate's year
    "definition_version",
    *STAT_COLUMNS,
    *(f"{c}_vs_baseline" for c in BASELINE_STAT_COLUMNS),
    "notes",  # the measure's note, then each reason a figure of the row is blank or adjusted; '; '-separated
    "snapshot",
]
# What a reader takes in at a glance (the terminal's table): the figures, the changes and whether chance
# explains the latest one; --format csv or json carries every column.
AT_A_GLANCE = [
    *("measure_id", "period", "months", "area_code", "area_name", "breakdown", "value"),
    *("change_vs_previous_pct", "change_vs_baseline_pct", "rate_per_100k", "rate_ratio", "p_value", "notes"),
]
# Reasons a row's figures are blank or adjusted, in the order `notes` gives them (after the measure's note).
_REASONS = (
    *("_why_period", "_why_previous", "_why_baseline", "_why_wheeler", "_why_band", "_why_rate", "_why_area"),
    "_why_unrecorded",  # records a measure cannot count: their file has no age, sex or admitted (ISTV)
    "_why_share",  # what a share's change is
)
# The strategy states every change in per cent of what it changes (ED attendances by weapon, fists -33%),
# never in points: a share's change is so too, of the unrounded share.
SHARE_CHANGE = (
    "a share's change is its relative change in per cent (not percentage points), of the unrounded share"
)


@dataclass
class MeasureRequest:
    measures: list[str] | None = None  # None: every measure (with a breakdown, every one it breaks down)
    period: str | None = None  # None: each measure's natural period
    area: str | None = None
    by: str | list[str] | None = None  # age_band and/or sex
    as_at: int | None = None  # the warehouse as it stood after this load (None: as it stands)

    @property
    def breakdowns(self) -> list[str]:
        return [self.by] if isinstance(self.by, str) else list(self.by or [])


@dataclass
class MeasureResult:
    table: pa.Table
    # Periods with fewer months of data than they span, per source: {source: {period: months}}.
    partial: dict[str, dict[str, int]] = field(default_factory=dict)
    # Measures asked for that have no row here, with the reason: {measure: why}.
    excluded: dict[str, str] = field(default_factory=dict)


def compute(wh: Warehouse, catalogue: Catalogue, request: MeasureRequest) -> MeasureResult:
    for by in request.breakdowns:
        if by not in BREAKDOWNS:
            raise BadValue(f"cannot break down by '{by}'", one_of(BREAKDOWNS), parameter="by", value=by)
    if request.period and request.period not in periods.KINDS:
        raise BadValue(
            f"unknown period '{request.period}'",
            one_of(periods.KINDS),
            parameter="period",
            value=request.period,
        )
    # Every measure, asked for by age band or sex, is every measure that breaks down so (the catalogue's
    # answer): fire call-outs record no ages, and reported indicators come as reported.
    chosen = (
        [catalogue.get(m) for m in request.measures]
        if request.measures
        else [m for m in catalogue.measures.values() if set(request.breakdowns) <= set(m.breakdowns)]
    )
    areas = _areas(wh)
    frames, partial, monthly, held = [], {}, [], {}
    kinds: dict[str, set[str]] = {}  # each reported indicator's kinds of period
    by_source: dict[str, list[Measure]] = {}
    for m in chosen:
        by_source.setdefault(m.source, []).append(m)
    for source, measures in by_source.items():
        if source == "indicators":
            reported, kinds = _indicators(wh, measures, request)
            frames.append(reported)
            continue
        counts, coverage, months, held[source] = _event_counts(wh, source, measures, request, areas["lads"])
        partial[source] = {p: n for p, n in coverage.items() if n < periods.months_in(_kind(request))}
        monthly.append(months)
        if not counts.empty:
            counts["months"] = counts["period"].map(coverage)
        frames.append(counts)
    found = [f for f in frames if not f.empty]  # a source with nothing loaded yet gives an empty frame
    data = pd.concat(found, ignore_index=True) if found else pd.DataFrame()
    if request.area:
        # Reported indicators may be for areas outside the lookup (England, a ward): those are known too.
        _check_area(request.area, areas, set(data["area_code"]) if not data.empty else set())
    excluded = _excluded(chosen, data, kinds, request)
    if data.empty:
        return MeasureResult(
            pa.Table.from_pandas(pd.DataFrame(columns=COLUMNS), preserve_index=False), partial, excluded
        )
    meta = {m.id: m for m in chosen}
    if "months" not in data:
        data["months"] = pd.NA  # reported indicators alone
    data["months"] = data["months"].astype("Int64")
    for hidden in ("_count", "_total", "_outside"):  # a share's count and total; the force's unplaced
        if hidden not in data:
            data[hidden] = np.nan
    data = _within_population(data, meta)
    for reason in _REASONS:
        data[reason] = ""
    data = _changes(data, meta, _Months(pd.concat(monthly, ignore_index=True) if monthly else None, held))
    data = _rates(data, wh, meta, areas)
    data["_why_unrecorded"] = unrecorded.notes(wh, data, meta, _kind(request), request.as_at)
    data["breakdown_person"] = _breakdown_person(data, meta)
    data["notes"] = _notes(data, meta)
    data["area_name"] = data["area_code"].map(areas["names"]).fillna(data["area_code"])
    data["unit"] = data["measure_id"].map(lambda i: meta[i].unit)
    data["definition_version"] = data["measure_id"].map(
        lambda i: meta[i].definition_version or f"catalogue@{catalogue.sha256[:8]}"
    )
    data["snapshot"] = snapshot(wh, request.as_at)
    if request.area:
        data = data[data["area_code"] == request.area]
    order = {m.id: i for i, m in enumerate(chosen)}
    data = data.assign(_o=data["measure_id"].map(order), _f=data["area_code"] != FORCE_CODE)
    data = data.sort_values(["_o", "_f", "area_code", "breakdown", "period"]).drop(columns=["_o", "_f"])
    # A share is shown to one decimal place; its changes were worked from the unrounded share.
    shares = data["_count"].notna()
    data.loc[shares, "value"] = _round(data.loc[shares, "value"], 1)
    table = pa.Table.from_pandas(data[COLUMNS], preserve_index=False)
    return MeasureResult(table, partial, excluded)


def _excluded(
    chosen: list[Measure], data: pd.DataFrame, kinds: dict[str, set[str]], request: MeasureRequest
) -> dict[str, str]:
    """The measures asked for that have no row, each with the reason."""
    shown = set(data["measure_id"]) if not data.empty else set()
    out = {}
    for m in chosen:
        if m.id in shown:
            continue
        if m.source == "indicators" and kinds.get(m.id) and request.period:
            by = " and ".join(sorted(kinds[m.id]))
            out[m.id] = f"reported by {by}, not by {request.period}"
        elif m.source == "indicators":
            out[m.id] = "no figures reported"
        else:
            out[m.id] = f"no {m.source} data loaded"
    return out


def _check_area(code: str, areas: dict, reported: set[str]) -> None:
    """A mistyped area code is an error, not an empty answer."""
    if code in areas["names"] or code in reported:
        return
    raise UnknownArea.among(
        code, [(FORCE_CODE, FORCE_NAME), *((c, areas["names"][c]) for c in areas["lads"])]
    )


def _kind(request: MeasureRequest) -> str:
    return request.period or "year"


def _areas(wh: Warehouse) -> dict:
    lookup = wh.to_arrow(
        wh.table("lsoa_lookup").select("lad_code", "lad_name", "pfa_code", "pfa_name").distinct()
    )
    df = lookup.to_pandas()
    names = {
        FORCE_CODE: FORCE_NAME,
        **dict(zip(df.lad_code, df.lad_name, strict=False)),
        **dict(zip(df.pfa_code, df.pfa_name, strict=False)),
    }
    return {"names": names, "lads": sorted(set(df.lad_code))}


def _event_counts(
    wh: Warehouse, source: str, measures: list[Measure], request: MeasureRequest, lads: list[str]
):
    t = as_at(wh, source, request.as_at)
    kind = _kind(request)
    plain = [m for m in measures if not m.split_by]
    queries: list[tuple[list[Measure], str | None]] = []
    if plain:
        queries.append((plain, None))
        queries += [(plain, by) for by in request.breakdowns]
    for split in sorted({m.split_by for m in measures if m.split_by}):
        queries.append(([m for m in measures if m.split_by == split], split))
    long_frames, coverage = [], pd.Series(dtype="int64")
    held: dict[str, frozenset] = {}
    # Counted at load: read those instead of scanning the records (they count the warehouse as it stands).
    counted = cube.complete(wh, source) if request.as_at is None else set()
    for group, extra in queries:
        if extra in BREAKDOWNS and BREAKDOWN_COLUMNS[extra] not in t.columns:
            raise BadValue(
                f"cannot break down by '{extra}': {source} has no {BREAKDOWN_COLUMNS[extra]}",
                "Choose measures from a source that records people, or no breakdown.",
                parameter="by",
                value=extra,
            )
        needed = {cube.signature(source, None, extra)} | {cube.signature(source, m, extra) for m in group}
        if needed <= counted:
            query = cube.counted(wh, source, group, extra)
        else:
            query = grouped(t, source, group, extra)
        df = wh.to_arrow(query).to_pandas()
        if "breakdown" not in df:
            df["breakdown"] = ""
        else:
            df["breakdown"] = f"{extra}=" + df["breakdown"].astype(str)
        if coverage.empty:
            # A source's coverage is the months with any record: each period's months, and how many.
            months = df.groupby("month")["__rows"].sum()
            months = pd.Series(pd.to_datetime(months[months > 0].index))
            coverage = pd.Series(periods.labels(kind, months)).value_counts()
            held = {p: frozenset(g) for p, g in months.groupby(periods.labels(kind, months))}
        long_frames.append(
            df.drop(columns="__rows").melt(
                id_vars=["month", "lad_code", "breakdown"], var_name="measure_id", value_name="value"
            )
        )
    if not long_frames:
        return pd.DataFrame(), {}, pd.DataFrame(), {}
    df = pd.concat(long_frames, ignore_index=True)
    bands = {
        (m.id, f"{by}={label}"): None
        for m in measures
        if not m.split_by
        for by in request.breakdowns
        for label in breakdown_labels(m, by)
    }
    # Counted beside other measures, a measure has zeros in their bands too (no victim recorded, for a
    # count of suspects): not bands of its own.
    people = df["breakdown"].str.split("=", n=1).str[0].isin(BREAKDOWNS)
    own = pd.Series(list(zip(df["measure_id"], df["breakdown"], strict=True)), index=df.index).isin(bands)
    df = df[~people | own | (df["value"] != 0)]
    keys = ["measure_id", "month", "breakdown"]
    boroughs = df[df["lad_code"].notna()].groupby([*keys, "lad_code"])["value"].sum()
    force = df.groupby(keys)["value"].sum()
    force = force.reset_index().assign(lad_code=FORCE_CODE).set_index(boroughs.index.names)["value"]
    monthly = pd.concat([boroughs, force]).rename("value").reset_index()
    monthly = monthly.rename(columns={"lad_code": "area_code"})
    monthly["month"] = pd.to_datetime(monthly["month"])
    monthly["period"] = periods.labels(kind, monthly["month"]) if not monthly.empty else []
    out = monthly.groupby(["measure_id", "period", "area_code", "breakdown"])["value"].sum()
    out = _fill_zeros(out, list(coverage.index), [FORCE_CODE, *lads], list(bands))
    out = out.reset_index()
    out = _shares(out, {m.id for m in measures if m.value == "share"})
    # Records the force counts that lie in no reported borough (outside the five, or unplaced).
    counts = out["_count"].where(out["_count"].notna(), out["value"])
    in_boroughs = (
        counts[out["area_code"] != FORCE_CODE]
        .groupby([out["measure_id"], out["period"], out["breakdown"]])
        .sum()
        .rename("_in_boroughs")
    )
    out = out.merge(in_boroughs.reset_index(), on=["measure_id", "period", "breakdown"], how="left")
    out["_outside"] = (counts - out["_in_boroughs"].fillna(0)).where(out["area_code"] == FORCE_CODE)
    out = out.drop(columns="_in_boroughs")
    return out, coverage.to_dict(), monthly, held


def _shares(out: pd.DataFrame, shares: set[str]) -> pd.DataFrame:
    """A share's value is its count's percentage of the period's total, unrounded: changes and their
    statistics read the count (`_count`) over its total (`_total`); only the shown value is rounded."""
    out["_count"] = np.nan
    out["_total"] = np.nan
    if not shares:
        return out
    out["value"] = out["value"].astype("float64")
    is_share = out["measure_id"].isin(shares)
    totals = out[is_share].groupby(["measure_id", "period", "area_code"])["value"].transform("sum")
    out.loc[is_share, "_count"] = out.loc[is_share, "value"]
    out.loc[is_share, "_total"] = totals
    out.loc[is_share, "value"] = 100 * out.loc[is_share, "value"] / totals
    return out


def _fill_zeros(
    series: pd.Series, all_periods: list[str], areas: list[str], bands: list[tuple[str, str]]
) -> pd.Series:
    """A measure with nothing to count in a period the source covers is zero there, not missing; so is a
    band of a breakdown (`bands`: (measure, breakdown) pairs) that nothing fell in."""
    if series.empty:
        return series
    combos = series.reset_index()[["measure_id", "breakdown"]].drop_duplicates()
    pairs = dict.fromkeys([*combos.itertuples(index=False, name=None), *bands])
    grid = [(m, p, a, b) for m, b in pairs for p in all_periods for a in areas]
    index = pd.MultiIndex.from_tuples(grid, names=series.index.names).union(series.index)
    return series.reindex(index, fill_value=0)


def _indicators(
    wh: Warehouse, measures: list[Measure], request: MeasureRequest
) -> tuple[pd.DataFrame, dict[str, set[str]]]:
    t = as_at(wh, "indicators", request.as_at)
    t = t.filter(t.indicator_id.isin([m.id for m in measures]))
    df = wh.to_arrow(t.select("indicator_id", "area_code", "period", "value", "load_id")).to_pandas()
    if df.empty:
        return pd.DataFrame(), {}
    kinds = {
        m: {k or "other" for k in set(p.map(periods.kind_of))}
        for m, p in df.groupby("indicator_id")["period"]
    }
    # A later load restating a figure replaces it.
    df = df.sort_values("load_id").drop_duplicates(["indicator_id", "area_code", "period"], keep="last")
    if request.period:
        df = df[df["period"].map(periods.kind_of) == request.period]
    frame = df.rename(columns={"indicator_id": "measure_id"}).assign(breakdown="", months=pd.NA)[
        ["measure_id", "period", "area_code", "breakdown", "value", "months"]
    ]
    return frame, kinds


def _pct(new: pd.Series, old: pd.Series) -> pd.Series:
    ratio = new.astype("float64") / old.astype("float64").where(old != 0)
    return _round((ratio - 1) * 100, 1)


def _round(values: pd.Series, digits: int) -> pd.Series:
    """Rounded, with no '-0.0' (a change that rounds to nothing has no sign)."""
    return values.round(digits) + 0.0


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@dataclass
class _Months:
    """Each event source's months of data per period, and the counts by month, so two periods holding
    different calendar months are compared over the months both hold."""

    counts: pd.DataFrame | None  # measure_id, month, breakdown, area_code, value, period
    held: dict[str, dict[str, frozenset]]  # {source: {period: the first-of-month dates with any record}}


def _position(kind: str, month: pd.Timestamp) -> int:
    """A month's place in its period: April is 0 in a financial year, 3 in a calendar year."""
    return {
        "year": month.month - 1,
        "financial-year": (month.month - 4) % 12,
        "quarter": (month.month - 1) % 3,
        "month": 0,
    }[kind]


def month_names(months: list[pd.Timestamp] | frozenset) -> str:
    """'Apr-Dec', 'Jan, Mar-Apr': runs of consecutive months by their short names."""
    ordered = sorted(months)
    runs: list[list[pd.Timestamp]] = []
    for m in ordered:
        if runs and (m.year * 12 + m.month) - (runs[-1][-1].year * 12 + runs[-1][-1].month) == 1:
            runs[-1].append(m)
        else:
            runs.append([m])
    return ", ".join(
        r[0].strftime("%b") if len(r) == 1 else f"{r[0].strftime('%b')}-{r[-1].strftime('%b')}" for r in runs
    )


def _like_for_like(months: _Months, source: str, period: str, other: str) -> tuple[list, list, str] | None:
    """The months of `period` and of `other` to compare (the calendar months both hold) and the note
    saying so; None where both hold their whole span (nothing to say). Empty lists: nothing in common."""
    kind = periods.kind_of(period)
    if period == other:  # the baseline period against itself: the same months, nothing to say
        return None
    now, then = months.held.get(source, {}).get(period), months.held.get(source, {}).get(other)
    if kind is None or not now or not then:
        return None
    at_now = {_position(kind, m): m for m in now}
    at_then = {_position(kind, m): m for m in then}
    common = sorted(set(at_now) & set(at_then))
    if len(common) == periods.months_in(kind):
        return None
    if not common:
        why = (
            f"no change on {other}: {period} holds {month_names(now)} and {other} holds {month_names(then)}, "
            "no calendar month in common"
        )
        return [], [], why
    a, b = [at_now[i] for i in common], [at_then[i] for i in common]
    names_a, names_b = month_names(a), month_names(b)
    on = f"{names_a} of both" if names_a == names_b else f"{names_a} against {names_b}"
    return a, b, f"change on {other} like for like: on {on}, {_plural(len(common), 'month')}"


def _changes(data: pd.DataFrame, meta: dict[str, Measure], months: _Months) -> pd.DataFrame:
    """Change on the previous period and on the same period of the baseline year, with the statistics of
    each. Counts, not rates: populations move by well under 1% a year, so the rate ratio is the ratio of
    the counts, with an exact interval and p-value. Two periods holding different calendar months (a part
    year) are compared like for like, over the calendar months both hold; with none in common, not at
    all. A share is compared as its count over its total (the total is the exposure): the change is the
    relative change of the share, and the rate ratio the ratio of the shares."""
    keys = ["measure_id", "area_code", "breakdown"]
    indexed = data.set_index([*keys, "period"])
    previous = data["period"].map(periods.previous)
    baseline = [
        periods.in_baseline_year(p, meta[m].baseline)
        for m, p in zip(data["measure_id"], data["period"], strict=True)
    ]

    def look(column: str, labels: list[str] | pd.Series) -> pd.Series:
        idx = pd.MultiIndex.from_arrays(
            [data["measure_id"], data["area_code"], data["breakdown"], list(labels)]
        )
        return pd.Series(indexed[column].reindex(idx).to_numpy(), index=data.index)

    data = data.copy()
    # Reported figures (rates, percentages) carry no months: they are compared as reported.
    counted = data["measure_id"].map(lambda i: meta[i].source != "indicators" and meta[i].value == "count")
    share = data["measure_id"].map(lambda i: meta[i].source != "indicators" and meta[i].value == "share")
    source = data["measure_id"].map(lambda i: meta[i].source)
    own = data["months"].astype("float64")
    # The counts the row's figures rest on, for the small-count flag.
    resting = [data["value"].where(counted), data["_count"].where(share)]
    for name, labels in (("previous", previous), ("baseline", list(baseline))):
        label = pd.Series(list(labels), index=data.index)
        now = data["value"].where(~share, data["_count"]).astype("float64")
        before = look("value", labels).where(~share, look("_count", labels)).astype("float64")
        e_now = data["_total"].where(share, 1.0).astype("float64")
        e_before = look("_total", labels).where(share, 1.0).astype("float64")
        # A period with no months of data holds nothing to compare with.
        events = counted | share
        before = before.where(~events | (look("months", labels).astype("float64") > 0))
        why = pd.Series("", index=data.index)
        pairs = pd.DataFrame({"source": source, "period": data["period"], "other": label})[events]
        for (src, period, other), rows in pairs.groupby(["source", "period", "other"]).groups.items():
            plan = _like_for_like(months, src, period, other)
            if plan is None:
                continue
            a, b, why.loc[rows] = plan[0], plan[1], plan[2]
            if not a:
                before.loc[rows] = np.nan
                continue
            for side, chosen, target in (("now", a, now), ("before", b, before)):
                sums = _summed(months.counts, data.loc[rows], chosen, share.loc[rows])
                target.loc[rows] = sums["count"].to_numpy()
                exposure = e_now if side == "now" else e_before
                exposure.loc[rows] = sums["total"].where(share.loc[rows].to_numpy(), 1.0).to_numpy()
        data[f"change_vs_{name}_pct"] = _pct(now / e_now, before / e_before)
        stats = change_statistics(now, before, e_now, e_before)
        suffix = "" if name == "previous" else "_vs_baseline"
        for column in STAT_COLUMNS if name == "previous" else BASELINE_STAT_COLUMNS:
            if column != "small_count":
                data[column + suffix] = _round(stats[column], 4)
        if name == "previous":
            reported_small = stats["small_count"]
        resting += [now.where(events & before.notna()), before.where(events)]
        zero = before.eq(0) & now.notna()
        why[zero & (why == "")] = "no percentage change or rate ratio from 0 (" + label[zero] + " is 0)"
        why[zero & (why != "") & ~why.str.startswith("no ")] += "; no percentage change or rate ratio from 0"
        data[f"_why_{name}"] = why
        if name == "previous":
            # Wheeler's z compares two Poisson counts of equal exposure: a share's totals differ.
            data.loc[share, "wheeler_z"] = np.nan
            data.loc[share & before.notna(), "_why_wheeler"] = "no Wheeler z for a share (its totals differ)"
    data.loc[
        share & (data["change_vs_previous_pct"].notna() | data["change_vs_baseline_pct"].notna()),
        "_why_share",
    ] = SHARE_CHANGE
    # True where any count the row's figures rest on (its own, or one it is compared with) is small.
    flags = [c.lt(SMALL_COUNT) & c.notna() for c in resting]
    # A reported figure has no counts behind it here: flagged, as ever, by the two figures compared.
    data["small_count"] = np.where(counted | share, np.logical_or.reduce(flags), reported_small)
    # The previous period may be the baseline one: say it once.
    same = data["_why_previous"] == data["_why_baseline"]
    data.loc[same, "_why_baseline"] = ""
    kind = data["period"].map(periods.kind_of)
    whole = kind.map(lambda k: periods.months_in(k) if k else np.nan)
    part = (counted | share) & own.notna() & (own < whole)
    data.loc[part, "_why_period"] = [
        f"part period: {int(n)} of {int(w)} months of data ({month_names(months.held[s].get(p, []))}), "
        "counted over those months"
        for n, w, s, p in zip(own[part], whole[part], source[part], data["period"][part], strict=True)
    ]
    return data


def _summed(counts: pd.DataFrame | None, rows: pd.DataFrame, chosen: list, share: pd.Series) -> pd.DataFrame:
    """Each row's count over the months `chosen` (and, for a share, its total: every split of the
    measure in the area), aligned with `rows`."""
    keys = ["measure_id", "area_code", "breakdown"]
    if counts is None or counts.empty:
        return pd.DataFrame({"count": np.nan, "total": np.nan}, index=rows.index)
    picked = counts[counts["month"].isin(chosen) & counts["measure_id"].isin(set(rows["measure_id"]))]
    count = picked.groupby(keys)["value"].sum()
    total = picked.groupby(["measure_id", "area_code"])["value"].sum()
    at = rows[keys]
    got = at.merge(count.rename("count").reset_index(), on=keys, how="left")
    got = got.merge(total.rename("total").reset_index(), on=["measure_id", "area_code"], how="left")
    got["count"] = got["count"].fillna(0.0)
    return got.set_index(rows.index)[["count", "total"]]


def _band(breakdown: str) -> tuple[str, str]:
    """('age_band', '18-24') from 'age_band=18-24'; ('', '') for no breakdown."""
    by, _, label = breakdown.partition("=")
    return by, label


_AGES = {label: (lo, hi) for lo, hi, label in AGE_BANDS}


def _ages(measure: Measure, breakdown: str) -> tuple[int, int] | None:
    """The ages a row's population covers: the measure's, narrowed to its age band. None: no ages
    (the band lies outside the measure's population, or the age is unknown)."""
    band = POPULATIONS[measure.population] or (0, 200)
    by, label = _band(breakdown)
    if by != "age_band":
        return band
    if label not in _AGES:
        return None
    lo, hi = max(band[0], _AGES[label][0]), min(band[1], _AGES[label][1])
    return (lo, hi) if lo <= hi else None


def _within_population(data: pd.DataFrame, meta: dict[str, Measure]) -> pd.DataFrame:
    """Drop the age bands a measure's population does not reach (an under-25 measure has no 25-34)."""
    bands = data["breakdown"].str.startswith("age_band=") & ~data["breakdown"].isin(
        [f"age_band={UNKNOWN['age_band']}", *[f"age_band={no_person(m)}" for m in meta.values()]]
    )
    if not bands.any():
        return data
    pairs = data.loc[bands, ["measure_id", "breakdown"]].drop_duplicates()
    outside = {(m, b) for m, b in pairs.itertuples(index=False) if _ages(meta[m], b) is None}
    drop = bands & pd.Series(
        list(zip(data["measure_id"], data["breakdown"], strict=True)), index=data.index
    ).isin(outside)
    return data[~drop].reset_index(drop=True)


def _rates(data: pd.DataFrame, wh: Warehouse, meta: dict[str, Measure], areas: dict) -> pd.DataFrame:
    """Rate per 100,000 of the population the row is about: the measure's, narrowed to the row's age
    band or sex."""
    pop = wh.to_arrow(wh.table("population")).to_pandas()
    data = data.copy()
    data["rate_per_100k"] = np.nan
    data["rate_denominator"] = ""
    if "sex" not in pop:
        pop["sex"] = "all"
    pop = pop[pop["area_code"].isin(set(areas["lads"]))]
    # Each (year, sex, area)'s population by single year of age (90 holds 90 and over).
    ages: dict[tuple[int, str, str], np.ndarray] = {}
    for (year, sex, area), rows in pop.groupby(["year", "sex", "area_code"]):
        counts = np.zeros(121)
        np.add.at(counts, rows["age"].clip(0, 120).to_numpy(), rows["population"].to_numpy(dtype="float64"))
        ages[(int(year), str(sex), str(area))] = counts
    for year, sex in {(y, s) for y, s, _a in ages}:
        # The force's population is its boroughs': only where every borough has one.
        held = [ages[(year, sex, lad)] for lad in areas["lads"] if (year, sex, lad) in ages]
        if held and len(held) == len(areas["lads"]):
            ages[(year, sex, FORCE_CODE)] = np.sum(held, axis=0)
    years = {sex: sorted({y for y, s, _a in ages if s == sex}) for sex in ("all", "M", "F")}

    def denominator(measure_id: str, period: str, area: str, breakdown: str) -> tuple[float, str, str]:
        """The population, the reason there is none ('' where the measure has no rates) or a note on the
        estimate used, and what the rate divides by."""
        m = meta[measure_id]
        if POPULATIONS[m.population] is None or m.unit == "percent" or m.value != "count":
            return np.nan, "", ""
        if periods.kind_of(period) is None:
            return np.nan, "", ""
        by, label = _band(breakdown)
        person = breakdown_role(m)
        if label == no_person(m):
            return np.nan, f"no rate for crimes with no {person} recorded", ""
        if by in BREAKDOWNS and label == UNKNOWN[by]:
            return np.nan, f"no rate for a {person} of unknown {by.replace('_band', '')}", ""
        sex = label if by == "sex" else "all"
        if not years[sex]:
            if sex != "all":
                return np.nan, "no rate by sex: the population data has no figures by sex", ""
            return np.nan, "no rate: no population data loaded", ""
        # The latest estimate not after the period; before the first estimate, the first, saying so.
        year = max([y for y in years[sex] if y <= periods.year_of(period)], default=years[sex][0])
        span = _ages(m, breakdown)
        counts = ages.get((year, sex, area))
        if span is None:
            return np.nan, "", ""
        if counts is None:
            what = "by sex " if sex != "all" else ""
            return np.nan, f"no rate: no population {what}for this area in {year}", ""
        total = float(counts[span[0] : min(span[1], 120) + 1].sum())
        if total <= 0:
            return np.nan, "", ""
        note = ""
        if year > periods.year_of(period):
            note = (
                f"rate over the mid-{year} population, the earliest estimate loaded (none for {period[:4]})"
            )
        return total, note, f"{_residents(span, sex)}, mid-{year} estimate"

    keys = ["measure_id", "period", "area_code", "breakdown"]
    combos = data[keys].drop_duplicates()
    found = [denominator(*c) for c in combos.itertuples(index=False, name=None)]
    combos = combos.assign(
        __den=[d for d, _, _ in found], __why=[why for _, why, _ in found], __of=[of for _, _, of in found]
    )
    matched = data[keys].merge(combos, on=keys, how="left")
    den = pd.Series(matched["__den"].to_numpy(dtype="float64"), index=data.index)
    data["rate_per_100k"] = _round(data["value"] / den * 100_000, 1)
    data["rate_denominator"] = matched["__of"].to_numpy()
    data["_why_rate"] = matched["__why"].to_numpy()
    # A part period's rate is of its months alone: say so rather than annualise it.
    rated = data["rate_per_100k"].notna() & (data["_why_period"] != "")
    data.loc[rated, "_why_rate"] = [
        "; ".join(p for p in (f"rate over {_plural(int(n), 'month')}, not annualised", why) if p)
        for n, why in zip(data.loc[rated, "months"], data.loc[rated, "_why_rate"], strict=True)
    ]
    # The force's count holds records in no reported borough; its population is the boroughs'.
    outside = data["_outside"].fillna(0)
    off = (data["area_code"] == FORCE_CODE) & (outside > 0)
    data.loc[off, "_why_area"] = [
        f"includes {int(n):,} counted in no reported borough (outside the five boroughs, or unplaced): "
        f"the boroughs add up to {int(v - n):,}"
        + ("; its rate divides all by the five boroughs' population" if rated_ else "")
        for n, v, rated_ in zip(
            outside[off],
            data.loc[off, "_count"].where(data.loc[off, "_count"].notna(), data.loc[off, "value"]),
            data.loc[off, "rate_per_100k"].notna(),
            strict=True,
        )
    ]
    return data


def _residents(span: tuple[int, int], sex: str) -> str:
    """Who a rate divides by: 'residents under 25', 'female residents aged 18-24'."""
    who = {"M": "male residents", "F": "female residents"}.get(sex, "residents")
    lo, hi = span
    if lo == 0 and hi >= 90:
        return who
    if lo == 0:
        return f"{who} under {hi + 1}"
    if hi >= 90:
        return f"{who} aged {lo} and over"
    return f"{who} aged {lo}-{hi}"


def _breakdown_person(data: pd.DataFrame, meta: dict[str, Measure]) -> list[str]:
    return [
        breakdown_role(meta[m]) if _band(b)[0] in BREAKDOWNS else ""
        for m, b in zip(data["measure_id"], data["breakdown"], strict=True)
    ]


def _notes(data: pd.DataFrame, meta: dict[str, Measure]) -> list[str]:
    """The measure's note, then every reason the row's figures are blank or adjusted."""
    offences = [m.id for m in meta.values() if m.count == "offences"]
    once = (data["breakdown_person"] != "") & data["measure_id"].isin(offences)
    by = data["breakdown"].str.split("=", n=1).str[0].str.replace("_band", "")
    why_band = pd.Series("", index=data.index)
    why_band[once] = "each crime counted once, by its youngest " + data["breakdown_person"] + "'s " + by
    own = data["measure_id"].map(lambda i: meta[i].note.strip().rstrip("."))
    reasons = [data[r] if r != "_why_band" else why_band for r in _REASONS]
    return ["; ".join(p for p in row if p) for row in zip(own, *reasons, strict=True)]
