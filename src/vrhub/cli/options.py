"""The options many commands take, typed once so each reads and defaults the same everywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

WarehouseOpt = Annotated[
    str | None,
    typer.Option(
        "--warehouse", "-w", help="DuckDB file or postgres:// URL (default: DATA_DIR/warehouse.duckdb)."
    ),
]
DataDirOpt = Annotated[
    Path | None,
    typer.Option("--data-dir", help="The data folder (default: $VRHUB_DATA_DIR or ./vrhub-data)."),
]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="table, csv or json.")]

# The filters of `vrhub measures`, which `vrhub export measures` takes too.
MeasuresOpt = Annotated[
    list[str] | None, typer.Option("--measure", "-m", help="Measure id (repeatable); all when omitted.")
]
PeriodOpt = Annotated[
    str | None, typer.Option(help="year, financial-year, quarter or month (default: each measure's own).")
]
AreaOpt = Annotated[
    str | None, typer.Option(help="Only this area code (E23000004 Merseyside, or a borough).")
]
ByOpt = Annotated[list[str] | None, typer.Option(help="Break down by age_band or sex as well (repeatable).")]
CatalogueOpt = Annotated[
    Path | None, typer.Option(help="A YAML file of your own measures, added to the shipped ones.")
]
AsAtOpt = Annotated[
    int | None,
    typer.Option("--as-at", help="As the warehouse stood after this load (see `vrhub loads`).", min=1),
]
