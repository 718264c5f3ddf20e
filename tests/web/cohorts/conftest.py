"""A warehouse with linked people and cohorts for the cohort and linkage pages, built once per test run:

- the synthetic population of tests/cohorts (600 people; "Navigators" halves offending), linked by the
  tests' own `person_links` rows, so its cohort is large enough to publish;
- "Pilot": three of those people, a cohort small enough that its members are suppressed;
- a linkage run over 300 synthetic people records of four agencies, so the vault has a run to report.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cohorts.links import write_links
from tests.cohorts.synthetic import PARTICIPANTS, _write, population
from tests.conftest import TEST_KEY, built_once, copy_warehouse
from tests.sources.helpers import ingest
from vrhub.config import settings as vrhub_settings
from vrhub.hub import Hub
from vrhub.synth.people import AGENCIES, generate_people

PEOPLE = 600
SMALL = ("P0", "P1", "P2")  # the Pilot's three participants
BIG = "participants:Navigators"
TINY = "participants:Pilot"


def build_cohort_data(folder: Path, initialised: Path) -> None:
    copy_warehouse(initialised, folder)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VRHUB_PSEUDONYM_KEY", TEST_KEY)
        mp.delenv("VRHUB_VAULT_KEY", raising=False)
        hub = Hub(vrhub_settings(data_dir=folder, warehouse=str(folder / "warehouse.duckdb")))
        people = generate_people(folder / "people-input", records=300, seed=7)
        for agency in AGENCIES:
            list(hub.ingest_people([people[agency]], agency=agency))
        hub.link()
        pop = population(folder / "input", PEOPLE, effect=0.5, seed=11)
        ingest(hub, "police-records", pop.police)
        ingest(hub, "education-records", pop.education)
        ingest(hub, "participants", pop.participants)
        pilot = [[f"PILOT-{p}", "Pilot", "2019-03-01", "", "E01006412", 18, "M"] for p in SMALL]
        ingest(hub, "participants", _write(folder / "input" / "pilot.csv", PARTICIPANTS, pilot))
        write_links(hub, [*pop.links, *(("participants", f"PILOT-{p}", p) for p in SMALL)], run_id=2)
        shutil.rmtree(folder / "people-input")


@pytest.fixture(scope="session")
def _cohort_data(_initialised_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_once(
        tmp_path_factory, "cohort-web", lambda folder: build_cohort_data(folder, _initialised_warehouse)
    )


@pytest.fixture
def cohort_data(
    tmp_path: Path, _cohort_data: Path, settings: object, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """A copy of the cohort data folder (warehouse, vault and its key), with Django's settings on it."""
    from vrhub.web import figures, warehouse

    folder = tmp_path / "data"
    shutil.copytree(_cohort_data, folder, ignore=shutil.ignore_patterns(".built", "input"))
    monkeypatch.setenv("VRHUB_PSEUDONYM_KEY", TEST_KEY)
    monkeypatch.delenv("VRHUB_VAULT_KEY", raising=False)
    settings.DATA_DIR = folder  # type: ignore[attr-defined]
    settings.VRHUB_WAREHOUSE = str(folder / "warehouse.duckdb")  # type: ignore[attr-defined]
    settings.MEDIA_ROOT = folder / "uploads"  # type: ignore[attr-defined]
    warehouse.close()
    figures.clear()
    yield folder
    warehouse.close()
    figures.clear()
