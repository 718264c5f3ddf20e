"""A static, printable choropleth of a `HotspotResult`: Altair (Vega-Lite) rendered offline by vl-convert.

No map tiles: partner networks often block them and a report must print the same everywhere. LSOAs are
coloured by Gi* significance band (as the usual ArcGIS/sfhotspot hot-spot maps are), boroughs outlined
and named so a reader can place the hot spots without a base map.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import altair as alt
import geopandas as gpd
import numpy as np
import shapely
import vl_convert as vlc

from vrhub.geography import load_boroughs

if TYPE_CHECKING:
    from vrhub.analysis.hotspots import HotspotResult

FONT = "DejaVu Sans, Arial, sans-serif"  # as the report's charts
# Bands darkest for the strongest evidence, so the map still reads in greyscale print.
BANDS = [
    ("Hot spot, FDR p < 0.01", "#a50f15"),
    ("Hot spot, FDR p < 0.05", "#f46d43"),
    ("Not significant", "#eeeeee"),
    ("Cold spot, FDR p < 0.05", "#74add1"),
]
WIDTH, HEIGHT = 620, 640
INSET = 300  # the side of the closer view, beside the whole-area map
INSET_NAMED = 5  # hot spots named in the closer view, strongest first
SOURCES = {
    "police_uk_crimes": "police.uk street-level crime",
    "police_records": "police recorded crime",
    "ed_attendances": "ED assault attendances",
    "hospital_admissions": "hospital admissions",
    "ambulance_callouts": "ambulance call-outs",
    "fire_incidents": "fire and rescue incidents",
}


def _band(table, alpha: float) -> np.ndarray:  # noqa: ANN001 - the result's table
    strong = table["p_fdr"] < min(0.01, alpha)
    significant = table["p_fdr"] < alpha
    return np.select(
        [table["hot"] & strong, table["hot"], significant & (table["gi_z"] < 0)],
        [BANDS[0][0], BANDS[1][0], BANDS[3][0]],
        default=BANDS[2][0],
    )


# Where to write each borough's name: chosen clear of the town centres, where hot spots usually are (a
# computed interior point put "St. Helens" on top of St Helens town centre). Other areas: an interior point.
LABELS = {
    "E08000011": (-2.845, 53.425),
    "E08000012": (-2.905, 53.372),
    "E08000013": (-2.715, 53.505),
    "E08000014": (-2.985, 53.585),
    "E08000015": (-3.115, 53.355),
}


def _label_points(boroughs: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    inside = boroughs.representative_point()
    pts = boroughs.drop(columns="geometry")
    pts["lon"] = [LABELS.get(c, (p.x, p.y))[0] for c, p in zip(boroughs["lad_code"], inside, strict=True)]
    pts["lat"] = [LABELS.get(c, (p.x, p.y))[1] for c, p in zip(boroughs["lad_code"], inside, strict=True)]
    return pts


def map_spec(result: HotspotResult) -> dict:
    """The Vega-Lite spec of the map (data inline), for embedding or rendering."""
    meta = result.metadata
    gdf = result.geodataframe()
    gdf["band"] = _band(gdf, meta.get("alpha", 0.05))
    gdf = gdf[["lsoa_name", "count", "gi_z", "p_fdr", "band", "class", "geometry"]]
    boroughs = load_boroughs()
    colour = alt.Color(
        "band:N",
        title="Getis-Ord Gi*",
        scale=alt.Scale(domain=[b for b, _ in BANDS], range=[c for _, c in BANDS]),
        legend=alt.Legend(
            orient="top-left",
            labelFontSize=12,
            titleFontSize=13,
            symbolSize=220,
            symbolStrokeColor="#555",
            fillColor="white",
            padding=6,
            offset=4,
        ),
    )
    lsoas = (
        alt.Chart(gdf)
        .mark_geoshape(stroke="white", strokeWidth=0.25)
        .encode(
            color=colour,
            tooltip=[
                "lsoa_name:N",
                "count:Q",
                alt.Tooltip("gi_z:Q", format=".2f"),
                alt.Tooltip("p_fdr:Q", format=".2g"),
                "class:N",
            ],
        )
    )
    outlines = alt.Chart(boroughs).mark_geoshape(filled=False, stroke="#222222", strokeWidth=1.4)
    points = _label_points(boroughs)
    text: dict[str, Any] = {"fontSize": 13, "fontWeight": "bold", "font": FONT}
    halo = alt.Chart(points).mark_text(stroke="white", strokeWidth=4, strokeOpacity=0.85, **text)
    names = alt.Chart(points).mark_text(color="#111111", **text)
    labels = [c.encode(longitude="lon:Q", latitude="lat:Q", text="lad_name:N") for c in (halo, names)]
    excluded = meta.get("rows_excluded", {})
    mapped = (meta.get("rows_mapped") or {}).get("rows", 0)
    notes = [
        f"{meta.get('rows_counted', 0):,} {meta.get('unit', 'records')} in {meta.get('lsoas', len(gdf))} "
        f"LSOAs ({meta.get('vintage')} boundaries"
        + (f"; {mapped:,} coded to 2011 LSOAs counted in their best-fit 2021 LSOA" if mapped else "")
        + "); "
        + (
            f"{sum(excluded.values()):,} without a Merseyside LSOA left out."
            if sum(excluded.values())
            else "every one has a Merseyside LSOA."
        ),
        "Gi* on counts, queen neighbours; Benjamini-Hochberg FDR across LSOAs.",
        f"Source: {SOURCES.get(meta.get('source', ''), 'vrhub warehouse')}. "
        "Boundaries: ONS (OGL v3), contains OS data © Crown copyright.",
    ]
    title = alt.TitleParams(
        text=[meta.get("subject", "Hot spots"), f"Hot spots by LSOA, {result.period_label}"],
        subtitle=notes,
        anchor="start",
        fontSize=16,
        subtitleFontSize=11,
        subtitleColor="#333333",
        offset=10,
        limit=WIDTH + 40,
    )
    hot = gdf[gdf["band"] == BANDS[0][0]].nlargest(INSET_NAMED, "gi_z").reset_index(drop=True)
    box = None if hot.empty else _around(hot)
    frame = [] if box is None else [_outline(box)]
    # One projection for all layers; Vega-Lite fits it to the shapes (no tiles, no external data).
    main = (
        alt.layer(lsoas, outlines, *frame, *labels)
        .project(type="mercator")
        .properties(width=WIDTH, height=HEIGHT)
    )
    chart = (
        main
        if box is None
        else alt.hconcat(main, _closer(gdf, hot, box, colour, meta.get("unit", "records")), spacing=24)
    )
    return chart.properties(title=title).configure(font=FONT).configure_view(stroke=None).to_dict()


def _around(hot: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    """A box (lon/lat) around the strongest hot spots, square on the (Mercator) map, with a margin."""
    x0, y0, x1, y1 = hot.total_bounds
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    squash = math.cos(math.radians(cy))  # degrees of latitude per degree of longitude, for equal lengths
    half = max(x1 - x0, (y1 - y0) / squash) / 2 + 0.006
    return (cx - half, cy - half * squash, cx + half, cy + half * squash)


def _outline(box: tuple[float, float, float, float]) -> alt.Chart:
    """Where the closer view is, drawn on the whole-area map."""
    # A line, not a polygon: d3 reads a polygon's winding on the sphere, and this one would cover the globe.
    x0, y0, x1, y1 = box
    ring = shapely.LineString([(x0, y0), (x0, y1), (x1, y1), (x1, y0), (x0, y0)])
    frame = gpd.GeoDataFrame(geometry=[ring], crs=4326)
    return alt.Chart(frame).mark_geoshape(filled=False, stroke="#111111", strokeWidth=1.5, strokeDash=[4, 2])


def _closer(
    gdf: gpd.GeoDataFrame,
    hot: gpd.GeoDataFrame,
    box: tuple[float, float, float, float],
    colour: alt.Color,
    unit: str,
) -> alt.VConcatChart:
    """A closer view of `box`, the strongest hot spots numbered, with a key naming them: town-centre
    LSOAs are small, and on the whole-area map the strongest evidence is a few dark specks."""
    near = gpd.clip(gdf, box)
    near = near[~near.geometry.is_empty]
    shapes = (
        alt.Chart(near)
        .mark_geoshape(stroke="white", strokeWidth=0.6)
        .encode(color=colour.legend(None), tooltip=["lsoa_name:N", "count:Q"])
    )
    inside = hot.representative_point()
    points = hot.drop(columns="geometry").assign(
        n=[str(k + 1) for k in range(len(hot))], lon=[p.x for p in inside], lat=[p.y for p in inside]
    )
    text: dict[str, Any] = {"fontSize": 12, "fontWeight": "bold", "font": FONT}
    halo = alt.Chart(points).mark_text(stroke="white", strokeWidth=3.5, strokeOpacity=0.95, **text)
    numbers = alt.Chart(points).mark_text(color="#111111", **text)
    marks = [c.encode(longitude="lon:Q", latitude="lat:Q", text="n:N") for c in (halo, numbers)]
    title = alt.TitleParams("Closer: the strongest hot spots", fontSize=13, anchor="start", offset=8)
    view = (
        alt.layer(shapes, *marks).project(type="mercator").properties(width=INSET, height=INSET, title=title)
    )
    key = points.assign(
        line=[
            f"{n}  {name}: {count if isinstance(count, str) else format(count, ',')} {unit}"
            for n, name, count in zip(points["n"], points["lsoa_name"], points["count"], strict=True)
        ],
        row=range(len(points)),
    )
    listing = (
        alt.Chart(key)
        .mark_text(align="left", baseline="top", fontSize=12, font=FONT, color="#111111")
        .encode(x=alt.value(0), y=alt.Y("row:O", axis=None), text="line:N")
        .properties(width=INSET, height=18 * len(points))
    )
    return alt.vconcat(view, listing, spacing=8)


def map_svg(result: HotspotResult) -> str:
    return vlc.vegalite_to_svg(map_spec(result))


def map_png(result: HotspotResult, path: Path, scale: float = 2.0) -> Path:
    """Write the map as PNG (scale 2: about 1,300 px wide, sharp when printed at A4 width)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(vlc.vegalite_to_png(map_spec(result), scale=scale))
    return path
