"""One warehouse with the planted police.uk rows, loaded once and only read by the tests that use it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import TEST_KEY, copy_warehouse
from tests.evaluation.records import write_planted_police_uk
from vrhub.config import settings
from vrhub.hub import Hub


@pytest.fixture(scope="session")
def planted_warehouse(
    tmp_path_factory: pytest.TempPathFactory, _initialised_warehouse: Path
) -> tuple[Path, list[str]]:
    """(data folder, treated LSOAs) of a copy of the session's initialised warehouse with the rows loaded."""
    folder = copy_warehouse(_initialised_warehouse, tmp_path_factory.mktemp("evaluation") / "data")
    path = folder.parent / "2019-2021-merseyside-street.csv"
    treated = write_planted_police_uk(path)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VRHUB_PSEUDONYM_KEY", TEST_KEY)
        mp.delenv("VRHUB_WAREHOUSE", raising=False)
        list(Hub(settings(data_dir=folder)).ingest("police-uk", [path]))
    return folder, treated
