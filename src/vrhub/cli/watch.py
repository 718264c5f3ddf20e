"""`vrhub ingest SOURCE --watch DIR`: the watched folder's sweeps (vrhub.sources.watch), said as they go."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from vrhub.cli.advice import err, out
from vrhub.errors import BadValue, InputRefused, VrhubError


def run(
    folder: Path,
    load: Callable[[Path], Any],
    *,
    once: bool,
    settle: float,
    interval: float,
    as_json: bool,
) -> None:
    from vrhub.sources import watch

    if not folder.is_dir():
        raise BadValue(
            f"{folder}: no such folder", "Give the folder partners drop files into.", parameter="watch"
        )
    if once:
        outcomes = watch.sweep(folder, load, settle)
    else:
        err.print(
            f"Watching {folder} every {interval:g} s (files untouched for {settle:g} s are loaded); "
            "Ctrl-C stops.",
            highlight=False,
        )
        outcomes = watch.watch(folder, load, settle, interval, on_error=_said)
    refused = 0
    try:
        for outcome in outcomes:
            refused += outcome.refused
            if as_json:
                sys.stdout.write(json.dumps({**outcome.summary, "moved_to": str(outcome.file)}) + "\n")
                sys.stdout.flush()
                continue
            s = outcome.summary
            said = (
                f"refused, nothing loaded: {s['error']}"
                if outcome.refused
                else f"{s['rows_read']:,} rows read, {s['rows_loaded']:,} loaded, {s['rows_quarantined']:,} "
                f"quarantined, {s['duplicates_skipped']:,} duplicates skipped"
            )
            out.print(f"{s['file']}: {said} -> {outcome.file}", highlight=False, markup=False)
    except KeyboardInterrupt:
        err.print("Stopped.", highlight=False)
    if once and refused:
        # As `vrhub ingest` of several files: a script sees that a file was refused by the status too.
        raise typer.Exit(InputRefused.exit_code)


def _said(exc: VrhubError) -> None:
    err.print(f"Error: {exc.message} (trying again at the next sweep)", markup=False, highlight=False)
