"""Key rotation re-hashes the pseudonyms of the resolved quarantine (rows a later load of their file
loaded), as it does the quarantine's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.sources.helpers import ingest, rows
from vrhub.config import settings
from vrhub.hub import Hub
from vrhub.pseudonymise import rekey

pytestmark = pytest.mark.slow  # each test loads files through the whole ingest (0.5 s or more)

HEADER = "incident_ref,call_datetime,category,age,sex,lsoa_code\n"


@pytest.fixture
def keyed(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Hub:
    monkeypatch.delenv("VRHUB_PSEUDONYM_KEY", raising=False)
    return Hub(settings(data_dir=data_dir))


def test_rotation_rekeys_the_resolved_quarantine(keyed: Hub, tmp_path: Path) -> None:
    path = tmp_path / "amb.csv"
    path.write_text(HEADER + "AR1,2021-07-02 10:00,assault,17.5,M,E01006412\n")
    ingest(keyed, "ambulance", path)
    path.write_text(HEADER + "AR1,2021-07-02 10:00,assault,17,M,E01006412\n")
    ingest(keyed, "ambulance", path)
    query = "SELECT raw_row FROM quarantine_resolved"
    hashed = re.compile(r"\b[0-9a-f]{32}\b")
    before = {h for r in rows(keyed, query) for h in hashed.findall(r["raw_row"])}
    assert len(before) == 1
    keyed.key_rotate()
    chain = keyed.settings.key_file.read_bytes().split()
    after = {h for r in rows(keyed, query) for h in hashed.findall(r["raw_row"])}
    assert after == {rekey(chain[1], h) for h in before}
