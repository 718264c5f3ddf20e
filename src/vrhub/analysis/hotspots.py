"""Hot spots of a measure or a police.uk crime type by LSOA: Getis-Ord Gi*, FDR-corrected, with
sfhotspot's space-time classes over monthly slices.

Counts are aggregated to LSOA before any statistics: police.uk moves every crime to an anonymous map
point, so point-level "hot spots" can be artefacts of snapping (field references 5.3). LSOAs have
similar populations (about 1,500 people), so counts per LSOA compare roughly like rates.

How it is done (choices documented in `vrhub.stats.spacetime`): binary queen weights with self
(Gi*), analytical two-sided p-values (guarded for sparse counts), Benjamini-Hochberg FDR across the
area's LSOAs. Every LSOA of the
area is in the test, with zero counts where nothing was recorded: leaving them out would make the
remaining LSOAs look ordinary.

police.uk and police records code places to 2011 LSOAs before 2022 and 2021 LSOAs after. A period spanning
the change is analysed on the 2021 LSOAs, each retired 2011 code counted in its best-fit 2021 LSOA
(`vrhub.geography.best_fit`), so no record drops out; the result says how many were mapped.
"""

from __future__ import annotations

import json
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import esda
import geopandas as gpd
import ibis
import numpy as np
import pandas as pd

import vrhub.stats.spacetime as spacetime
from vrhub.errors import BadValue, VrhubError, one_of
from vrhub.geography import VINTAGES, load_lsoa_boundaries
from vrhub.geography.best_fit import load_best_fit
from vrhub.measures.catalogue import EVENT_DATE, builtin_catalogue
from vrhub.measures.expressions import row_filter
from vrhub.warehouse import Warehouse

TABLE_COLUMNS = [
    "lsoa_code",
    "lsoa_name",
    "lad_code",
    "count",
    "gi_z",
    "p_value",
    "p_fdr",
    "hot",
    "class",
    "note",
]
ALPHA = 0.05
# An LSOA with fewer records than this over the period is never called a hot spot, whatever its Gi*: Gi*
# tests the neighbourhood (the LSOA and those touching it), so one record beside a few others passes in a
# sparse month, yet a handful of records is no concentration (one incident can make it). 5 is the usual
# least expected count for a normal approximation. docs/architecture.md, "Hot spots", states the rule.
MIN_COUNT = 5
# Fewer records than LSOAs over the period (most LSOAs empty): the map is too sparse for Gi* to be read alone.
SPARSE_PER_LSOA = 1.0
ALL_POLICE_UK = "All police.uk crimes and anti-social behaviour"
SEED = 2019  # permutation p-values only: the same data give the same answer every run
# police.uk files up to this month use 2011 LSOA codes, later ones 2021 codes; used only to break a tie.
LAST_2011_MONTH = "2021-12"
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _month_bound(value: str | None, name: str) -> str | None:
    if value is not None and not _MONTH.match(value):
        raise BadValue(
            f"'{value}' is not a month", "Give a month as YYYY-MM, e.g. 2019-09.", parameter=name, value=value
        )
    return value


def _subject(measure: str | None, crime_type: str | None) -> tuple[str, Any, str, str]:
    """(source table, row filter as a function of the table, counting unit, label) of what is counted."""
    if measure and crime_type:
        raise BadValue(
            "give a measure or a crime type, not both",
            "A measure already says what it counts; leave the crime type out.",
            parameter="crime_type",
            value=crime_type,
        )
    if measure:
        m = builtin_catalogue().get(measure)
        if m.source not in EVENT_DATE:
            raise VrhubError(
                f"measure '{measure}' is a reported indicator with no LSOA",
                "Hot spots need a measure counted from records (police, ED, ambulance, fire).",
                parameter="measure",
                value=measure,
            )
        unit = "offences" if m.count == "offences" else "records"
        return m.source, (lambda t: row_filter(m, t)), unit, m.title
    if crime_type:
        from vrhub.sources.police_uk import CRIME_TYPES

        known = {c.lower(): c for c in CRIME_TYPES}
        if crime_type.lower() not in known:
            raise BadValue(
                f"'{crime_type}' is not a police.uk crime type",
                one_of(CRIME_TYPES),
                parameter="crime_type",
                value=crime_type,
            )
        name = known[crime_type.lower()]
        return "police_uk_crimes", (lambda t: t.crime_type == name), "records", name
    return "police_uk_crimes", (lambda t: ibis.literal(True)), "records", ALL_POLICE_UK


def lsoa_counts(
    wh: Warehouse,
    *,
    measure: str | None = None,
    crime_type: str | None = None,
    start: str | None = None,
    end: str | None = None,
    best_fit: str | Path | None = None,
) -> pd.DataFrame:
    """Counts by month and LSOA (columns month 'YYYY-MM', lsoa_code, count), computed in the warehouse.

    With `measure`: the catalogue measure's rows (distinct crimes when it counts offences); with
    `crime_type`: police.uk rows of that type; with neither: every police.uk row. `start`/`end` are
    inclusive months; without them every month loaded for the source is used. Rows with no LSOA or outside
    the area are left out, and `df.attrs` says how many. A period spanning the 2011 to 2021 LSOA change is
    counted on 2021 LSOAs, each 2011 code in its best-fit 2021 LSOA (`best_fit`: a lookup file, default
    `vrhub.geography.best_fit.load_best_fit`); `df.attrs` says which vintage, how many rows were mapped,
    and the months (every loaded month in range, even one with nothing counted).
    """
    source, where, unit, label = _subject(measure, crime_type)
    start, end = _month_bound(start, "start"), _month_bound(end, "end")
    if start and end and start > end:
        raise BadValue(
            f"the start ({start}) is after the end ({end})",
            f"Give the earlier month first, e.g. --from {end} --to {start}.",
            parameter="start",
            value=start,
        )
    t = wh.table(source)
    t = t.mutate(__month=t[EVENT_DATE[source]].cast("date").truncate("M"))
    in_period = ibis.literal(True)
    if start:
        in_period &= t.__month >= ibis.date(f"{start}-01")
    if end:
        in_period &= t.__month <= ibis.date(f"{end}-01")
    months = sorted(
        f"{m:%Y-%m}"
        for m in wh.to_arrow(t.filter(in_period).select("__month").distinct()).column(0).to_pylist()
    )
    if not months:
        raise _nothing_loaded(wh, t, source, start, end)
    rows = t.filter(in_period & where(t))
    agg = rows.crime_key.nunique() if unit == "offences" else rows.count()
    grouped = rows.group_by(["__month", "lsoa_code", "out_of_area"]).aggregate(count=agg)
    df = wh.to_arrow(grouped).to_pandas()
    df["month"] = pd.to_datetime(df["__month"]).dt.strftime("%Y-%m")
    no_lsoa = df["lsoa_code"].isna()
    out_of_area = ~no_lsoa & df["out_of_area"].eq(True)
    inside = df[~no_lsoa & ~out_of_area]
    vintage = _vintage(inside, months)
    one_vintage, mapped = to_vintage(inside, vintage, best_fit)
    in_vintage = one_vintage["lsoa_code"].isin(set(load_lsoa_boundaries(vintage)["lsoa_code"]))
    out = (
        one_vintage[in_vintage]
        .groupby(["month", "lsoa_code"], as_index=False)["count"]
        .sum()
        .astype({"count": "int64"})
        .sort_values(["month", "lsoa_code"], ignore_index=True)
    )
    out.attrs = {
        "subject": label,
        "source": source,
        "unit": unit,
        "measure": measure,
        "crime_type": label if crime_type else None,
        "months": months,
        "vintage": vintage,
        "rows_counted": int(out["count"].sum()),
        "rows_mapped": mapped,
        "rows_excluded": {
            "no_lsoa": int(df.loc[no_lsoa, "count"].sum()),
            "out_of_area": int(df.loc[out_of_area, "count"].sum()),
            # In the area by the lookup, yet on neither vintage's map nor in the best-fit table.
            "no_boundary": int(one_vintage.loc[~in_vintage, "count"].sum()),
        },
    }
    return out


def _nothing_loaded(wh: Warehouse, t: Any, source: str, start: str | None, end: str | None) -> VrhubError:
    """The error for a period with no rows, naming the months asked for and the months there are."""
    from vrhub.sources import SOURCES

    name = next((n for n, spec in SOURCES.items() if spec.table == source), source)
    span = wh.to_arrow(t.aggregate(first=t.__month.min(), last=t.__month.max())).to_pylist()[0]
    if span["first"] is None:
        return VrhubError(
            f"no {source} rows are loaded",
            f"Load some first: vrhub ingest {name} FILE (or choose --measure or --crime-type for a source "
            "that is loaded).",
        )
    asked = (
        f"{start} to {end}" if start and end else f"from {start}" if start else f"up to {end}" if end else ""
    )
    loaded = f"{span['first']:%Y-%m} to {span['last']:%Y-%m}"
    return VrhubError(
        f"no {source} rows loaded {asked}: the months loaded are {loaded}",
        f"Choose months from {loaded}, or load the months you want (vrhub ingest {name} FILE).",
    )


def _vintage(counts: pd.DataFrame, months: list[str]) -> int:
    """The LSOA vintage every counted row can be put on.

    Any row coded to a 2021-only LSOA makes it 2021 (2011 codes then go to their best fit; the reverse has
    no single answer for a merged LSOA). Otherwise 2011 when a row has a 2011-only code; when every code is
    in both vintages, the one the months were coded to.
    """
    codes = {v: set(load_lsoa_boundaries(v)["lsoa_code"]) for v in VINTAGES}
    present = set(counts.loc[counts["count"] > 0, "lsoa_code"])
    if present & (codes[2021] - codes[2011]):
        return 2021
    if present & (codes[2011] - codes[2021]):
        return 2011
    return 2011 if months[-1] <= LAST_2011_MONTH else 2021


def to_vintage(
    counts: pd.DataFrame, vintage: int, best_fit: str | Path | None = None
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """`counts` (lsoa_code, count, ...) with 2011-only codes replaced by their best-fit 2021 LSOA when
    `vintage` is 2021, and what was mapped: rows, LSOAs, from, to and the lookup used (see
    `vrhub.geography.best_fit`). Codes the lookup does not know are kept as they are."""
    mapped: dict[str, Any] = {"rows": 0, "lsoas": 0, "from": 2011, "to": vintage, "lookup": None}
    if vintage != 2021:
        return counts, mapped
    codes21 = set(load_lsoa_boundaries(2021)["lsoa_code"])
    old = ~counts["lsoa_code"].isin(codes21)
    if not old.any():
        return counts, mapped
    table = load_best_fit(best_fit)
    fit = counts.loc[old, "lsoa_code"].map(table.set_index("lsoa11_code")["lsoa21_code"])
    hit = fit.notna()
    out = counts.copy()
    out.loc[fit.index[hit], "lsoa_code"] = fit[hit]
    mapped.update(
        rows=int(counts.loc[fit.index[hit], "count"].sum()),
        lsoas=int(counts.loc[fit.index[hit], "lsoa_code"].nunique()),
        lookup=table.attrs.get("source"),
    )
    return out, mapped


def vintage_note(meta: dict[str, Any]) -> str:
    """One sentence on the LSOA vintage the counts are on and how many were mapped to it."""
    vintage, mapped = meta.get("vintage"), meta.get("rows_mapped") or {}
    if not mapped.get("rows"):
        return f"On {vintage} LSOA boundaries; no record needed mapping between LSOA vintages."
    rows, lsoas = mapped["rows"], mapped["lsoas"]
    unit = meta.get("unit", "records")
    unit = unit.removesuffix("s") if rows == 1 else unit
    return (
        f"On {vintage} LSOA boundaries: {rows:,} {unit} coded to {mapped['from']} LSOAs that changed in "
        f"{mapped['to']} ({lsoas} LSOA{'s' if lsoas != 1 else ''}) {'was' if rows == 1 else 'were'} "
        f"counted in their best-fit {mapped['to']} LSOA ({mapped['lookup']})."
    )


def getis_ord(
    counts_by_lsoa: pd.Series | pd.DataFrame,
    boundaries: gpd.GeoDataFrame,
    weights: Any = None,
    alpha: float = ALPHA,
    permutations: int = 0,
) -> pd.DataFrame:
    """Gi* of each LSOA in `boundaries` (row order kept): lsoa_code, count, gi_z, p_value, p_fdr, hot, cold.

    `counts_by_lsoa`: a Series indexed by lsoa_code, or a frame with lsoa_code and count (summed over any
    other columns, e.g. month). LSOAs with no count get 0; codes not in `boundaries` are ignored.
    esda.G_Local(star=True, transform="B"): binary queen weights with self; analytical two-sided p-values
    guarded by an exact binomial p for sparse counts (see `spacetime`), or with `permutations` twice
    esda's folded permutation p (seed fixed); then Benjamini-Hochberg across all LSOAs.
    hot = p_fdr < alpha and z > 0.
    """
    if isinstance(counts_by_lsoa, pd.DataFrame):
        counts_by_lsoa = counts_by_lsoa.groupby("lsoa_code")["count"].sum()
    y = counts_by_lsoa.reindex(boundaries["lsoa_code"]).fillna(0).to_numpy(dtype=float)
    w = weights if weights is not None else spacetime.queen_weights(boundaries)
    if np.ptp(y) == 0:  # nothing to cluster (e.g. no events at all): G_Local would divide by zero
        z, p = np.zeros_like(y), np.ones_like(y)
    else:
        with warnings.catch_warnings():
            # esda warns that its default alternative will change; we double its folded p ourselves.
            warnings.simplefilter("ignore", DeprecationWarning)
            g = esda.G_Local(y, w, transform="B", star=True, permutations=permutations, seed=SEED, n_jobs=1)
        z = g.Zs
        p = np.minimum(1.0, 2 * g.p_sim) if permutations else spacetime.gi_star_p(y, w, z)
    p_fdr = spacetime.fdr_bh(p)
    significant = p_fdr < alpha
    return pd.DataFrame(
        {
            "lsoa_code": boundaries["lsoa_code"].to_numpy(),
            "count": y.astype("int64"),
            "gi_z": z,
            "p_value": p,
            "p_fdr": p_fdr,
            "hot": significant & (z > 0),
            "cold": significant & (z < 0),
        }
    )


@dataclass
class HotspotResult:
    """`table`: one row per LSOA of the area, hottest first. `metadata`: what was counted, months, vintage,
    rows excluded and the method. `boundaries`: LSOA geometries. `monthly_hot`: LSOA x month, True where
    that month's Gi* made the LSOA a hot spot (what its class was derived from)."""

    table: pd.DataFrame
    boundaries: gpd.GeoDataFrame
    metadata: dict[str, Any] = field(default_factory=dict)
    monthly_hot: pd.DataFrame | None = None

    @property
    def hotspots(self) -> pd.DataFrame:
        return self.table[self.table["hot"]]

    @property
    def period_label(self) -> str:
        months = self.metadata["months"]
        first, last = (pd.Period(m, "M").strftime("%b %Y") for m in (months[0], months[-1]))
        span = first if first == last else f"{first} to {last}"
        return f"{span} ({len(months)} month{'s' if len(months) != 1 else ''})"

    @property
    def vintage_note(self) -> str:
        """Which LSOA boundaries the counts are on and how many records were mapped from 2011 LSOAs."""
        return vintage_note(self.metadata)

    def geodataframe(self) -> gpd.GeoDataFrame:
        geoms = self.boundaries.set_index("lsoa_code").geometry.reindex(self.table["lsoa_code"])
        return gpd.GeoDataFrame(self.table.reset_index(drop=True), geometry=geoms.to_numpy(), crs=4326)

    def geojson(self) -> str:
        """A GeoJSON FeatureCollection (lon/lat) of every LSOA with the table's columns as properties."""
        doc = self.geodataframe().to_geo_dict(na="null", drop_id=True)
        doc["metadata"] = self.metadata  # foreign member (RFC 7946 s6.1): readers ignore it
        # numpy scalars (in metadata) as plain numbers; anything else fails loudly.
        return json.dumps(doc, separators=(",", ":"), default=lambda v: v.item())


def find_hotspots(
    wh: Warehouse,
    measure: str | None = None,
    crime_type: str | None = None,
    start: str | None = None,
    end: str | None = None,
    params: spacetime.ClassifyParams | None = None,
    permutations: int = 0,
    best_fit: str | Path | None = None,
) -> HotspotResult:
    """Gi* hot spots of the whole period by LSOA, and each LSOA's space-time class over its months.
    `permutations` > 0: permutation p-values for the period map (the monthly maps stay analytical).
    `best_fit`: the 2011-to-2021 LSOA lookup for a period spanning the change (see `lsoa_counts`)."""
    counts = lsoa_counts(wh, measure=measure, crime_type=crime_type, start=start, end=end, best_fit=best_fit)
    return hotspots_from_counts(
        counts, load_lsoa_boundaries(counts.attrs["vintage"]), params=params, permutations=permutations
    )


def _notes(table: pd.DataFrame, withheld: pd.Series, months: int, params: spacetime.ClassifyParams) -> Any:
    """Why a row reads as it does, where it could mislead: a significant LSOA not called a hot spot, and a
    hot spot whose space-time class is "none"."""
    note = pd.Series("", index=table.index, dtype=object)
    count = table["count"]
    note[withheld] = [
        f"not called a hot spot: {n} record{'s' if n != 1 else ''} here, fewer than {MIN_COUNT}; Gi* found "
        "the neighbourhood high, but so few records are no concentration"
        for n in count[withheld]
    ]
    unclassed = table["hot"] & (table["class"] == "none")
    note[unclassed] = (
        "class none: one month only, and a space-time class needs two or more monthly maps"
        if months < 2
        else f"class none: hot over the whole period, but in under {params.hotspot_prop:.0%} of the monthly "
        "maps (each month alone too few records to be significant)"
    )
    return note


def _warnings(table: pd.DataFrame, withheld: int, unit: str) -> list[str]:
    said = []
    if withheld:
        said.append(
            f"{withheld} LSOA{'s' if withheld != 1 else ''} significant by Gi* but with fewer than "
            f"{MIN_COUNT} {unit} each {'were' if withheld != 1 else 'was'} not called hot spots (the note "
            "column of the CSV or GeoJSON names them)."
        )
    total, lsoas = int(table["count"].sum()), len(table)
    if lsoas and total < SPARSE_PER_LSOA * lsoas:
        empty = float((table["count"] == 0).mean())
        said.append(
            f"Only {total:,} {unit} over {lsoas:,} LSOAs ({total / lsoas:.2f} per LSOA; {empty:.0%} of LSOAs "
            "have none): counts this sparse make Gi* fragile. Widen the period or the offences counted "
            "before reading any hot spot."
        )
    return said


def hotspots_from_counts(
    counts: pd.DataFrame,
    boundaries: gpd.GeoDataFrame,
    params: spacetime.ClassifyParams | None = None,
    permutations: int = 0,
) -> HotspotResult:
    """The analysis of `find_hotspots` on counts already made (month, lsoa_code, count; `counts.attrs`
    as `lsoa_counts` sets them, or at least `months`). `boundaries`: lsoa_code, lsoa_name, lad_code,
    geometry for every LSOA of the area.

    hot = Gi* significant and high (p_fdr < alpha, z > 0) and at least MIN_COUNT records in the LSOA itself;
    `note` says why a significant LSOA is not hot, or why a hot one has no class; `metadata["warnings"]`
    says when the counts are too sparse to read."""
    params = params or spacetime.ClassifyParams()
    meta = dict(counts.attrs)
    months = meta.setdefault("months", sorted(counts["month"].unique()))
    w = spacetime.queen_weights(boundaries)
    gi = getis_ord(counts, boundaries, weights=w, alpha=params.critical_p, permutations=permutations)
    # Areas x months, oldest first, zeros where nothing was counted; every loaded month is a period.
    cube = (
        counts.pivot_table(index="lsoa_code", columns="month", values="count", aggfunc="sum")
        .reindex(index=boundaries["lsoa_code"], columns=months)
        .fillna(0)
        .to_numpy()
    )
    hot_months = spacetime.hot_matrix(cube, w, params.critical_p)
    table = boundaries[["lsoa_code", "lsoa_name", "lad_code"]].merge(gi, on="lsoa_code", validate="1:1")
    table["class"] = spacetime.classify(hot_months, params)
    withheld = table["hot"] & (table["count"] < MIN_COUNT)
    table["hot"] = table["hot"] & ~withheld
    table["note"] = _notes(table, withheld, len(months), params)
    cold = table.pop("cold")
    table = table.sort_values(["gi_z", "lsoa_code"], ascending=[False, True], ignore_index=True)
    table = table[TABLE_COLUMNS]
    recent = spacetime.recent_periods(len(months), params.recent_prop)
    meta.update(
        {
            "lsoas": len(boundaries),
            "hot": int(table["hot"].sum()),
            "cold": int(cold.sum()),
            "alpha": params.critical_p,
            "min_count": MIN_COUNT,
            "withheld": int(withheld.sum()),
            "warnings": _warnings(table, int(withheld.sum()), meta.get("unit", "records")),
            "method": (
                "Getis-Ord Gi* (esda.G_Local, star=True) on counts per LSOA; binary queen contiguity "
                "with self; "
                + (
                    f"permutation p-values ({permutations}, seed {SEED})"
                    if permutations
                    else "analytical two-sided p-values, at least the exact binomial p"
                )
                + "; Benjamini-Hochberg FDR across LSOAs; hot = p_fdr < alpha and z > 0 and at least "
                + f"{MIN_COUNT} records in the LSOA"
            ),
            "classes": (
                f"sfhotspot hotspot_classify over {len(months)} monthly Gi* maps (FDR per month): "
                f"persistent = hot in >= {params.persistent_prop:.0%} of months; recent = the last "
                f"{recent} month(s); any class needs >= {params.hotspot_prop:.0%} of months hot"
                + (
                    ""
                    if len(months) >= 10
                    else f". Only {len(months)} months: the classes rest on few maps, read them as indicative"
                )
            ),
        }
    )
    monthly = pd.DataFrame(
        hot_months, columns=months, index=pd.Index(boundaries["lsoa_code"], name="lsoa_code")
    )
    return HotspotResult(
        table=table,
        boundaries=boundaries[["lsoa_code", "geometry"]].reset_index(drop=True),
        metadata=meta,
        monthly_hot=monthly,
    )


def kernel_density(
    wh: Warehouse,
    crime_type: str | None = None,
    start: str | None = None,
    end: str | None = None,
    cell_size: float = 250.0,
    bandwidth: float | None = None,
) -> pd.DataFrame:
    """Gaussian kernel density of police.uk points on a grid over Merseyside (British National Grid).

    Returns one row per cell centre inside the five boroughs: x, y (metres, EPSG:27700), lon, lat and
    `density` (events per km² over the period). `bandwidth` (metres, the kernel's standard deviation)
    defaults to the normal-reference rule averaged over x and y (as sfhotspot's `hotspot_kde`), which at
    force scale is well over police.uk's snapping distance: the map points stop looking like hot spots.
    The points are binned to the grid and smoothed with a Gaussian filter (scipy.ndimage), which equals
    scipy's `gaussian_kde` up to binning error when cells are much smaller than the bandwidth.
    """
    from scipy import ndimage

    from vrhub.geography import load_boroughs

    _, where, _, label = _subject(None, crime_type)
    t = wh.table("police_uk_crimes")
    month = t.month.truncate("M")
    keep = where(t) & t.longitude.notnull() & t.latitude.notnull()
    if start := _month_bound(start, "start"):
        keep &= month >= ibis.date(f"{start}-01")
    if end := _month_bound(end, "end"):
        keep &= month <= ibis.date(f"{end}-01")
    pts = wh.to_arrow(t.filter(keep).select("longitude", "latitude")).to_pandas()
    area = load_boroughs().to_crs(27700)
    xy = gpd.GeoSeries(gpd.points_from_xy(pts["longitude"], pts["latitude"]), crs=4326).to_crs(27700)
    x, y = xy.x.to_numpy(), xy.y.to_numpy()
    if len(x) < 2:
        raise VrhubError(f"too few police.uk points with coordinates for {label}", "Widen the period.")
    if bandwidth is None:
        spread = [min(np.std(v, ddof=1), np.subtract(*np.percentile(v, [75, 25])) / 1.34) for v in (x, y)]
        # Points all in one place (a tiny extract) have no spread: smooth over one cell instead.
        bandwidth = float(np.mean(spread)) * 1.06 * len(x) ** (-1 / 5) or cell_size
    x0, y0, x1, y1 = area.total_bounds
    ex, ey = np.arange(x0, x1 + cell_size, cell_size), np.arange(y0, y1 + cell_size, cell_size)
    binned, _, _ = np.histogram2d(x, y, bins=[ex, ey])
    smooth = ndimage.gaussian_filter(binned, sigma=bandwidth / cell_size, mode="constant", truncate=4.0)
    cx, cy = np.meshgrid((ex[:-1] + ex[1:]) / 2, (ey[:-1] + ey[1:]) / 2, indexing="ij")
    cells = gpd.GeoSeries(gpd.points_from_xy(cx.ravel(), cy.ravel()), crs=27700)
    inside = cells.within(area.union_all()).to_numpy()  # crop to the area, as sfhotspot advises
    lonlat = cells[inside].to_crs(4326)
    per_km2 = smooth.ravel()[inside] / (cell_size / 1000) ** 2
    out = pd.DataFrame(
        {
            "x": cx.ravel()[inside],
            "y": cy.ravel()[inside],
            "lon": lonlat.x.to_numpy(),
            "lat": lonlat.y.to_numpy(),
            "density": per_km2,
        }
    )
    out.attrs = {
        "subject": label,
        "points": len(x),
        "bandwidth_m": round(bandwidth, 1),
        "cell_size_m": cell_size,
    }
    return out
