"""Maps for QGIS: hot spots and area boundaries as GeoPackage or GeoJSON polygons.

Coordinates are WGS 84 longitude/latitude (EPSG:4326), as the shipped boundaries are, and GeoJSON must be
(RFC 7946). A GeoPackage may be had in British National Grid (EPSG:27700) instead, the CRS of Ordnance
Survey maps and most local-authority GIS. A GeoPackage carries a second, non-spatial layer `about` with what
was counted, the months, the method and the warehouse snapshot; a GeoJSON carries the same as a `metadata`
member (readers ignore members they do not know).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import pyogrio

from vrhub.analysis.hotspots import HotspotResult
from vrhub.errors import BadValue, VrhubError
from vrhub.exports import Export, replacing
from vrhub.geography import VINTAGES, load_boroughs, load_lsoa_boundaries

CRS = (4326, 27700)
LEVELS = ("lsoa", "borough")


def check_crs(crs: int, fmt: str) -> None:
    if crs not in CRS:
        raise BadValue(
            f"no CRS EPSG:{crs} here",
            "Use 4326 (WGS 84) or 27700 (British National Grid).",
            parameter="crs",
            value=crs,
        )
    if fmt == "geojson" and crs != 4326:
        raise BadValue(
            "GeoJSON is always WGS 84 longitude/latitude (RFC 7946)",
            "Use --crs 4326 for GeoJSON, or a GeoPackage for British National Grid.",
            parameter="crs",
            value=crs,
        )


def write_hotspots(
    result: HotspotResult, out: Path, fmt: str, crs: int = 4326, hot_only: bool = False
) -> Export:
    """Every LSOA of the analysis (or the hot ones) with its count, Gi* z, p, FDR p, hot flag and class."""
    check_crs(crs, fmt)
    gdf = result.geodataframe()
    if hot_only:
        gdf = gdf[gdf["hot"]].reset_index(drop=True)
    about = {**result.metadata, "crs": f"EPSG:{crs}", "period": result.period_label}
    _write(gdf, out, fmt, crs, "hotspots", about)
    return Export(out, fmt, len(gdf), [result.vintage_note])


def write_areas(
    lookup: pa.Table, out: Path, fmt: str, level: str = "lsoa", vintage: int = 2021, crs: int = 4326
) -> Export:
    """The boundaries of the areas the warehouse's lookup holds (vrhub ships Merseyside's; the warehouse
    holds codes and names, not shapes), with the lookup's names and the borough and force each is in."""
    check_crs(crs, fmt)
    if level not in LEVELS:
        raise BadValue(f"no level '{level}'", "Use lsoa or borough.", parameter="level", value=level)
    if vintage not in VINTAGES:
        raise BadValue(f"no LSOA vintage {vintage}", "Use 2011 or 2021.", parameter="vintage", value=vintage)
    areas = lookup.to_pandas()
    areas = areas[areas["lsoa_vintage"] == vintage]
    if areas.empty:
        raise VrhubError(
            f"the warehouse holds no {vintage} LSOAs",
            "Run `vrhub init` (it loads the shipped lookup) or load an areas file.",
        )
    if level == "lsoa":
        shapes = load_lsoa_boundaries(vintage)[["lsoa_code", "geometry"]]
        key = "lsoa_code"
        areas = areas.drop(columns=["lsoa_vintage"])
    else:
        shapes = load_boroughs()[["lad_code", "geometry"]]
        key = "lad_code"
        areas = areas[["lad_code", "lad_name", "pfa_code", "pfa_name"]].drop_duplicates()
    gdf = gpd.GeoDataFrame(areas.merge(shapes, on=key, how="inner"), geometry="geometry", crs=4326)
    gdf = gdf.sort_values(key).reset_index(drop=True)
    missing = len(areas) - len(gdf)
    notes = (
        [
            f"{missing:,} area(s) of the warehouse's lookup have no shipped boundary and are left out "
            "(vrhub ships Merseyside's)."
        ]
        if missing
        else []
    )
    about = {
        "areas": level,
        "lsoa_vintage": vintage,
        "crs": f"EPSG:{crs}",
        "left_out": missing,
        "boundaries": "ONS boundaries shipped with vrhub (Open Government Licence v3.0; contains OS "
        "data, Crown copyright), generalised to about 20 m",
    }
    _write(gdf, out, fmt, crs, "areas", about)
    return Export(out, fmt, len(gdf), notes)


def _write(gdf: gpd.GeoDataFrame, out: Path, fmt: str, crs: int, layer: str, about: dict[str, Any]) -> None:
    with replacing(out) as work:
        if fmt == "geojson":
            doc = gdf.to_geo_dict(na="null", drop_id=True)
            doc["metadata"] = about  # a foreign member (RFC 7946 s6.1)
            work.write_text(json.dumps(doc, separators=(",", ":"), default=_plain), encoding="utf-8")
            return
        pyogrio.write_dataframe(gdf.to_crs(crs), work, layer=layer, driver="GPKG")
        table = pd.DataFrame(
            {
                "name": list(about),
                "value": [
                    json.dumps(v, default=_plain) if not isinstance(v, str) else v for v in about.values()
                ],
            }
        )
        pyogrio.write_dataframe(table, work, layer="about", driver="GPKG", append=True)


def _plain(value: Any) -> Any:
    """numpy scalars as plain numbers, anything else as its text."""
    return value.item() if hasattr(value, "item") else str(value)
