"""`vrhub link ...`: link people across agencies, list who is who, judge the links, forget old records.

People records are loaded with `vrhub ingest people FILE --agency NAME` (see `people_loads`); their clear
identifiers go to the linkage vault, never the warehouse (docs/linkage.md)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from vrhub.cli.advice import emit, err, friendly, out
from vrhub.cli.options import DataDirOpt, WarehouseOpt
from vrhub.config import settings
from vrhub.errors import BadValue

if TYPE_CHECKING:
    from vrhub.hub import Hub

app = typer.Typer(
    help="Linkage: who is who across agencies (probabilistic, privacy by design).", no_args_is_help=True
)
JsonOpt = Annotated[bool, typer.Option("--json", help="One JSON object.")]


def _hub(data_dir: Path | None, warehouse: str | None) -> Hub:
    from vrhub.hub import Hub

    return Hub(settings(data_dir, warehouse))


def people_loads(
    hub: Hub,
    files: list[Path],
    agency: str | None,
    encoding: str | None,
    progress: Callable[[Path, str], None] | None,
) -> Iterable[Any]:
    """`vrhub ingest people`: the files of one agency into the vault (a generator, so that a refusal comes
    where `vrhub ingest --json` reports refusals)."""
    if not agency:
        raise BadValue(
            "people records need the agency that holds them",
            "Name the agency, e.g. 'Merseyside Police' (records of two agencies are linked to each other).",
            parameter="agency",
        )
    yield from hub.ingest_people(files, agency, encoding=encoding, progress=progress)


def _say(message: str) -> None:
    err.print(message, markup=False, highlight=False)


@app.command()
@friendly
def run(
    engine: Annotated[str, typer.Option("--engine", help="duckdb (this machine) or spark.")] = "duckdb",
    full: Annotated[bool, typer.Option("--full", help="Train again and link every record afresh.")] = False,
    threshold: Annotated[
        float | None, typer.Option("--threshold", help="Match probability to link at (default 0.95).")
    ] = None,
    as_json: JsonOpt = False,
    data_dir: DataDirOpt = None,
    warehouse: WarehouseOpt = None,
) -> None:
    """Link every people record, within and across agencies, and write their pseudonymous person ids."""
    hub = _hub(data_dir, warehouse)
    result = hub.link(engine=engine, full=full, threshold=threshold, progress=None if as_json else _say)
    if as_json:
        sys.stdout.write(json.dumps(result.as_json()) + "\n")
        return
    out.print(
        f"Run {result.run_id} ({result.mode}, {result.engine}): {result.records:,} records "
        f"({result.new_records:,} new), {result.people:,} people; {result.pairs_linked:,} of "
        f"{result.pairs_scored:,} scored pairs at or above {result.threshold}; {result.seconds} s.",
        highlight=False,
    )
    if result.lone_records_joined:
        out.print(
            f"  {result.lone_records_joined:,} records the threshold left alone joined their likeliest "
            "partner's person (a pair more likely than not).",
            highlight=False,
        )
    for rule in result.skipped_training:
        out.print(f"  not trained on (no pairs to learn from): {rule}", highlight=False, markup=False)


@app.command()
@friendly
def clusters(
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv, table or json.")] = "csv",
    data_dir: DataDirOpt = None,
    warehouse: WarehouseOpt = None,
) -> None:
    """Every people record's person: file_name, row_number, person_id (pseudonymous)."""
    emit(_hub(data_dir, warehouse).link_clusters(), fmt, title="People records and their person")


@app.command()
@friendly
def quality(
    truth: Annotated[
        Path | None, typer.Option("--truth", help="CSV of record_ref, cluster (and agency): the true people.")
    ] = None,
    review_sample: Annotated[
        Path | None,
        typer.Option(
            "--review-sample",
            help="Write the pairs nearest the threshold, with names, to this CSV for clerical review.",
        ),
    ] = None,
    as_json: JsonOpt = False,
    data_dir: DataDirOpt = None,
    warehouse: WarehouseOpt = None,
) -> None:
    """Match weights, estimated precision and recall, measured figures against a truth, a review sample."""
    report = _hub(data_dir, warehouse).link_quality(truth=truth, review_sample=review_sample)
    if as_json:
        sys.stdout.write(json.dumps(report.as_json(), default=str) + "\n")
        return
    run, est, people = report.run, report.estimated, report.people
    out.print(
        f"Run {run['run_id']} ({run['mode']}, {run['engine']}, {run['at']}), threshold {run['threshold']}"
    )
    out.print(
        f"People: {people['people']:,} from {people['records']:,} records; "
        f"{people['in_more_than_one_agency']:,} known to more than one agency.",
        highlight=False,
    )
    out.print(
        f"Estimated (from the model): precision {_share(est['precision'])}, recall {_share(est['recall'])}; "
        f"{est['pairs_linked']:,} of the {est['pairs_scored']:,} scored pairs at least 1% likely linked, "
        f"{est['close_calls']:,} close calls.",
        highlight=False,
    )
    if report.measured:
        m = report.measured
        out.print(
            f"Measured against {truth}: precision {_share(m['precision'])}, recall {_share(m['recall'])}, "
            f"F1 {_share(m['f1'])} "
            f"({m['records_linked']:,} of {m['records_in_truth']:,} records found).",
            highlight=False,
        )
    if report.review_sample:
        out.print(
            f"Review sample: {report.review_sample['pairs']} pairs written to {report.review_sample['file']} "
            "(clear identifiers: keep it as you keep the vault).",
            highlight=False,
        )
    for note in report.notes:
        out.print(note, highlight=False)
    bands = [
        {
            "match_weight": f"{b['match_weight_from']} to {b['match_weight_to']}",
            "pairs": b["pairs"],
            "linked": "yes" if b["linked"] else "",
        }
        for b in report.match_weights
    ]
    if bands:
        import pyarrow as pa

        emit(pa.Table.from_pylist(bands), "table", title="Scored pairs by match weight")


@app.command()
@friendly
def purge(
    older_than: Annotated[
        str, typer.Option("--older-than", help="Age of the loads to forget: 365d, 52w, 12m or 2y.")
    ],
    as_json: JsonOpt = False,
    data_dir: DataDirOpt = None,
    warehouse: WarehouseOpt = None,
) -> None:
    """Forget the people records loaded longer ago than an age (vault records, person links, quarantine)."""
    result = _hub(data_dir, warehouse).link_purge(older_than)
    if as_json:
        sys.stdout.write(json.dumps(result) + "\n")
        return
    out.print(
        f"Purged {result['records']:,} records of {result['loads']} load(s) made before {result['before']} "
        f"({result['person_links']:,} person links, {result['quarantined_rows']:,} quarantined rows). "
        "Run `vrhub link run` to regroup the records that remain.",
        highlight=False,
    )


def _share(value: float | None) -> str:
    """A precision or recall to three places, written the same way every time (0.960, not 0.96)."""
    return "unknown" if value is None else f"{value:.3f}"
