"""`-` as a file name: standard input, spooled to a private file named `<stdin>` so that the loader (which
reads a file twice, for its header and its rows, and hashes it) takes it as it takes any file, and the
loads and quarantine tables name it `<stdin>`."""

from __future__ import annotations

import contextlib
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from vrhub.errors import BadValue, VrhubError

NAME = "<stdin>"


@contextlib.contextmanager
def spooled(files: list[Path], near: Path) -> Iterator[tuple[list[Path], str | None]]:
    """The files with `-` replaced by standard input's copy, and the copy's path (to word it back as
    `<stdin>` in messages), or None when no file is `-`. The copy is made beside the data (`near`, when it
    exists; the records are the partnership's, not the machine's temporary folder's), and removed after."""
    dashes = [f for f in files if str(f) == "-"]
    if not dashes:
        yield files, None
        return
    if len(dashes) > 1:
        raise BadValue("'-' given twice", "Standard input can be read once.", parameter="files", value="-")
    folder = Path(tempfile.mkdtemp(prefix=".stdin-", dir=near if near.is_dir() else None))
    try:
        copy = folder / NAME
        with copy.open("wb") as held:
            shutil.copyfileobj(sys.stdin.buffer, held, 1 << 20)
        yield [copy if str(f) == "-" else f for f in files], str(copy)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def reworded(text: str, copy: str | None) -> str:
    """A message about the copy, about `<stdin>` instead."""
    return text.replace(copy, NAME) if copy else text


@contextlib.contextmanager
def errors_reworded(copy: str | None) -> Iterator[None]:
    try:
        yield
    except VrhubError as exc:
        exc.message, exc.hint = reworded(exc.message, copy), reworded(exc.hint, copy)
        exc.args = (exc.message,)
        raise
