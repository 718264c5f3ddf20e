"""`vrhub delivery ...`: the 360Giving export, the steering group pack and the exception check.

Each command sets Django up on the data folder (VRHUB_DATA_DIR or --data-dir) and migrates it first."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from vrhub.config import settings

app = typer.Typer(help="Delivery: funding, action tracker and steering group pack.", no_args_is_help=True)

DataDirOpt = Annotated[
    Path | None,
    typer.Option("--data-dir", help="The data folder (default: $VRHUB_DATA_DIR or ./vrhub-data)."),
]


def _setup(data_dir: Path | None) -> Path:
    from vrhub.web.serve import configure

    folder = settings(data_dir, None).data_dir
    folder.mkdir(parents=True, exist_ok=True)
    configure(folder)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return folder


@app.command("export-360giving")
def export_360giving(
    out: Annotated[Path, typer.Option("--out", help="The file to write.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="json (a package) or csv.")] = "json",
    data_dir: DataDirOpt = None,
) -> None:
    """Awarded grants in the 360Giving Data Standard."""
    if fmt not in ("json", "csv"):
        typer.echo("Error: unknown format; use --format json or --format csv.", err=True)
        raise typer.Exit(2)
    _setup(data_dir)
    from vrhub.web.delivery.giving360 import awarded_applications, write_export

    if not awarded_applications().exists():
        typer.echo("Error: no awarded grants to export yet (award an application first).", err=True)
        raise typer.Exit(1)
    path = write_export(out, fmt)
    typer.echo(f"Wrote {awarded_applications().count()} grant(s) to {path}")


@app.command()
def pack(
    quarter: Annotated[str, typer.Option("--quarter", help="The quarter, e.g. 2021-Q4.")],
    out: Annotated[Path | None, typer.Option("--out", help="Folder (default: DATA_DIR/reports).")] = None,
    no_pdf: Annotated[bool, typer.Option("--no-pdf", help="HTML only.")] = False,
    data_dir: DataDirOpt = None,
) -> None:
    """The steering group pack for a quarter (HTML and PDF)."""
    from django.core.exceptions import ValidationError

    folder = _setup(data_dir)
    from vrhub.web.delivery.pack import write_pack
    from vrhub.web.delivery.reference import validate_quarter
    from vrhub.hub import Hub

    try:
        validate_quarter(quarter)
    except ValidationError as exc:
        typer.echo(f"Error: {exc.messages[0]}", err=True)
        raise typer.Exit(2) from None
    config = settings(folder, None)
    hub = Hub(config) if Path(config.warehouse).exists() else None
    written = write_pack(quarter, out or config.reports_dir, hub=hub, pdf=not no_pdf)
    typer.echo(f"Wrote {written.html}" + (f" and {written.pdf}" if written.pdf else ""))


@app.command()
def check(
    today: Annotated[
        str | None, typer.Option("--today", help="Check as of YYYY-MM-DD (default today).")
    ] = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Raise exception reports for milestones and KPIs beyond tolerance."""
    _setup(data_dir)
    from vrhub.web.delivery.tracking import raise_exceptions

    raised = raise_exceptions(dt.date.fromisoformat(today) if today else None)
    for report in raised:
        typer.echo(f"raised: {report.title}")
    typer.echo(f"{len(raised)} exception report(s) raised.")
