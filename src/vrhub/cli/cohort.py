"""`vrhub cohort ...`: the cohorts there are, and a cohort's outcomes against a matched comparison group.

What leaves here is aggregates under the small-number rules; the analyst's person-level view is the
library's (`Hub.cohort_outcomes(person_level=True)`), for the web's role check and audit to guard."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from vrhub.cli.advice import emit, err, friendly
from vrhub.cli.options import DataDirOpt, FormatOpt, WarehouseOpt
from vrhub.config import settings
from vrhub.errors import BadValue, one_of

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from vrhub.hub import Hub

app = typer.Typer(
    help="Cohorts: people followed across linked records, and their outcomes.", no_args_is_help=True
)

PARTS = ("estimates", "balance", "summary")
CohortsOpt = Annotated[
    Path | None,
    typer.Option("--cohorts", help="A folder of your own rule cohorts (YAML), beside the shipped ones."),
]


def _hub(data_dir: Path | None, warehouse: str | None) -> Hub:
    from vrhub.hub import Hub

    return Hub(settings(data_dir, warehouse))


def _arrow(frame: pd.DataFrame) -> pa.Table:
    """A published table as Arrow: a column holding '*' beside numbers is written as text."""
    import pandas as pd
    import pyarrow as pa

    def cell(v: Any) -> Any:
        return None if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)

    mixed = {c: frame[c].map(cell) for c in frame.columns if frame[c].dtype == object}
    return pa.Table.from_pandas(frame.assign(**mixed), preserve_index=False)


@app.command("list")
@friendly
def list_cohorts(
    fmt: FormatOpt = "table",
    cohorts: CohortsOpt = None,
    data_dir: DataDirOpt = None,
    warehouse: WarehouseOpt = None,
) -> None:
    """The cohorts: the rule cohorts and each intervention's participants, with their linked members."""
    table = _hub(data_dir, warehouse).cohorts(cohorts)
    if fmt == "json":
        sys.stdout.write(json.dumps(_members_as_numbers(table), indent=1) + "\n")
        return
    if fmt == "table":
        table = table.drop(columns=["description"])
    emit(_arrow(table), fmt, title="Cohorts")


def _members_as_numbers(table: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON's members: a number, or null with `members_suppressed` true where the small-number rules hide
    it (null and false: no one is linked yet)."""
    import pandas as pd

    from vrhub.reports.disclosure import SUPPRESSED

    rows = []
    for row in table.to_dict("records"):
        members = row["members"]
        hidden = members == SUPPRESSED
        known = not hidden and pd.notna(members)
        rows.append({**row, "members": int(members) if known else None, "members_suppressed": bool(hidden)})
    return rows


@app.command()
@friendly
def outcomes(
    name: Annotated[
        str, typer.Argument(help="A cohort (see `vrhub cohort list`), e.g. participants:Navigators.")
    ],
    follow_up: Annotated[
        str, typer.Option("--follow-up", help="Months of follow-up, separated by commas.")
    ] = "6,12,24",
    fmt: FormatOpt = "table",
    part: Annotated[
        str | None,
        typer.Option(
            "--part", help="Estimates (the default), balance or summary; with json, the whole result."
        ),
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Seed of the comparison group's draw.")] = None,
    cohorts: CohortsOpt = None,
    data_dir: DataDirOpt = None,
    warehouse: WarehouseOpt = None,
) -> None:
    """Outcomes by Kaplan-Meier against a matched comparison group: risk difference, hazard ratio, balance.

    The caveats of the observational design are printed with every table (docs/cohorts.md)."""
    if part is not None and part not in PARTS:
        raise BadValue(f"unknown part '{part}'", one_of(PARTS), parameter="part", value=part)
    result = _hub(data_dir, warehouse).cohort_outcomes(name, follow_up, seed=seed, folder=cohorts)
    if fmt == "json":
        whole = result.as_json()
        if part is not None:  # the part asked for, with what says what it is and the caveats
            keep = ("cohort", "title", "follow_up_months", "view", part, "notes")
            whole = {k: whole[k] for k in keep}
        sys.stdout.write(json.dumps(whole, default=str, indent=1) + "\n")
        return
    part = part or "estimates"
    import pandas as pd

    tables = {
        "estimates": result.estimates,
        "balance": result.balance,
        "summary": pd.DataFrame({"name": list(result.summary), "value": list(result.summary.values())}),
    }
    emit(_arrow(tables[part]), fmt, title=f"{result.title}: {part}")
    # The caveats travel with every figure; on standard error, so a CSV on standard output stays one table.
    for note in result.notes:
        err.print(f"Note: {note}", markup=False, highlight=False)
