"""A warehouse loaded with the hand-counted extract (tests/exports/fixture.py), once per module: exports
only read it, so the tests of a module share it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import TEST_KEY, copy_warehouse
from tests.exports.fixture import extract
from vrhub.config import settings
from vrhub.hub import Hub


@pytest.fixture(scope="module", autouse=True)
def _snapshots_on() -> Iterator[None]:
    """These tests are of the snapshot (tests/conftest.py turns it off for the rest of the suite)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VRHUB_SNAPSHOT", "on")
        yield


def load_extract(folder: Path) -> Hub:
    path = folder / "extract.csv"
    path.write_text(extract())
    hub = Hub(settings(data_dir=folder))
    [summary] = hub.ingest("police-records", [path])
    assert summary.rows_loaded == 42 and summary.rows_quarantined == 0
    return hub


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory, _initialised_warehouse: Path) -> Path:
    folder = copy_warehouse(_initialised_warehouse, tmp_path_factory.mktemp("exports"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VRHUB_PSEUDONYM_KEY", TEST_KEY)
        for name in ("VRHUB_WAREHOUSE", "VRHUB_DATA_DIR"):
            mp.delenv(name, raising=False)
        load_extract(folder)
    return folder
