"""Shared fixtures: a ready warehouse per test (copied from one built per session), the pseudonym key,
the hand-written fixture files and the real public data beside the project (../shared/realdata)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cohorts.migration_gap import hold_linkage_place
from vrhub.config import settings
from vrhub.hub import Hub

hold_linkage_place()  # before any test module imports `migrations` (tests/cohorts/migration_gap.py)

FIXTURES = Path(__file__).parent / "fixtures"
# ../shared/realdata relative to the project root; CI has it beside a clean clone, elsewhere it may be absent.
REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"
TEST_KEY = "test-pseudonym-key-not-for-real-use"


@pytest.fixture
def key(monkeypatch: pytest.MonkeyPatch) -> bytes:
    """The pseudonym key, from the environment as a deployment would give it."""
    monkeypatch.setenv("VRHUB_PSEUDONYM_KEY", TEST_KEY)
    return TEST_KEY.encode("utf-8")


@pytest.fixture(autouse=True)
def _no_request_history() -> None:
    """Rate limits count requests in Django's cache: each test starts with none counted."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def _initialised_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`vrhub init` once per session (schema plus the shipped lookup and population); tests copy it."""
    folder = tmp_path_factory.mktemp("template")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VRHUB_PSEUDONYM_KEY", TEST_KEY)  # the key the tests load with: its fingerprint is recorded
        Hub(settings(data_dir=folder, warehouse=str(folder / "warehouse.duckdb"))).init()
    return folder


def copy_warehouse(template: Path, folder: Path) -> Path:
    """Give `folder` a copy of the initialised warehouse (cheaper than `vrhub init` in every test)."""
    folder.mkdir(parents=True, exist_ok=True)
    for f in template.glob("warehouse.duckdb*"):
        shutil.copy(f, folder / f.name)
    return folder


@pytest.fixture
def data_dir(tmp_path: Path, _initialised_warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder holding an initialised warehouse of its own."""
    monkeypatch.delenv("VRHUB_WAREHOUSE", raising=False)
    monkeypatch.delenv("VRHUB_DATA_DIR", raising=False)
    return copy_warehouse(_initialised_warehouse, tmp_path / "data")


@pytest.fixture
def hub(data_dir: Path, key: bytes) -> Hub:
    return Hub(settings(data_dir=data_dir))


@pytest.fixture
def realdata() -> Iterator[Path]:
    if not REALDATA.is_dir():
        pytest.skip(f"real public data not found at {REALDATA} (../shared/realdata beside the project)")
    yield REALDATA
