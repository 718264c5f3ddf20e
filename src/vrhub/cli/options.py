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
