"""`vrhub evaluate ...`: did an intervention change what was counted? (`place`: one aimed at places, by
LSOA.)"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from vrhub.cli.advice import emit, err, friendly
from vrhub.cli.options import DataDirOpt, WarehouseOpt
from vrhub.config import settings
from vrhub.errors import BadValue, one_of

app = typer.Typer(help="Evaluate interventions: what changed where, and from when.", no_args_is_help=True)

FORMATS = ("table", "csv", "json")
# What the terminal table shows of each design; csv and json keep every column.
SHOWN = ["method", "effect", "effect_low", "effect_high", "effect_pct", "pct_low", "pct_high", "p_value"]


@app.command()
@friendly
def place(
    start: Annotated[
        str,
        typer.Option(
            "--start",
            help="The month the intervention began, YYYY-MM (or the day, YYYY-MM-DD: a start after the 1st "
            "leaves that month out).",
        ),
    ],
    lsoas: Annotated[
        str | None, typer.Option("--lsoas", help="The treated LSOAs' codes, comma-separated.")
    ] = None,
    lsoas_file: Annotated[
        Path | None,
        typer.Option("--lsoas-file", help="A file with one treated LSOA code a row (first column)."),
    ] = None,
    measure: Annotated[
        str | None, typer.Option("--measure", help="A measure from the catalogue (counted by LSOA).")
    ] = None,
    crime_type: Annotated[
        str | None, typer.Option("--crime-type", help="A police.uk crime type, e.g. Robbery.")
    ] = None,
    donors: Annotated[
        str,
        typer.Option(
            "--donors", help="Where the comparison LSOAs come from: borough (the treated LSOAs') or force."
        ),
    ] = "borough",
    end: Annotated[
        str | None, typer.Option("--to", help="Last month, YYYY-MM (default: the last whole month loaded).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or json.")] = "table",
    chart: Annotated[
        Path | None, typer.Option("--chart", help="Also write the chart here (.png or .svg).")
    ] = None,
    data_dir: DataDirOpt = None,
    warehouse: WarehouseOpt = None,
) -> None:
    """The effect of a place-based intervention on monthly counts in the LSOAs it covered: synthetic control
    with in-space placebos, checked by difference-in-differences and an interrupted time series."""
    import pyarrow as pa

    from vrhub.evaluation.estimate import p_text
    from vrhub.evaluation.treated import lsoas_from_file
    from vrhub.hub import Hub

    if fmt not in FORMATS:
        raise BadValue(f"unknown format '{fmt}'", one_of(FORMATS), parameter="fmt", value=fmt)
    if (lsoas is None) == (lsoas_file is None):
        raise BadValue(
            "give the treated LSOAs as a list or a file, one of the two",
            "Name them comma-separated (--lsoas) or in a file (--lsoas-file).",
            parameter="lsoas",
        )
    if chart:
        from vrhub.evaluation.chart import check_chart_path

        check_chart_path(chart)  # before the work, not after it
    codes = lsoas_from_file(lsoas_file) if lsoas_file else (lsoas or "").split(",")
    result = Hub(settings(data_dir, warehouse)).evaluate_place(
        codes, start, measure=measure, crime_type=crime_type, donors=donors, end=end
    )
    if fmt == "json":
        sys.stdout.write(result.to_json() + "\n")
    elif fmt == "csv":
        emit(pa.Table.from_pandas(result.table(), preserve_index=False), "csv")
    else:
        meta = result.metadata
        first, last, months = meta["post_period"]
        table = result.table()[SHOWN].round(1)
        table["p_value"] = [p_text(p) for p in result.table()["p_value"]]
        n = len(meta["treated"])
        title = (
            f"{meta['subject']} in {n} treated LSOA{'s' if n != 1 else ''}, {first} to {last} "
            f"({months} months): effect over the post-period"
        )
        emit(pa.Table.from_pandas(table, preserve_index=False), "table", title=title)
        sc = result.synthetic_control
        err.print(
            f"Synthetic control: {meta['donors']} donors ({meta['donor_pool']}), pre-period RMSPE "
            f"{meta['pre_rmspe']:.1f} a month ({meta['pre_rmspe_pct']:.0f}% of the treated mean), "
            f"{100 * sc.ci_level:.1f}% interval from {meta['placebos']} placebo areas.",
            markup=False,
            highlight=False,
        )
        for warning in result.warnings:
            err.print(f"Warning: {warning}", markup=False, highlight=False)
        err.print("Assumptions (docs/evaluation.md says how to read the result):", highlight=False)
        for note in result.notes:
            err.print(f"- {note}", markup=False, highlight=False)
    if chart:
        from vrhub.evaluation.chart import write_chart

        write_chart(result, chart)
        err.print(f"Chart written to {chart}", markup=False, highlight=False)
