"""The `vrhub` command line: each command is one library call plus turning errors into advice."""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from vrhub.cli import cohort, delivery, evaluate, export, link, stdin, understand
from vrhub.cli.advice import emit, err, friendly, out, status, worded
from vrhub.cli.options import (
    AreaOpt,
    AsAtOpt,
    ByOpt,
    CatalogueOpt,
    DataDirOpt,
    FormatOpt,
    MeasuresOpt,
    PeriodOpt,
    WarehouseOpt,
)
from vrhub.config import settings
from vrhub.errors import BadValue, VrhubError

# The library (Hub, and through it pandas, scipy, Ibis, DuckDB) is imported by the commands that use it, not
# here: `vrhub --help` and a mistyped option answer in a fraction of a second, not after seconds of imports.
if TYPE_CHECKING:
    import pyarrow as pa

    from vrhub.hub import Hub

app = typer.Typer(
    help="vrhub: violence reduction information system.", no_args_is_help=True, pretty_exceptions_enable=False
)
definitions_app = typer.Typer(help="Serious-violence definitions.", no_args_is_help=True)
app.add_typer(definitions_app, name="definitions")
key_app = typer.Typer(help="The pseudonym key: check it, rotate it.", no_args_is_help=True)
app.add_typer(key_app, name="key")


def _version(given: bool) -> None:
    if given:
        from importlib.metadata import version

        out.print(f"vrhub {version('vrhub')}", highlight=False)
        raise typer.Exit()


@app.callback()
def _private_by_default(
    _version_given: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print vrhub's version and stop."),
    ] = False,
    definitions: Annotated[
        Path | None,
        typer.Option(
            "--definitions",
            help="A folder of your own definition YAML files, used beside the installed ones "
            "(default: $VRHUB_DEFINITIONS).",
        ),
    ] = None,
) -> None:
    """Everything a command writes (warehouse, key, reports, the web database, uploads) is its owner's
    alone: police and NHS data are not for the machine's other accounts."""
    os.umask(0o077)
    if definitions is not None:
        # Through the environment, so `vrhub serve` and its worker read the same folder.
        os.environ["VRHUB_DEFINITIONS"] = str(definitions.resolve())


def _hub(data_dir: Path | None, warehouse: str | None) -> Hub:
    from vrhub.hub import Hub

    return Hub(settings(data_dir, warehouse), notice=lambda m: err.print(m, highlight=False, markup=False))


@app.command()
@friendly
def init(data_dir: DataDirOpt = None, warehouse: WarehouseOpt = None) -> None:
    """Create (or upgrade) the warehouse and load the shipped Merseyside reference data."""
    hub = _hub(data_dir, warehouse)
    applied = hub.init()
    done = f"applied migration(s) {', '.join(map(str, applied))}" if applied else "already up to date"
    out.print(f"Warehouse {hub.settings.warehouse}: {done}.")


@app.command()
@friendly
def ingest(
    source: Annotated[
        str,
        typer.Argument(
            help="police-records, police-uk, ed-attendances, hospital-admissions, ambulance, fire, "
            "indicators, education-records, participants, areas, population or people (with --agency)."
        ),
    ],
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="One or more CSV files; - reads standard input (named <stdin>)."),
    ] = None,
    watch_dir: Annotated[
        Path | None,
        typer.Option(
            "--watch",
            help="Load each file dropped into this folder, then move it to loaded/ or quarantined/ with "
            "its summary as JSON beside it; until Ctrl-C.",
        ),
    ] = None,
    once: Annotated[bool, typer.Option("--once", help="With --watch: one sweep, then stop.")] = False,
    settle: Annotated[
        float,
        typer.Option(help="With --watch: a file untouched this many seconds is complete.", min=0),
    ] = 5.0,
    interval: Annotated[float, typer.Option(help="With --watch: seconds between sweeps.", min=0.1)] = 10.0,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per file, one per line.")] = False,
    encoding: Annotated[str | None, typer.Option(help="Text encoding of the files (default utf-8).")] = None,
    year: Annotated[int | None, typer.Option(help="population: the mid-year of the estimates.")] = None,
    agency: Annotated[str | None, typer.Option(help="people: the agency that holds the records.")] = None,
    data_dir: DataDirOpt = None,
    warehouse: WarehouseOpt = None,
) -> None:
    """Load files from a source: every row is loaded, quarantined with its reason, or a skipped duplicate."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    hub = _hub(data_dir, warehouse)

    def loads_of(paths: list[Path], note: Any = None) -> Any:
        if source == "people":  # to the linkage vault (vrhub link)
            return link.people_loads(hub, paths, agency, encoding, note)
        return hub.ingest(source, paths, encoding=encoding, year=year, progress=note)

    if watch_dir is not None:
        if files:
            raise BadValue(
                "give files or a folder to watch, not both",
                "Drop the files into the folder.",
                parameter="watch",
            )
        from vrhub.cli import watch

        load = lambda path: next(iter(loads_of([path])))  # noqa: E731
        watch.run(watch_dir, load, once=once, settle=settle, interval=interval, as_json=as_json)
        return
    if not files:
        raise BadValue("no files given", "Give one or more files, - for standard input, or --watch DIR.")
    with (
        stdin.spooled(files, hub.settings.data_dir) as (paths, copy),
        stdin.errors_reworded(copy),
        Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=err,
            transient=True,
            disable=as_json or not err.is_terminal,
        ) as bar,
    ):
        task = bar.add_task("starting")

        def note(path: Path, stage: str) -> None:
            bar.update(task, description=f"{path.name}: {stage}")

        refused: list[int] = []
        # One file refused does not stop the others: each is loaded or refused in turn, and reported.
        with hub._one_snapshot() if len(paths) > 1 else contextlib.nullcontext():
            for path in paths:
                try:
                    for summary in loads_of([path], note):
                        _show_load(summary, copy, as_json)
                except VrhubError as exc:
                    if not _refuses_the_file(exc):
                        raise
                    refused.append(status(ingest, exc))
                    _show_refusal(path, exc, copy, as_json)
        if refused:
            if len(paths) > 1:
                rest = "nothing was loaded" if len(refused) == len(paths) else "the others were loaded"
                err.print(
                    f"{len(refused)} of {len(paths)} files refused (see above); {rest}.",
                    highlight=False,
                    markup=False,
                )
            raise typer.Exit(max(refused))


def _refuses_the_file(exc: VrhubError) -> bool:
    """An error about one file (refused, or not there), after which the next file can still load; any
    other (the warehouse, the key, the source's name) stops the command."""
    from vrhub.errors import InputRefused

    return isinstance(exc, InputRefused) or exc.parameter == "files"


def _show_refusal(path: Path, exc: VrhubError, copy: str | None, as_json: bool) -> None:
    """A refused file, as an error in words on standard error; with --json also as an object on standard
    output, where the summaries go, so a script reads one object per file whatever happened."""
    message, hint = stdin.reworded(exc.message, copy), stdin.reworded(exc.hint, copy)
    if as_json:
        refusal = {
            "file": stdin.reworded(str(path), copy),
            "error": message,
            "hint": hint,
            "exit_code": status(ingest, exc),
        }
        sys.stdout.write(json.dumps(refusal) + "\n")
        sys.stdout.flush()
    err.print(f"Error: {message}", markup=False, highlight=False)
    if hint:
        name = worded(ingest, exc.parameter)
        err.print("")
        err.print(f"{name}: {hint}" if name else hint, markup=False, highlight=False)


def _show_load(summary: Any, copy: str | None, as_json: bool) -> None:
    summary.file = stdin.reworded(summary.file, copy)
    if as_json:
        sys.stdout.write(json.dumps(summary.as_json()) + "\n")
        sys.stdout.flush()
        return
    state = " (already loaded: nothing added)" if summary.already_loaded else ""
    out.print(
        f"{summary.file}: {summary.rows_read:,} rows read, {summary.rows_loaded:,} loaded, "
        f"{summary.rows_quarantined:,} quarantined, {summary.duplicates_skipped:,} duplicates skipped"
        f"{state}",
        highlight=False,
        markup=False,
    )
    for p in summary.problems[:10]:
        out.print(
            f"  {p['rows']:,} row(s): {p['field']}: {p['reason']} (first at row {p['first_row']})",
            highlight=False,
            markup=False,
        )
    if summary.rows_quarantined:
        named = Path(summary.file).name
        out.print(
            f"  see them with: vrhub quarantine --file {shlex.quote(named)}",
            highlight=False,
            markup=False,
        )


@app.command()
@friendly
def quarantine(
    file: Annotated[
        str | None, typer.Option("--file", help="Only rows from this file (name or path).")
    ] = None,
    fmt: FormatOpt = "table",
    data_dir: DataDirOpt = None,
    warehouse: WarehouseOpt = None,
) -> None:
    """List quarantined rows: file, row number, field and reason."""
    rows = _hub(data_dir, warehouse).quarantine(file)
    if fmt == "table":
        rows = rows.select(["file_name", "row_number", "field", "reason", "value"])
    emit(rows, fmt, title="Quarantined rows")


@app.command()
@friendly
def loads(fmt: FormatOpt = "table", data_dir: DataDirOpt = None, warehouse: WarehouseOpt = None) -> None:
    """List every file loaded, with its counts and the definition version in force."""
    rows = _hub(data_dir, warehouse).loads()
    if fmt == "table":
        rows = rows.select(
            [
                "load_id",
                "file_name",
                "source",
                "rows_read",
                "rows_loaded",
                "rows_quarantined",
                "duplicates_skipped",
                "loaded_at",
            ]
        )
    emit(rows, fmt, title="Loads")


@app.command()
@friendly
def sql(
    query: Annotated[
        str, typer.Argument(help="One SELECT query; tables are listed in docs/architecture.md.")
    ],
    timeout: Annotated[float, typer.Option(help="Stop the query after this many seconds.", min=0.1)] = 60.0,
    fmt: FormatOpt = "table",
    data_dir: DataDirOpt = None,
    warehouse: WarehouseOpt = None,
) -> None:
    """Run a read-only SQL query against the warehouse."""
    emit(_hub(data_dir, warehouse).sql(query, timeout), fmt)


@app.command()
@friendly
def measures(
    measure: MeasuresOpt = None,
    period: PeriodOpt = None,
    area: AreaOpt = None,
    by: ByOpt = None,
    catalogue: CatalogueOpt = None,
    list_only: Annotated[
        bool, typer.Option("--list", help="List the catalogue's measures and stop.")
    ] = False,
    as_at: AsAtOpt = None,
    fmt: FormatOpt = "table",
    data_dir: DataDirOpt = None,
    warehouse: WarehouseOpt = None,
) -> None:
    """Measures for Merseyside and each borough, with change on the previous period and the baseline."""
    import pyarrow as pa

    from vrhub.measures import MeasureRequest, load_catalogue
    from vrhub.measures.engine import AT_A_GLANCE

    if list_only:
        rows = [
            {"measure_id": m.id, "source": m.source, "count": m.count, "unit": m.unit, "title": m.title}
            for m in load_catalogue(catalogue).measures.values()
        ]
        emit(pa.Table.from_pylist(rows), fmt, title="Measures")
        return
    request = MeasureRequest(measures=measure or None, period=period, area=area, by=by, as_at=as_at)
    result = _hub(data_dir, warehouse).measures(request, catalogue)
    table = result.table
    if fmt == "table":
        table = table.select([c for c in AT_A_GLANCE if c in table.column_names])
    if fmt in ("csv", "json") and table.num_rows:
        _emit_measures(table, fmt)
    else:
        emit(table, fmt, title="Measures")
    for measure_id, why in result.excluded.items():
        err.print(f"Note: {measure_id} is not shown: {why}.", highlight=False)
    for source, partial in result.partial.items():
        for label, months in sorted(partial.items()):
            err.print(f"Note: {source} has data for {months} month(s) of {label}.", highlight=False)


def _emit_measures(table: pa.Table, fmt: str) -> None:
    """CSV or JSON with counts as whole numbers beside reported indicators' decimals (one column)."""
    from vrhub.measures import output

    if fmt == "json":
        sys.stdout.write(json.dumps(output.records(table), default=str, indent=1) + "\n")
        return
    output.write_csv(table, sys.stdout)


@app.command()
@friendly
def report(
    edition: Annotated[
        str, typer.Option(help="partner (exact counts, OFFICIAL-SENSITIVE) or public.")
    ] = "partner",
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Folder to write to (default: DATA_DIR/reports).")
    ] = None,
    data_dir: DataDirOpt = None,
    warehouse: WarehouseOpt = None,
) -> None:
    """Write the Strategic Needs Assessment as HTML and PDF (public edition: disclosure control)."""
    written = _hub(data_dir, warehouse).report(out_dir, edition)
    out.print(f"Report written to {written.html}", highlight=False)
    if written.pdf:
        out.print(f"PDF written to    {written.pdf}", highlight=False)


@app.command()
@friendly
def demo(
    folder: Annotated[
        Path | None,
        typer.Option(
            "--dir", help="The data folder for the demo (default: $VRHUB_DATA_DIR or ./vrhub-data)."
        ),
    ] = None,
    serve: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the dashboard afterwards, with demo users.")
    ] = True,
    seed: Annotated[int, typer.Option(help="Seed of the generated data (same seed, same data).")] = 2022,
) -> None:
    """Generate Merseyside demo data (Apr 2018 - Dec 2021), load it, write the report, serve the dashboard."""
    folder = settings(folder, None).data_dir
    if serve:
        from vrhub.web.serve import check_port

        check_port("127.0.0.1", 8000)  # before generating and loading the data, not after
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as bar:
        task = bar.add_task("starting")

        def note(message: str) -> None:
            """A stage starts or ends: a line that stays."""
            bar.update(task, description=message)
            (out if bar.disable else bar.console).print(message, highlight=False)

        def step(message: str) -> None:
            """A step within a stage (a file's checking, reading, loading): the spinner only."""
            bar.update(task, description=message)

        # Said before the library is imported, which takes seconds on a cold start.
        note(f"Preparing the demo in {folder}")
        hub = _hub(folder, str(folder / "warehouse.duckdb"))

        def load_delivery(loading: Hub) -> None:
            """The web application's delivery records and indicators: the demo's last load, made before
            its measures and report are written so that they hold it."""
            from vrhub.web import serve as server

            note("Loading the delivery records and their indicators...")
            server.configure(folder, str(folder / "warehouse.duckdb"))
            server.prepare_demo_delivery(loading, say=note)

        written = hub.demo(seed=seed, progress=note, step=step, after_loads=load_delivery)
    out.print(f"Measures: {hub.settings.reports_dir / 'measures.csv'}", highlight=False)
    out.print(f"Report:   {written.html}", highlight=False)
    if written.pdf:
        out.print(f"PDF:      {written.pdf}", highlight=False)
    from vrhub.web import serve as server

    say = lambda message: out.print(message, highlight=False)  # noqa: E731
    say("Preparing the web application: its database and demo users...")
    server.configure(folder, str(folder / "warehouse.duckdb"))
    server.prepare(demo_users=serve, say=say)
    if serve:
        say("Starting the web server...")
        server.run(say=say)
    else:
        out.print(f"Serve the dashboard with: vrhub serve --data-dir {folder}", highlight=False)


def _serve(folder: Path, warehouse: str | None, host: str, port: int, debug: bool, demo_users: bool) -> None:
    from vrhub.web import serve as server

    server.check_port(host, port)  # before the minutes of preparing, not after
    server.configure(folder, warehouse, debug=debug, host=host)
    server.refuse_unworkable()  # settings `vrhub manage check --deploy` calls errors: before preparing too
    say = lambda message: out.print(message, highlight=False)  # noqa: E731
    server.prepare(demo_users=demo_users, say=say)
    server.run(host=host, port=port, say=say)


@app.command()
@friendly
def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on (127.0.0.1: this machine only).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    debug: Annotated[
        bool, typer.Option("--debug", help="Development mode: never on a shared server.")
    ] = False,
    demo_users: Annotated[
        bool, typer.Option("--demo-users", help="Create one user per role with fresh passwords (demo only).")
    ] = False,
    data_dir: DataDirOpt = None,
    warehouse: WarehouseOpt = None,
) -> None:
    """Serve the dashboard, uploads and API (waitress; one process owns the warehouse)."""
    config = settings(data_dir, warehouse)
    _serve(config.data_dir, config.warehouse, host, port, debug, demo_users)


app.add_typer(delivery.app, name="delivery", help="Delivery: 360Giving export, steering group pack, checks.")
app.add_typer(evaluate.app, name="evaluate")
app.add_typer(link.app, name="link")
app.add_typer(cohort.app, name="cohort")
app.add_typer(export.app, name="export")


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def manage(ctx: typer.Context, data_dir: DataDirOpt = None) -> None:
    """Django's management commands for the web application, e.g. `vrhub manage createsuperuser`."""
    from vrhub.web.manage import main

    config = settings(data_dir, None)
    os.environ["VRHUB_DATA_DIR"] = str(config.data_dir)
    main(["vrhub manage", *ctx.args])


@app.command()
@friendly
def hotspots(
    measure: Annotated[
        str | None, typer.Option(help="A measure from the catalogue (counted by LSOA).")
    ] = None,
    crime_type: Annotated[
        str | None, typer.Option("--crime-type", help="A police.uk crime type, e.g. Robbery.")
    ] = None,
    start: Annotated[
        str | None, typer.Option("--from", help="First month, YYYY-MM (default: the first loaded).")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="Last month, YYYY-MM (default: the last loaded).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or geojson.")] = "table",
    map_path: Annotated[
        Path | None, typer.Option("--map", help="Also write the map here (.svg or .png).")
    ] = None,
    data_dir: DataDirOpt = None,
    warehouse: WarehouseOpt = None,
) -> None:
    """Getis-Ord Gi* hot spots by LSOA (FDR-corrected) with sfhotspot space-time classes."""
    import pyarrow as pa

    result = _hub(data_dir, warehouse).hotspots(measure, crime_type, start, end)
    if fmt == "geojson":
        sys.stdout.write(result.geojson() + "\n")
    elif fmt == "table":
        hot = result.hotspots
        emit(
            pa.Table.from_pandas(hot.round(3), preserve_index=False),
            "table",
            title=f"Hot spots: {result.period_label}, {len(hot)} of {len(result.table)} LSOAs",
        )
        err.print(result.vintage_note, highlight=False)
        for warning in result.metadata.get("warnings", []):
            err.print(f"Warning: {warning}", highlight=False)
    else:
        emit(pa.Table.from_pandas(result.table, preserve_index=False), fmt)
    if map_path:
        from vrhub.analysis.hotmap import map_png, map_svg

        if map_path.suffix.lower() == ".png":
            map_png(result, map_path)
        else:
            map_path.write_text(map_svg(result), encoding="utf-8")
        err.print(f"Map written to {map_path}", highlight=False)


@app.command()
@friendly
def trends(
    measure: Annotated[str, typer.Option("--measure", "-m", help="Measure id.")] = "local_sv_offences",
    area: Annotated[str | None, typer.Option(help="Area code (default E23000004 Merseyside).")] = None,
    fmt: FormatOpt = "table",
    data_dir: DataDirOpt = None,
    warehouse: WarehouseOpt = None,
) -> None:
    """A measure by month: 12-month rolling total, same month last year, level shifts (recording changes)."""
    understand.show_trend(_hub(data_dir, warehouse).trend(measure, area), fmt)


@app.command()
@friendly
def quality(
    source: Annotated[str | None, typer.Option(help="Only this source (e.g. ed-attendances).")] = None,
    fmt: FormatOpt = "table",
    data_dir: DataDirOpt = None,
    warehouse: WarehouseOpt = None,
) -> None:
    """Data quality by source: what is loaded (months covered, gaps, how far behind today), fields filled,
    and findings by month: completeness, duplicates, unplaced LSOAs, missing or late months, drift. CSV gives
    the findings; JSON one object with every source's coverage and fields, and the findings."""
    understand.show_quality(_hub(data_dir, warehouse).quality(source), fmt)


@definitions_app.command("show")
@friendly
def definitions_show(
    name: Annotated[str | None, typer.Argument(help="Definition name; all when omitted.")] = None,
    effect: Annotated[
        bool, typer.Option("--effect", help="Count, per year, the loaded crimes its exclusions remove.")
    ] = False,
    data_dir: DataDirOpt = None,
    warehouse: WarehouseOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """Print a definition in words and codes."""
    from vrhub.definitions import definitions, describe, get_definition

    chosen = [get_definition(name)] if name else list(definitions().values())
    if effect:
        if not name:
            raise BadValue(
                "--effect needs a definition name",
                "e.g. vrhub definitions show merseyside_local --effect",
                parameter="effect",
            )
        emit(_hub(data_dir, warehouse).definition_effect(name), fmt, title=f"{name}: crimes per year")
        return
    out.print("\n".join(describe(d) for d in chosen), markup=False, highlight=False)


@definitions_app.command("list")
@friendly
def definitions_list() -> None:
    """List the definitions and their versions."""
    from vrhub.definitions import definitions

    for d in definitions().values():
        out.print(f"{d.name:<26} {d.label:<44} {d.title}", markup=False, highlight=False)


@key_app.command("check")
@friendly
def key_check(data_dir: DataDirOpt = None, warehouse: WarehouseOpt = None) -> None:
    """Say whether the pseudonym key in place is the one this warehouse was made with (changes nothing)."""
    out.print(_hub(data_dir, warehouse).key_check(), highlight=False)


@key_app.command("rotate")
@friendly
def key_rotate(
    yes: Annotated[bool, typer.Option("--yes", help="Do it without asking.")] = False,
    data_dir: DataDirOpt = None,
    warehouse: WarehouseOpt = None,
) -> None:
    """Add a new key and hash every stored pseudonym again under it, in one transaction."""
    hub = _hub(data_dir, warehouse)
    if not yes:
        typer.confirm(
            f"Re-key every pseudonym in {hub.settings.warehouse}? Back up the warehouse and "
            f"{hub.settings.key_file} first",
            abort=True,
        )
    count = hub.key_rotate()
    out.print(
        f"Re-keyed {count:,} records. The key file {hub.settings.key_file} now holds the new key chain: "
        "back it up now; the old key alone no longer opens this warehouse.",
        highlight=False,
    )
