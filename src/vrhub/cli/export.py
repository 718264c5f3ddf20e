"""`vrhub export`: files the field's tools open (Parquet, CSV, XLSX; GeoPackage and GeoJSON for QGIS). Each
command is one Hub call; while the server holds the warehouse they read its latest snapshot, and say so."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from vrhub.cli.advice import err, friendly, out
from vrhub.cli.options import (
    AreaOpt,
    AsAtOpt,
    ByOpt,
    CatalogueOpt,
    DataDirOpt,
    MeasuresOpt,
    PeriodOpt,
    WarehouseOpt,
)
from vrhub.config import settings

if TYPE_CHECKING:
    from vrhub.exports import Export
    from vrhub.hub import Hub

app = typer.Typer(
    help="Write measures, tables, hot spots and areas to files other tools open (Excel, R, Power BI, QGIS).",
    no_args_is_help=True,
)

OutOpt = Annotated[Path, typer.Option("--out", "-o", help="The file to write (replaced if it exists).")]
TableFormatOpt = Annotated[
    str | None, typer.Option("--format", "-f", help="parquet, csv or xlsx (default: from --out's suffix).")
]
GeoFormatOpt = Annotated[
    str | None, typer.Option("--format", "-f", help="gpkg or geojson (default: from --out's suffix).")
]
CrsOpt = Annotated[
    int,
    typer.Option(help="4326 (WGS 84 longitude/latitude) or 27700 (British National Grid; GeoPackage only)."),
]


def _hub(data_dir: Path | None, warehouse: str | None) -> Hub:
    from vrhub.hub import Hub

    return Hub(settings(data_dir, warehouse), notice=lambda m: err.print(m, highlight=False, markup=False))


def _done(written: Export) -> None:
    for note in written.notes:
        err.print(f"Note: {note}", highlight=False, markup=False)
    out.print(f"{written.rows:,} rows written to {written.path} ({written.format})", highlight=False)


@app.command()
@friendly
def measures(
    out_file: OutOpt,
    fmt: TableFormatOpt = None,
    measure: MeasuresOpt = None,
    period: PeriodOpt = None,
    area: AreaOpt = None,
    by: ByOpt = None,
    catalogue: CatalogueOpt = None,
    as_at: AsAtOpt = None,
    data_dir: DataDirOpt = None,
    warehouse: WarehouseOpt = None,
) -> None:
    """The measures, every column `vrhub measures --format csv` gives, notes included."""
    from vrhub.measures import MeasureRequest

    request = MeasureRequest(measures=measure or None, period=period, area=area, by=by, as_at=as_at)
    _done(_hub(data_dir, warehouse).export_measures(request, out_file, fmt, catalogue))


@app.command()
@friendly
def hotspots(
    out_file: OutOpt,
    fmt: GeoFormatOpt = None,
    crime_type: Annotated[
        str | None, typer.Option("--crime-type", help="A police.uk crime type, e.g. Robbery.")
    ] = None,
    measure: Annotated[
        str | None, typer.Option(help="A measure from the catalogue (counted by LSOA).")
    ] = None,
    start: Annotated[str | None, typer.Option("--from", help="First month, YYYY-MM.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last month, YYYY-MM.")] = None,
    crs: CrsOpt = 4326,
    hot_only: Annotated[bool, typer.Option("--hot-only", help="Only the hot spots, not every LSOA.")] = False,
    data_dir: DataDirOpt = None,
    warehouse: WarehouseOpt = None,
) -> None:
    """Hot spots (Getis-Ord Gi*, as `vrhub hotspots`) as LSOA polygons with their statistics, for QGIS."""
    hub = _hub(data_dir, warehouse)
    _done(hub.export_hotspots(out_file, fmt, measure, crime_type, start, end, crs, hot_only))


@app.command()
@friendly
def areas(
    out_file: OutOpt,
    fmt: GeoFormatOpt = None,
    level: Annotated[str, typer.Option(help="lsoa or borough.")] = "lsoa",
    vintage: Annotated[int, typer.Option(help="LSOA boundaries of 2011 or 2021.")] = 2021,
    crs: CrsOpt = 4326,
    data_dir: DataDirOpt = None,
    warehouse: WarehouseOpt = None,
) -> None:
    """The boundaries of the areas the warehouse's lookup holds (LSOAs or boroughs), for QGIS."""
    _done(_hub(data_dir, warehouse).export_areas(out_file, fmt, level, vintage, crs))


@app.command()
@friendly
def table(
    name: Annotated[str, typer.Argument(help="A warehouse table, e.g. police_records (see `vrhub sql`).")],
    out_file: OutOpt,
    fmt: TableFormatOpt = None,
    data_dir: DataDirOpt = None,
    warehouse: WarehouseOpt = None,
) -> None:
    """One warehouse table as stored: pseudonyms stay pseudonyms, as `vrhub sql` shows them."""
    _done(_hub(data_dir, warehouse).export_table(name, out_file, fmt))


@app.command("home-office-return")
@friendly
def home_office_return(
    out_file: OutOpt,
    period: Annotated[
        str | None, typer.Option(help="year or financial-year (default: each measure's own, years).")
    ] = None,
    area: Annotated[str | None, typer.Option(help="The area (default: the force area).")] = None,
    catalogue: Annotated[
        Path | None, typer.Option(help="A YAML file of your own measures, added to the shipped ones.")
    ] = None,
    data_dir: DataDirOpt = None,
    warehouse: WarehouseOpt = None,
) -> None:
    """The Home Office VRU success-measures return as XLSX: a row per measure, periods as columns."""
    _done(_hub(data_dir, warehouse).export_home_office_return(out_file, period, area, catalogue))
