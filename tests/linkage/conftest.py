"""Linkage fixtures: people files written by hand, and a small synthetic population with its truth."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from vrhub.sources.people import IDENTIFYING
from vrhub.synth.people import generate_people

HEADER = ["record_ref", *IDENTIFYING, "source", "source_ref"]


def write_people(path: Path, rows: list[dict[str, str]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        for row in rows:
            writer.writerow({name: row.get(name, "") for name in header})
    return path


@pytest.fixture(autouse=True)
def _vault_key_from_its_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's vault makes its own key file, unless the test gives one."""
    monkeypatch.delenv("VRHUB_VAULT_KEY", raising=False)


@pytest.fixture(scope="session")
def population(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """About 3,000 synthetic people records across four agencies, with the truth (the same every run)."""
    return generate_people(tmp_path_factory.mktemp("people"), records=3_000, seed=7)
