"""The pseudonym key is guarded: a warehouse that holds records refuses a missing, empty, short or different
key (a new key would count every reloaded record twice), and `vrhub key rotate` re-keys in one go."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, TEST_KEY
from tests.sources.helpers import ingest, rows
from vrhub.config import settings
from vrhub.errors import PseudonymKeyError
from vrhub.hub import Hub
from vrhub.pseudonymise import pseudonym, rekey

pytestmark = pytest.mark.slow

POLICE = FIXTURES / "police-records" / "good.csv"
QUARANTINE = "SELECT raw_row FROM quarantine"


@pytest.fixture
def keyed(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Hub:
    """A warehouse holding the police fixture, loaded under a key file (no key in the environment)."""
    monkeypatch.delenv("VRHUB_PSEUDONYM_KEY", raising=False)
    (data_dir / "pseudonym.key").write_text("k" * 40 + "\n")
    hub = Hub(settings(data_dir=data_dir))
    ingest(hub, "police-records", POLICE)
    return hub


def count(hub: Hub) -> int:
    return rows(hub, "SELECT count(*) AS n FROM police_records")[0]["n"]


def test_a_deleted_key_file_is_refused_and_nothing_is_loaded_twice(keyed: Hub) -> None:
    keyed.settings.key_file.unlink()
    with pytest.raises(PseudonymKeyError) as refused:
        list(keyed.ingest("police-records", [POLICE]))
    assert "the pseudonym key is missing" in refused.value.message
    assert "Restore" in refused.value.hint and str(keyed.settings.key_file) in refused.value.hint
    assert not keyed.settings.key_file.exists()  # no new key was made
    assert count(keyed) == 7


@pytest.mark.parametrize("text", ["", "\n", "short-key\n"], ids=["empty", "blank line", "9 bytes"])
def test_an_empty_or_short_key_is_refused(keyed: Hub, text: str) -> None:
    keyed.settings.key_file.write_text(text)
    with pytest.raises(PseudonymKeyError, match="empty|at least 32 are needed"):
        list(keyed.ingest("police-records", [POLICE]))


def test_another_key_from_the_environment_is_refused(keyed: Hub, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VRHUB_PSEUDONYM_KEY", TEST_KEY)
    changed = POLICE.parent / "good.csv"
    with pytest.raises(PseudonymKeyError) as refused:
        list(keyed.ingest("police-records", [changed]))
    assert refused.value.message == (
        "the pseudonym key in $VRHUB_PSEUDONYM_KEY is not the key this warehouse was made with"
    )
    assert "unset $VRHUB_PSEUDONYM_KEY" in refused.value.hint and "vrhub key rotate" in refused.value.hint
    assert count(keyed) == 7


def test_a_new_warehouse_records_its_key_and_an_empty_one_may_take_another(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VRHUB_PSEUDONYM_KEY", TEST_KEY)  # the key `vrhub init` made the template with
    hub = Hub(settings(data_dir=data_dir))
    assert "is this warehouse's key" in hub.key_check()
    # Nothing loaded yet: a different key harms nothing, and becomes the warehouse's.
    monkeypatch.setenv("VRHUB_PSEUDONYM_KEY", "b" * 32)
    assert "new to this warehouse" in hub.key_check()
    ingest(hub, "fire", FIXTURES / "fire" / "good.csv")
    assert "is this warehouse's key" in hub.key_check()
    monkeypatch.setenv("VRHUB_PSEUDONYM_KEY", TEST_KEY)
    with pytest.raises(PseudonymKeyError):
        hub.key_check()


def test_rotation_rekeys_every_pseudonym_and_reloads_still_match(keyed: Hub) -> None:
    old_key = keyed.settings.key_file.read_bytes().strip()
    quarantined = ingest(keyed, "police-records", FIXTURES / "police-records" / "bad.csv")
    assert quarantined.rows_quarantined > 0
    before = rows(keyed, "SELECT crime_key FROM police_records ORDER BY crime_key")
    hashed = re.compile(r"\b[0-9a-f]{32}\b")
    held_before = {h for r in rows(keyed, QUARANTINE) for h in hashed.findall(r["raw_row"])}
    assert held_before  # the bad file's quarantined rows hold pseudonyms
    assert keyed.key_rotate() == count(keyed)
    chain = keyed.settings.key_file.read_bytes().split()
    assert chain[0] == old_key and len(chain) == 2 and len(chain[1]) >= 32
    after = rows(keyed, "SELECT crime_key FROM police_records ORDER BY crime_key")
    assert sorted(rekey(chain[1], r["crime_key"]) for r in before) == sorted(r["crime_key"] for r in after)
    expected = rekey(chain[1], pseudonym(old_key, "MP/19/000123"))
    assert expected in {r["crime_key"] for r in after}
    assert pseudonym(old_key, "MP/19/000123") not in {r["crime_key"] for r in after}
    # The quarantine's pseudonyms are re-keyed too: none under the old key alone is left.
    held_after = {h for r in rows(keyed, QUARANTINE) for h in hashed.findall(r["raw_row"])}
    assert held_after == {rekey(chain[1], h) for h in held_before}
    # The same file in other bytes (its rows reversed) adds nothing under the chain.
    lines = POLICE.read_text().splitlines()
    reordered = keyed.settings.data_dir / "reordered.csv"
    reordered.write_text("\n".join([lines[0], *reversed(lines[1:])]) + "\n")
    again = ingest(keyed, "police-records", reordered)
    assert (again.rows_loaded, again.duplicates_skipped) == (0, 7)
    # The old key alone is now refused.
    keyed.settings.key_file.write_bytes(old_key + b"\n")
    with pytest.raises(PseudonymKeyError):
        list(keyed.ingest("police-records", [reordered]))


def test_an_interrupted_rotation_is_finished_at_the_next_load(keyed: Hub) -> None:
    import shutil

    key_file = keyed.settings.key_file
    old = key_file.read_bytes()
    keyed.key_rotate()
    # As if the process stopped after the commit, before the new key file was swapped in.
    shutil.copy(key_file, key_file.with_name("pseudonym.key.rotating"))
    key_file.write_bytes(old)
    ingest(keyed, "police-records", POLICE)
    assert len(key_file.read_bytes().split()) == 2
