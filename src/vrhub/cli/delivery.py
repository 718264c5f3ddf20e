"""`vrhub delivery ...`: the 360Giving export, the steering group pack and the exception check.

Each command sets Django up on the data folder (VRHUB_DATA_DIR or --data-dir) and migrates it first; the
delivery records live in the web application's database. What a command changes is audited under the
person running it ('cli:<their account>'), never under no name."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from vrhub.cli.advice import friendly, out
from vrhub.cli.options import DataDirOpt
from vrhub.config import settings
from vrhub.errors import BadValue

app = typer.Typer(help="Delivery: funding, action tracker and steering group pack.", no_args_is_help=True)


def _setup(data_dir: Path | None) -> Path:
    from vrhub.web.serve import configure

    folder = settings(data_dir, None).data_dir
    folder.mkdir(parents=True, exist_ok=True)
    configure(folder)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return folder


@app.command("export-360giving")
@friendly
def export_360giving(
    out_file: Annotated[Path, typer.Option("--out", help="The file to write.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="json (a package) or csv.")] = "json",
    data_dir: DataDirOpt = None,
) -> None:
    """Awarded grants in the 360Giving Data Standard."""
    _setup(data_dir)
    from vrhub.web.delivery.giving360 import write_export

    count = write_export(out_file, fmt)
    out.print(f"Wrote {count} grant(s) to {out_file}", markup=False, highlight=False)


@app.command()
@friendly
def pack(
    quarter: Annotated[str, typer.Option("--quarter", help="The quarter, e.g. 2021-Q4.")],
    out_dir: Annotated[Path | None, typer.Option("--out", help="Folder (default: DATA_DIR/reports).")] = None,
    no_pdf: Annotated[bool, typer.Option("--no-pdf", help="HTML only.")] = False,
    data_dir: DataDirOpt = None,
) -> None:
    """The steering group pack for a quarter (HTML and PDF)."""
    folder = _setup(data_dir)
    from vrhub.hub import Hub
    from vrhub.web.delivery.pack import write_pack

    config = settings(folder, None)
    hub = Hub(config) if Path(config.warehouse).exists() else None
    written = write_pack(quarter, out_dir or config.reports_dir, hub=hub, pdf=not no_pdf)
    out.print(
        f"Wrote {written.html}" + (f" and {written.pdf}" if written.pdf else ""),
        markup=False,
        highlight=False,
    )


@app.command()
@friendly
def check(
    today: Annotated[
        str | None, typer.Option("--today", help="Check as of YYYY-MM-DD (default today).")
    ] = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Raise exception reports for milestones and KPIs beyond tolerance."""
    try:
        day = dt.date.fromisoformat(today) if today else None
    except ValueError:
        raise BadValue(
            f"'{today}' is not a date",
            "Write it as YYYY-MM-DD, e.g. 2022-01-15.",
            parameter="today",
            value=today,
        ) from None
    _setup(data_dir)
    from vrhub.web.accounts.audit import command_line_user
    from vrhub.web.delivery.tracking import raise_exceptions

    raised = raise_exceptions(day, user=command_line_user())
    for report in raised:
        out.print(f"raised: {report.title}", markup=False, highlight=False)
    out.print(f"{len(raised)} exception report(s) raised.", markup=False, highlight=False)


@app.command()
@friendly
def evaluate(
    intervention: Annotated[str, typer.Argument(help="The intervention's title in the register.")],
    outcome: Annotated[
        str, typer.Option(help="What to follow: offending, violence-victim, ed-assault or neet.")
    ] = "offending",
    follow_up: Annotated[
        str,
        typer.Option(
            "--follow-up", help="Months, e.g. 6,12,24; the hazard ratio is over the longest the data cover."
        ),
    ] = "6,12,24",
    evidence_strength: Annotated[
        int,
        typer.Option(
            "--evidence-strength", min=1, max=5, help="YEF Toolkit evidence strength, 1-5 (default 2, low)."
        ),
    ] = 2,
    why: Annotated[str, typer.Option(help="What you learned: delivery, reach, fidelity.")] = "",
    data_dir: DataDirOpt = None,
) -> None:
    """Record an intervention's effect in the what-works register: its participants (the participants
    source, linked) against a matched comparison group, as `vrhub cohort outcomes` estimates it."""
    folder = _setup(data_dir)
    from vrhub.hub import Hub
    from vrhub.web.accounts.audit import command_line_user
    from vrhub.web.delivery.evaluate import intervention_named, record_cohort_evaluation

    found = intervention_named(intervention)
    e = record_cohort_evaluation(
        Hub(settings(folder, None)),
        found,
        outcome,
        follow_up,
        evidence_strength=evidence_strength,
        why=why,
        user=command_line_user(),
    )
    out.print(
        f"Recorded for {found.title}: {e.outcome}: hazard ratio {e.effect:.2f} "
        f"(95% CI {e.ci_low:.2f} to {e.ci_high:.2f}): {e.get_verdict_display()}",
        markup=False,
        highlight=False,
    )
