"""Web fixtures: a warehouse holding every source's good fixture file, pointed at by Django's settings, and
signed-in clients for each role."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, TEST_KEY, built_once, copy_warehouse
from vrhub.config import settings as vrhub_settings
from vrhub.hub import Hub

SOURCES = ["police-records", "ed-attendances", "hospital-admissions", "ambulance", "fire", "indicators"]


@pytest.fixture(autouse=True)
def _no_request_history() -> None:
    """Rate limits count requests in Django's cache: each test starts with none counted."""
    from django.core.cache import cache

    cache.clear()


# Threads a page or the server starts for work that outlives a request (web/dashboard/report_jobs.py,
# web/delivery/views/pack_jobs.py, the upload worker).
BACKGROUND = ("vrhub-report-", "vrhub-pack-")


@pytest.fixture(autouse=True)
def _no_background_work_left() -> Iterator[None]:
    """A test's background work ends with it. A report still being written by one test's thread while the
    next test in the same worker loads data would use DuckDB from two threads at once, which has crashed a
    worker (docs/performance.md, "A crash in a test worker"); and it would write into a folder already
    removed."""
    import threading

    yield
    from vrhub.web.uploads import worker

    assert worker.wait_for_idle(120), "an upload was still loading two minutes after its test ended"
    for thread in threading.enumerate():
        if thread.name.startswith(BACKGROUND):
            thread.join(180)
            assert not thread.is_alive(), f"{thread.name} was still running three minutes after its test"


@pytest.fixture(scope="session")
def _loaded_warehouse(_initialised_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The initialised warehouse with each source's good fixture loaded (once per test run)."""

    def build(folder: Path) -> None:
        copy_warehouse(_initialised_warehouse, folder)
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("VRHUB_PSEUDONYM_KEY", TEST_KEY)
            hub = Hub(vrhub_settings(data_dir=folder, warehouse=str(folder / "warehouse.duckdb")))
            for source in SOURCES:
                list(hub.ingest(source, [FIXTURES / source / "good.csv"]))

    return built_once(tmp_path_factory, "loaded", build)


@pytest.fixture
def web_data(
    tmp_path: Path, _loaded_warehouse: Path, settings: object, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """A data folder of this test's own, with Django's settings and the server's shared warehouse on it."""
    from vrhub.web import figures, warehouse

    folder = copy_warehouse(_loaded_warehouse, tmp_path / "data")
    monkeypatch.setenv("VRHUB_PSEUDONYM_KEY", TEST_KEY)
    settings.DATA_DIR = folder  # type: ignore[attr-defined]
    settings.VRHUB_WAREHOUSE = str(folder / "warehouse.duckdb")  # type: ignore[attr-defined]
    settings.MEDIA_ROOT = folder / "uploads"  # type: ignore[attr-defined]
    warehouse.close()
    figures.clear()
    yield folder
    warehouse.close()
    figures.clear()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def no_figures_warmed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The upload worker's computing of the pages' figures after each load, left out (half an upload test's
    time): pages compute them when first asked. test_upload_warms.py checks the worker does it."""
    from vrhub.web import figures

    monkeypatch.setattr(figures, "warm", lambda: None)


@pytest.fixture
def make_user(db: None) -> Callable[..., object]:
    """make_user(role, organisation=None, username=None) -> a saved user with that role."""
    from django.contrib.auth.models import User

    from vrhub.web.accounts.models import Organisation, Profile

    def make(role: str, organisation: str | None = None, username: str | None = None) -> User:
        name = username or f"{role}-{organisation or 'none'}".replace(" ", "-").lower()[:150]
        user = User.objects.create_user(name, password="a-long-test-password-1")
        user.is_superuser = user.is_staff = role == "admin"
        user.save()
        org = (
            Organisation.objects.get_or_create(name=organisation, defaults={"kind": "police"})[0]
            if organisation
            else None
        )
        Profile.objects.create(user=user, role=role, organisation=org)
        return user

    return make


@pytest.fixture
def client_as(client: object, make_user: Callable[..., object]) -> Callable[..., object]:
    """client_as(role, organisation=None): Django's test client signed in as a new user with that role."""
    from django.test import Client

    def sign_in(role: str, organisation: str | None = None) -> Client:
        c = Client()
        c.force_login(make_user(role, organisation))
        return c

    return sign_in


@pytest.fixture
def token_for(make_user: Callable[..., object]) -> Callable[..., tuple[object, str]]:
    """token_for(role, organisation=None) -> (ApiToken, key) for a new user with that role."""
    from vrhub.web.api.models import ApiToken

    def make(role: str, organisation: str | None = None) -> tuple[object, str]:
        return ApiToken.issue(make_user(role, organisation), "test token")

    return make


def bearer(key: str) -> object:
    """A test client that sends the API token as a bearer token."""
    from django.test import Client

    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")
