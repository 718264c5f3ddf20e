"""A watched folder: partner files dropped into it are loaded without a person at the keyboard.

A file is complete when it has not been modified for `settle` seconds: a writer still copying it keeps
touching it, so it waits for a later sweep. (A marker file would need every partner's export tool to write
one; a quiet period needs nothing of them. Names starting with `.` or ending `.part`, `.tmp` or `.json` are
never taken, so a tool that writes under a temporary name and renames it is safe at any `settle`.)

Each complete file is loaded once, then moved to `loaded/` (every row loaded, quarantined with its reason, or
a duplicate skipped) or `quarantined/` (refused whole: nothing of it loaded), with its summary beside it as
`<name>.json`. A problem that is not the file's (the warehouse missing or in use) leaves the file where it is
and stops the sweep: the next sweep tries it again."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vrhub.errors import InputRefused, VrhubError
from vrhub.sources.ingest import LoadSummary

LOADED, QUARANTINED = "loaded", "quarantined"
_SKIPPED_SUFFIXES = (".part", ".tmp", ".json")


@dataclass
class Outcome:
    file: Path  # where it is now: under loaded/ or quarantined/
    summary: dict[str, Any]  # what was written beside it
    refused: bool


def complete_files(folder: Path, settle: float, now: float | None = None) -> list[Path]:
    """The files of `folder` (not its subfolders) untouched for `settle` seconds, oldest first."""
    now = time.time() if now is None else now
    found = []
    for entry in os.scandir(folder):
        name = entry.name
        if name.startswith(".") or name.endswith(_SKIPPED_SUFFIXES) or not entry.is_file():
            continue
        modified = entry.stat().st_mtime
        if now - modified >= settle:
            found.append((modified, name, Path(entry.path)))
    return [path for _, _, path in sorted(found)]


def sweep(folder: Path, load: Callable[[Path], LoadSummary], settle: float) -> Iterator[Outcome]:
    """Load and move every complete file now in `folder`, one at a time."""
    for path in complete_files(folder, settle):
        try:
            summary = load(path)
        except InputRefused as exc:
            record = {"file": path.name, "refused": True, "error": _why(exc.message, path), "hint": exc.hint}
            yield Outcome(_move(path, folder / QUARANTINED, record), record, True)
            continue
        record = {**summary.as_json(), "file": path.name, "refused": False, "problems": summary.problems}
        record["already_loaded"] = summary.already_loaded
        yield Outcome(_move(path, folder / LOADED, record), record, False)


def _why(message: str, path: Path) -> str:
    """The refusal without the file's path and "refused, nothing loaded" it starts with: the record is
    beside the file, and whoever says it names the file and the refusal once."""
    for lead in (f"{path}: ", "refused, nothing loaded: "):
        message = message.removeprefix(lead)
    return message


def watch(
    folder: Path,
    load: Callable[[Path], LoadSummary],
    settle: float,
    interval: float,
    on_error: Callable[[VrhubError], None],
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[Outcome]:
    """Sweep `folder` every `interval` seconds until the caller stops iterating (Ctrl-C in the CLI). A
    problem that is not a file's (the warehouse in use) is told to `on_error` and the next sweep tries
    again: a watcher left running outlives a busy warehouse."""
    while True:
        try:
            yield from sweep(folder, load, settle)
        except VrhubError as exc:
            on_error(exc)
        sleep(interval)


def _move(path: Path, into: Path, record: dict[str, Any]) -> Path:
    """Move `path` into `into` under a name not already there (a second file of the same name keeps both),
    and write `record` beside it."""
    into.mkdir(exist_ok=True, mode=0o700)
    target = into / path.name
    if target.exists() or target.with_name(target.name + ".json").exists():
        stamp = time.strftime("%Y%m%dT%H%M%S")
        target = into / f"{path.stem}.{stamp}-{time.time_ns() % 10**9:09d}{path.suffix}"
    shutil.move(str(path), target)
    target.with_name(target.name + ".json").write_text(
        json.dumps(record, indent=1, default=str) + "\n", encoding="utf-8"
    )
    return target
