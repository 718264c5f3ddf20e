"""Shared fixtures: a ready warehouse per test (copied from one built per test run), the demo (generated and
run once per test run), the pseudonym key, the hand-written fixture files and the real public data beside
the project (../shared/realdata). Also: Django is set up only for runs that reach its tests, and the
Hypothesis profiles."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from vrhub.config import settings
from vrhub.hub import Hub

# No Parquet snapshot after each write, except where a test asks for one (tests/exports): publishing copies
# the whole warehouse, a fifth of the fast tests' time when every load in every test did it.
os.environ.setdefault("VRHUB_SNAPSHOT", "off")

FIXTURES = Path(__file__).parent / "fixtures"
# ../shared/realdata relative to the project root; CI has it beside a clean clone, elsewhere it may be absent.
REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"
TEST_KEY = "test-pseudonym-key-not-for-real-use"
# The folders under tests/ whose tests need Django (the web application and its apps).
DJANGO_FOLDERS = ("web", "delivery")

# "fast", the default: the same examples every run (derandomised), so a fresh random find cannot hang CI or
# fail a change that did not cause it. "thorough" (`pytest --hypothesis-profile=thorough`, nightly): new
# random examples each run, ten times as many, remembered in .hypothesis/ when one fails.
FAST_EXAMPLES = 20
hypothesis_settings.register_profile(
    "fast", max_examples=FAST_EXAMPLES, derandomize=True, database=None, deadline=None, print_blob=True
)
hypothesis_settings.register_profile(
    "thorough", max_examples=10 * FAST_EXAMPLES, deadline=None, print_blob=True
)
hypothesis_settings.load_profile("fast")


def examples(fast: int) -> int:
    """The number of Hypothesis examples for a test whose examples are slow: `fast` in the fast profile,
    scaled as the profile loaded scales its own (ten times as many in "thorough"). Read at import, after
    pytest has loaded the profile asked for."""
    return max(1, fast * hypothesis_settings.default.max_examples // FAST_EXAMPLES)


def _reaches_django_tests(config: pytest.Config) -> bool:
    """Whether the paths pytest was given hold (or sit inside) a folder of Django tests."""
    here = Path(__file__).parent.resolve()
    django = [here / name for name in DJANGO_FOLDERS]
    for arg in config.args:
        path = (config.invocation_params.dir / arg.split("::")[0]).resolve()
        if any(path == d or path in d.parents or d in path.parents for d in django):
            return True
    return False


def pytest_configure(config: pytest.Config) -> None:
    # pytest-django sets Django up (its trylast pytest_configure) once the settings are configured here;
    # runs of library tests only (`pytest tests/measures`) never import Django.
    if _reaches_django_tests(config):
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vrhub.web.settings")
        from django.conf import settings as django_settings

        django_settings.DATABASES  # noqa: B018  (reading a setting configures them)
        # Every test user's password is hashed once or more; the production hasher (PBKDF2, hundreds of
        # thousands of rounds) made that a third of a second each. Servers the tests start as processes
        # (`vrhub serve` in the browser tests) keep the production hasher and make their own users.
        django_settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A server to start (PostgreSQL, or `vrhub serve` and a browser), or a real month to load: slow whatever
    # the test then does.
    for item in items:
        if any(item.get_closest_marker(name) for name in ("browser", "postgres", "realdata")):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def key(monkeypatch: pytest.MonkeyPatch) -> bytes:
    """The pseudonym key, from the environment as a deployment would give it."""
    monkeypatch.setenv("VRHUB_PSEUDONYM_KEY", TEST_KEY)
    return TEST_KEY.encode("utf-8")


def built_once(factory: pytest.TempPathFactory, name: str, build: Callable[[Path], object]) -> Path:
    """A folder made by `build` once per test run: the first pytest-xdist worker to ask builds it while the
    others wait for it, then all of them copy it (never write into it)."""
    import fcntl

    root = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # shared by the workers of this run
    folder = root / f"built-{name}"
    with (root / f"built-{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / ".built").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            build(folder)
            (folder / ".built").touch()
    return folder


@pytest.fixture(scope="session")
def _initialised_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`vrhub init` once per test run (schema plus the shipped lookup and population); tests copy it."""

    def build(folder: Path) -> None:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("VRHUB_PSEUDONYM_KEY", TEST_KEY)  # the key the tests load with: its fingerprint is kept
            Hub(settings(data_dir=folder, warehouse=str(folder / "warehouse.duckdb"))).init()

    return built_once(tmp_path_factory, "initialised", build)


def copy_warehouse(template: Path, folder: Path) -> Path:
    """Give `folder` a copy of a template's warehouse (cheaper than `vrhub init` or loading in every test).
    With no key in the environment the first load records a key file's instead: the warehouse is empty."""
    folder.mkdir(parents=True, exist_ok=True)
    for f in template.glob("warehouse.duckdb*"):
        shutil.copy(f, folder / f.name)
    return folder


@pytest.fixture(scope="session")
def _demo_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The demo's input files (seed 2022), generated once per test run: read them, never change them."""
    from vrhub.synth import DEMO_FILES, generate_demo

    folder = built_once(tmp_path_factory, "demo-files", lambda f: generate_demo(f, seed=2022))
    return {source: folder / name for source, name in DEMO_FILES.items()}


@pytest.fixture(scope="session")
def _demo_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`vrhub demo` (seed 2022, no key in the environment) run once per test run: its data folder, with the
    generated files in demo-input, the loaded warehouse, its key file and the report. Tests copy it."""

    def build(folder: Path) -> None:
        with pytest.MonkeyPatch.context() as mp:
            for name in ("VRHUB_PSEUDONYM_KEY", "VRHUB_WAREHOUSE", "VRHUB_DATA_DIR"):
                mp.delenv(name, raising=False)
            Hub(settings(data_dir=folder)).demo(seed=2022)

    return built_once(tmp_path_factory, "demo-run", build)


def copy_demo(template: Path, folder: Path) -> Hub:
    """A hub on a copy of the demo's data folder (without its input files, which tests read in place)."""
    shutil.copytree(template, folder, ignore=shutil.ignore_patterns("demo-input", ".built"))
    return Hub(settings(data_dir=folder))


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
