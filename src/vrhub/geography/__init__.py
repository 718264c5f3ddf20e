"""Merseyside boundaries shipped with vrhub: LSOAs of both vintages (2011, 2021) and the five boroughs.

police.uk files up to 2021-12 code crimes to 2011 LSOAs, later files to 2021 LSOAs, so both are shipped.
The GeoJSON under `data/` is built once from the ONS boundaries in ../shared/realdata by
`build_package_data` (Open Government Licence v3.0; contains OS data, Crown copyright): generalised
just enough to keep the package small without changing which LSOAs touch (see `build_package_data`).
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

VINTAGES = (2011, 2021)
LSOA_COLUMNS = ["lsoa_code", "lsoa_name", "lad_code", "geometry"]
BOROUGH_COLUMNS = ["lad_code", "lad_name", "geometry"]
# Coverage simplification tolerance in degrees (~13 m east-west, ~22 m north-south at 53.4N): well under
# a pixel on a printed force-area map, and checked in `build_package_data` to leave contiguity unchanged.
SIMPLIFY_TOLERANCE = 2e-4
GRID = 1e-5  # coordinates kept to 5 decimal places (about 1 m)


def _read(name: str) -> gpd.GeoDataFrame:
    with resources.files("vrhub.geography").joinpath("data", name).open("rb") as f:
        return gpd.read_file(f, engine="pyogrio")


@functools.cache
def _lsoas(vintage: int) -> gpd.GeoDataFrame:
    return _read(f"lsoa{vintage % 100:02d}.geojson")[LSOA_COLUMNS].set_crs(4326, allow_override=True)


def load_lsoa_boundaries(vintage: int) -> gpd.GeoDataFrame:
    """Every Merseyside LSOA of a vintage (2011: 910, 2021: 923): lsoa_code, lsoa_name, lad_code, geometry."""
    if vintage not in VINTAGES:
        from vrhub.errors import VrhubError

        raise VrhubError(f"no LSOA boundaries for vintage {vintage}", "Use 2011 or 2021.")
    return _lsoas(vintage).copy()  # a copy: callers may add columns without touching the cache


@functools.cache
def _boroughs() -> gpd.GeoDataFrame:
    return _read("boroughs.geojson")[BOROUGH_COLUMNS].set_crs(4326, allow_override=True)


def load_boroughs() -> gpd.GeoDataFrame:
    """The five Merseyside boroughs (local authority districts): lad_code, lad_name, geometry."""
    return _boroughs().copy()


# -- building the package data (run once by a maintainer; needs ../shared/realdata) ----------------------
def _snap_coverage(geoms: np.ndarray, grid: float) -> np.ndarray:
    """Round a polygon coverage to `grid` without creating slivers or overlaps.

    Rounding each polygon on its own can fold a near-touching vertex over a neighbour's edge (it does in
    Liverpool 040C, 2021), so the shared linework is rounded and noded once, re-polygonised, and each face
    given back to the polygon it came from.
    """
    edges = shapely.union_all(shapely.boundary(geoms), grid_size=grid)
    faces = np.asarray(shapely.get_parts(shapely.polygonize(shapely.get_parts(edges))))
    face_idx, owner = shapely.STRtree(geoms).query(shapely.point_on_surface(faces), predicate="within")
    out = np.empty(len(geoms), dtype=object)
    for k, rows in pd.Series(face_idx).groupby(owner).groups.items():
        out[k] = shapely.coverage_union_all(faces[face_idx[rows]])
    return shapely.set_precision(out, grid)


def queen_pairs(gdf: gpd.GeoDataFrame) -> set[tuple[int, int]]:
    """Queen-contiguous pairs by position, as libpysal's (vertex-sharing) Queen builds them."""
    from libpysal.weights import Queen

    w = Queen.from_dataframe(gdf, use_index=False, silence_warnings=True)
    return {(i, j) for i, ns in w.neighbors.items() for j in ns}


def _write(gdf: gpd.GeoDataFrame, path: Path) -> None:
    doc = gdf.to_geo_dict(drop_id=True)
    doc["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    # Compact separators and 5-decimal coordinates (repr of a rounded float is short) halve the size.
    path.write_text(json.dumps(doc, separators=(",", ":")), encoding="utf-8")


def _generalise(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    geoms = shapely.coverage_simplify(gdf.geometry.values, SIMPLIFY_TOLERANCE)
    geoms = shapely.transform(_snap_coverage(geoms, GRID), lambda xy: np.round(xy, 5))
    out = gdf.set_geometry(geoms)
    if not (shapely.is_valid(geoms).all() and shapely.coverage_is_valid(geoms)):
        raise RuntimeError("generalised boundaries are not a valid coverage")
    if queen_pairs(out) != queen_pairs(gdf):
        raise RuntimeError("generalising the boundaries changed queen contiguity; lower SIMPLIFY_TOLERANCE")
    return out


def build_package_data(boundaries: Path, out: Path | None = None) -> dict[str, int]:
    """Write data/lsoa11.geojson, lsoa21.geojson and boroughs.geojson from realdata/geography/boundaries.

    Returns the size in bytes of each file. Raises if generalising changed any LSOA's queen neighbours.
    """
    out = out or Path(__file__).parent / "data"
    out.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for vintage in VINTAGES:
        yy = f"{vintage % 100:02d}"
        parts = [gpd.read_file(f) for f in sorted((boundaries / f"lsoa{yy}").glob("*.geojson"))]
        raw = pd.concat(parts, ignore_index=True).rename(
            columns={f"LSOA{yy}CD": "lsoa_code", f"LSOA{yy}NM": "lsoa_name", "LADCD_ACTIVE": "lad_code"}
        )
        gdf = _generalise(gpd.GeoDataFrame(raw, crs=parts[0].crs).sort_values("lsoa_code", ignore_index=True))
        _write(gdf[LSOA_COLUMNS], out / f"lsoa{yy}.geojson")
        sizes[f"lsoa{yy}.geojson"] = (out / f"lsoa{yy}.geojson").stat().st_size
    la = gpd.read_file(boundaries / "merseyside_local_authorities.geojson")
    # Only the code and name: the source's rr* columns are someone's relative risks, not boundary data.
    la = la.rename(columns={"reference": "lad_code", "name": "lad_name"})
    la = la.sort_values("lad_code", ignore_index=True)
    geoms = shapely.coverage_simplify(la.geometry.values, SIMPLIFY_TOLERANCE)
    la = la.set_geometry(shapely.transform(_snap_coverage(geoms, GRID), lambda xy: np.round(xy, 5)))
    _write(la[BOROUGH_COLUMNS], out / "boroughs.geojson")
    sizes["boroughs.geojson"] = (out / "boroughs.geojson").stat().st_size
    return sizes
