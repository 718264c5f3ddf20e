"""A warehouse holding the hand-worked population of `small.py`, loaded once per module: the tests read it
and never write to it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cohorts import small
from tests.conftest import TEST_KEY, copy_warehouse
from vrhub.config import settings
from vrhub.hub import Hub


@pytest.fixture(scope="module")
def small_hub(tmp_path_factory: pytest.TempPathFactory, _initialised_warehouse: Path) -> Iterator[Hub]:
    folder = copy_warehouse(_initialised_warehouse, tmp_path_factory.mktemp("small") / "data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VRHUB_PSEUDONYM_KEY", TEST_KEY)
        mp.delenv("VRHUB_WAREHOUSE", raising=False)
        hub = Hub(settings(data_dir=folder))
        small.load(hub, folder)
        yield hub
