"""A warehouse holding the hand-worked population of `small.py`, loaded once per test run and copied for each
module: the tests read it and never write to it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cohorts import small
from tests.conftest import TEST_KEY, built_once, copy_warehouse
from vrhub.config import settings
from vrhub.hub import Hub


@pytest.fixture(scope="session")
def _small_warehouse(tmp_path_factory: pytest.TempPathFactory, _initialised_warehouse: Path) -> Path:
    """The population loaded once per test run (for every worker); each module reads a copy of its own."""

    def build(folder: Path) -> None:
        copy_warehouse(_initialised_warehouse, folder)
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("VRHUB_PSEUDONYM_KEY", TEST_KEY)
            mp.delenv("VRHUB_WAREHOUSE", raising=False)
            small.load(Hub(settings(data_dir=folder)), folder)

    return built_once(tmp_path_factory, "cohorts-small", build)


@pytest.fixture(scope="module")
def small_hub(tmp_path_factory: pytest.TempPathFactory, _small_warehouse: Path) -> Iterator[Hub]:
    folder = copy_warehouse(_small_warehouse, tmp_path_factory.mktemp("small") / "data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VRHUB_PSEUDONYM_KEY", TEST_KEY)
        mp.delenv("VRHUB_WAREHOUSE", raising=False)
        yield Hub(settings(data_dir=folder))
