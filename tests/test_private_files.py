"""The data folder and what vrhub writes in it are closed to other accounts, and `vrhub quality` says so
where an older folder is not."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import FIXTURES
from vrhub.cli import app

pytestmark = pytest.mark.slow

runner = CliRunner()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_data_folder_and_everything_vrhub_writes_there_are_private(
    tmp_path: Path, key: bytes, monkeypatch
) -> None:
    old = os.umask(0o022)  # the usual umask: without vrhub's own, files would be 0644
    try:
        folder = tmp_path / "data"
        args = ["--data-dir", str(folder)]
        for source in ("fire", "police-records"):
            good = str(FIXTURES / source / "good.csv")
            assert runner.invoke(app, ["ingest", source, good, *args]).exit_code == 0
        assert runner.invoke(app, ["report", *args]).exit_code == 0
    finally:
        os.umask(old)
    assert mode(folder) == 0o700
    written = [p for p in folder.rglob("*")]
    assert written and all(mode(p) & 0o077 == 0 for p in written), {
        str(p): oct(mode(p)) for p in written if mode(p) & 0o077
    }


def test_quality_warns_about_a_data_folder_others_can_read(data_dir: Path, key: bytes) -> None:
    data_dir.chmod(0o755)
    (data_dir / "warehouse.duckdb").chmod(0o644)
    result = runner.invoke(app, ["quality", "--format", "json", "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    import json

    findings = [f for f in json.loads(result.stdout)["findings"] if f["check"] == "private_files"]
    assert len(findings) == 1 and findings[0]["severity"] == "warning"
    assert "warehouse.duckdb (-rw-r--r--)" in findings[0]["message"]
    assert f"chmod -R go-rwx {data_dir}" in findings[0]["message"]
    data_dir.chmod(0o700)
    (data_dir / "warehouse.duckdb").chmod(0o600)
    again = runner.invoke(app, ["quality", "--format", "json", "--data-dir", str(data_dir)])
    assert not [f for f in json.loads(again.stdout)["findings"] if f["check"] == "private_files"]
