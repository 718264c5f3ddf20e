"""A warehouse that cannot be opened or written says why: another process, no permission, or a full disk,
never the lock's hint for a folder that is read-only."""

from __future__ import annotations

import errno
from pathlib import Path

import duckdb
import pytest

from vrhub.warehouse.connection import _open_failure, storage_failure


def test_a_permission_error_is_not_called_a_lock(tmp_path: Path) -> None:
    exc = duckdb.IOException(f'IO Error: Cannot open file "{tmp_path}/w.duckdb": Permission denied')
    failure = _open_failure(tmp_path / "w.duckdb", exc, read_only=False)
    assert "may not write to it" in failure.message and "another process" not in failure.hint


def test_a_lock_is_named_as_such(tmp_path: Path) -> None:
    exc = duckdb.IOException('IO Error: Could not set lock on file "w.duckdb": Conflicting lock is held')
    failure = _open_failure(tmp_path / "w.duckdb", exc, read_only=True)
    assert failure.message.endswith("another process has it open") and "vrhub serve" in failure.hint


@pytest.mark.parametrize(
    "exc",
    [
        OSError(errno.ENOSPC, "No space left on device"),
        duckdb.IOException("IO Error: No space left on device"),
    ],
)
def test_a_full_disk_is_said_plainly(exc: BaseException) -> None:
    failure = storage_failure(exc, "loading a.csv")
    assert failure is not None
    assert failure.message == "the disk is full: loading a.csv stopped, and nothing of it was kept"
    assert "df -h" in failure.hint


def test_other_errors_are_left_alone() -> None:
    assert storage_failure(ValueError("something else"), "loading a.csv") is None
