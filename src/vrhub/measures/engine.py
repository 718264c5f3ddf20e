"""Compute measures for the force area and each borough, by period and breakdown, with changes and rates."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa

from vrhub.analysis.change import change_statistics
from vrhub.config import FORCE_CODE, FORCE_NAME
from vrhub.errors import VrhubError
from vrhub.measures import cube, periods
from vrhub.measures.catalogue import POPULATIONS, Catalogue, Measure
from vrhub.measures.expressions import BREAKDOWNS, grouped
from vrhub.warehouse import Warehouse
from vrhub.warehouse.history import as_at

COLUMNS = [
    "measure_id",
    "period",
    "area_code",
    "area_name",
    "breakdown",
    "value",
    "unit",
    "change_vs_previous_pct",
    "change_vs_baseline_pct",
    "rate_per_100k",
    "definition_version",
    "rate_ratio",
    "ci_low",
    "ci_high",
    "p_value",
    "wheeler_z",
    "small_count",
    "snapshot",
]
STAT_COLUMNS = ("rate_ratio", "ci_low", "ci_high", "p_value", "wheeler_z", "small_count")


@dataclass
class MeasureRequest:
    measures: list[str] | None = None  # None: every measure in the catalogue
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


def compute(wh: Warehouse, catalogue: Catalogue, request: MeasureRequest) -> MeasureResult:
    for by in request.breakdowns:
        if by not in BREAKDOWNS:
            raise VrhubError(f"cannot break down by '{by}'", f"Use --by {' or --by '.join(BREAKDOWNS)}.")
    if request.period and request.period not in periods.KINDS:
        raise VrhubError(f"unknown period '{request.period}'", f"Use --period {', '.join(periods.KINDS)}.")
    chosen = (
        [catalogue.get(m) for m in request.measures]
        if request.measures
        else list(catalogue.measures.values())
    )
    areas = _areas(wh)
    frames, partial = [], {}
    by_source: dict[str, list[Measure]] = {}
    for m in chosen:
        by_source.setdefault(m.source, []).append(m)
    for source, measures in by_source.items():
        if source == "indicators":
            frames.append(_indicators(wh, measures, request))
            continue
        counts, coverage = _event_counts(wh, source, measures, request, areas["lads"])
        partial[source] = {p: n for p, n in coverage.items() if n < periods.months_in(_kind(request))}
        frames.append(counts)
    found = [f for f in frames if not f.empty]  # a source with nothing loaded yet gives an empty frame
    data = pd.concat(found, ignore_index=True) if found else pd.DataFrame()
    if request.area:
        # Reported indicators may be for areas outside the lookup (England, a ward): those are known too.
        _check_area(request.area, areas, set(data["area_code"]) if not data.empty else set())
    if data.empty:
        return MeasureResult(
            pa.Table.from_pandas(pd.DataFrame(columns=COLUMNS), preserve_index=False), partial
        )
    data = _changes(data, {m.id: m for m in chosen})
    data = _rates(data, wh, {m.id: m for m in chosen}, areas)
    data["area_name"] = data["area_code"].map(areas["names"]).fillna(data["area_code"])
    meta = {m.id: m for m in chosen}
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
    table = pa.Table.from_pandas(data[COLUMNS], preserve_index=False)
    return MeasureResult(table, partial)


def _check_area(code: str, areas: dict, reported: set[str]) -> None:
    """A mistyped area code is an error, not an empty answer."""
    if code in areas["names"] or code in reported:
        return
    boroughs = ", ".join(f"{c} {areas['names'][c]}" for c in areas["lads"])
    raise VrhubError(
        f"no area '{code}' in the warehouse",
        f"Use --area {FORCE_CODE} ({FORCE_NAME}) or a borough: {boroughs}.",
    )


def snapshot(wh: Warehouse, as_at: int | None = None) -> str:
    """Which state of the warehouse a figure came from: the last load and a hash of every file loaded."""
    import hashlib

    t = wh.table("loads")
    if as_at is not None:
        t = t.filter(t.load_id <= as_at)
    loads = wh.to_arrow(t.select("load_id", "sha256").order_by("load_id")).to_pylist()
    if not loads:
        return "empty"
    digest = hashlib.sha256("".join(r["sha256"] or "" for r in loads).encode()).hexdigest()[:12]
    return f"loads 1-{loads[-1]['load_id']} ({digest})"


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
    # Counted at load: read those instead of scanning the records (they count the warehouse as it stands).
    counted = cube.complete(wh, source) if request.as_at is None else set()
    for group, extra in queries:
        if extra in BREAKDOWNS and extra.replace("age_band", "age") not in t.columns:
            raise VrhubError(
                f"{source} has no {extra.replace('_band', '')} to break down by",
                "Choose measures from a source that records people, or drop --by.",
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
            months = df.groupby("month")["__rows"].sum()
            coverage = pd.Series(periods.labels(kind, pd.Series(months.index))).value_counts()
        long_frames.append(
            df.drop(columns="__rows").melt(
                id_vars=["month", "lad_code", "breakdown"], var_name="measure_id", value_name="value"
            )
        )
    if not long_frames:
        return pd.DataFrame(), {}
    df = pd.concat(long_frames, ignore_index=True)
    df["period"] = periods.labels(kind, df["month"]) if not df.empty else []
    boroughs = (
        df[df["lad_code"].notna()].groupby(["measure_id", "period", "lad_code", "breakdown"])["value"].sum()
    )
    force = df.groupby(["measure_id", "period", "breakdown"])["value"].sum()
    force = force.reset_index().assign(lad_code=FORCE_CODE).set_index(boroughs.index.names)["value"]
    out = pd.concat([boroughs, force]).rename_axis(["measure_id", "period", "area_code", "breakdown"])
    out = _fill_zeros(out, list(coverage.index), [FORCE_CODE, *lads])
    out = out.reset_index()
    shares = {m.id for m in measures if m.value == "share"}
    if shares:
        out["value"] = out["value"].astype("float64")
        is_share = out["measure_id"].isin(shares)
        totals = out[is_share].groupby(["measure_id", "period", "area_code"])["value"].transform("sum")
        out.loc[is_share, "value"] = (100 * out.loc[is_share, "value"] / totals).round(1)
    return out, coverage.to_dict()


def _fill_zeros(series: pd.Series, all_periods: list[str], areas: list[str]) -> pd.Series:
    """A measure with nothing to count in a period the source covers is zero there, not missing."""
    if series.empty:
        return series
    combos = series.reset_index()[["measure_id", "breakdown"]].drop_duplicates()
    grid = [(m, p, a, b) for m, b in combos.itertuples(index=False) for p in all_periods for a in areas]
    index = pd.MultiIndex.from_tuples(grid, names=series.index.names).union(series.index)
    return series.reindex(index, fill_value=0)


def _indicators(wh: Warehouse, measures: list[Measure], request: MeasureRequest) -> pd.DataFrame:
    t = as_at(wh, "indicators", request.as_at)
    t = t.filter(t.indicator_id.isin([m.id for m in measures]))
    df = wh.to_arrow(t.select("indicator_id", "area_code", "period", "value", "load_id")).to_pandas()
    if df.empty:
        return pd.DataFrame()
    # A later load restating a figure replaces it.
    df = df.sort_values("load_id").drop_duplicates(["indicator_id", "area_code", "period"], keep="last")
    if request.period:
        df = df[df["period"].map(periods.kind_of) == request.period]
    return df.rename(columns={"indicator_id": "measure_id", "area_code": "area_code"}).assign(breakdown="")[
        ["measure_id", "period", "area_code", "breakdown", "value"]
    ]


def _pct(new: pd.Series, old: pd.Series) -> pd.Series:
    ratio = new.astype("float64") / old.astype("float64").where(old != 0)
    return ((ratio - 1) * 100).round(1)


def _changes(data: pd.DataFrame, meta: dict[str, Measure]) -> pd.DataFrame:
    keys = ["measure_id", "area_code", "breakdown"]
    values = data.set_index([*keys, "period"])["value"]
    previous = data["period"].map(periods.previous)
    baseline = [
        periods.in_baseline_year(p, meta[m].baseline)
        for m, p in zip(data["measure_id"], data["period"], strict=True)
    ]

    def look(labels: list[str] | pd.Series) -> pd.Series:
        idx = pd.MultiIndex.from_arrays(
            [data["measure_id"], data["area_code"], data["breakdown"], list(labels)]
        )
        return pd.Series(values.reindex(idx).to_numpy(), index=data.index)

    data = data.copy()
    before = look(previous)
    data["change_vs_previous_pct"] = _pct(data["value"], before)
    data["change_vs_baseline_pct"] = _pct(data["value"], look(baseline))
    # Counts, not rates: the rate ratio assumes the same population in both periods (it moves by well
    # under 1% a year), so it is the ratio of the counts with an exact interval and p-value.
    stats = change_statistics(data["value"], before)
    for column in STAT_COLUMNS:
        data[column] = stats[column].round(4) if column != "small_count" else stats[column]
    return data


def _rates(data: pd.DataFrame, wh: Warehouse, meta: dict[str, Measure], areas: dict) -> pd.DataFrame:
    pop = wh.to_arrow(wh.table("population")).to_pandas()
    data = data.copy()
    data["rate_per_100k"] = pd.NA
    if pop.empty:
        return data
    years = sorted(pop["year"].unique())
    lads = set(areas["lads"])
    pop = pop[pop["area_code"].isin(lads)]
    cache: dict[tuple, float | None] = {}

    def denominator(measure_id: str, period: str, area: str) -> float | None:
        band = POPULATIONS[meta[measure_id].population]
        kind = periods.kind_of(period)
        if band is None or meta[measure_id].unit == "percent" or kind is None:
            return None
        year = max([y for y in years if y <= periods.year_of(period)], default=years[0])
        key = (band, year, area)
        if key not in cache:
            rows = pop[(pop["year"] == year) & pop["age"].between(*band)]
            rows = rows if area == FORCE_CODE else rows[rows["area_code"] == area]
            cache[key] = float(rows["population"].sum()) or None
        return cache[key]

    denominators = [
        denominator(m, p, a)
        for m, p, a in zip(data["measure_id"], data["period"], data["area_code"], strict=True)
    ]
    den = pd.Series(denominators, index=data.index, dtype="float64")
    data["rate_per_100k"] = (data["value"] / den * 100_000).round(1)
    return data
