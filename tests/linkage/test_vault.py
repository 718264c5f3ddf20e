"""The vault keeps clear identifiers encrypted, apart from the warehouse, under a key kept outside it; it
refuses a wrong or missing key, audits what is done with it, and forgets what retention says to."""

from __future__ import annotations

import datetime as dt
import sqlite3
import stat
from pathlib import Path

import pytest

from tests.linkage.conftest import write_people
from vrhub.errors import BadValue
from vrhub.hub import Hub
from vrhub.linkage.purge import cutoff
from vrhub.linkage.vault import KEY_ENV, RECORD_SCHEMA, Vault, VaultKeyError, _ipc, key_path, vault_path

PEOPLE = [
    {
        "record_ref": "MP-0001",
        "forename": "Zebedee",
        "surname": "Quillfeather",
        "date_of_birth": "1987-06-05",
        "sex": "M",
        "postcode": "L8 7NP",
        "address": "14 Lark Lane",
        "nhs_number": "943 476 5919",
        "email": "zeb.quill@example.org",
        "source": "police-records",
        "source_ref": "PR-77",
    },
    {
        "record_ref": "MP-0002",
        "forename": "Hepzibah",
        "surname": "Wolstenholme",
        "date_of_birth": "12/11/2001",
        "sex": "F",
        "postcode": "CH41 5LH",
        "address": "3 Argyle Street",
    },
]
CLEAR = [
    "Zebedee",
    "Quillfeather",
    "Hepzibah",
    "Wolstenholme",
    "Lark Lane",
    "Argyle Street",
    "CH41 5LH",
    "9434765919",
    "943 476 5919",
    "MP-0001",
    "PR-77",
    "1987-06-05",
    "zeb.quill",
]


@pytest.fixture
def loaded(hub: Hub, tmp_path: Path) -> Hub:
    list(hub.ingest_people([write_people(tmp_path / "people.csv", PEOPLE)], agency="Merseyside Police"))
    return hub


def test_the_vault_file_holds_no_identifier_in_clear(loaded: Hub) -> None:
    path = vault_path(loaded.settings.data_dir)
    stored = b"".join(f.read_bytes() for f in path.parent.iterdir())
    for clear in CLEAR:
        for form in (clear, clear.lower(), clear.upper()):
            assert form.encode("utf-8") not in stored and form.encode("utf-16-le") not in stored
    with Vault.open(loaded.settings.data_dir) as vault:  # and yet the key opens it
        assert {r["surname"] for r in vault.records().to_pylist()} == {"Quillfeather", "Wolstenholme"}


def test_the_warehouse_holds_no_identifier_in_clear(loaded: Hub) -> None:
    stored = b"".join(f.read_bytes() for f in loaded.settings.data_dir.glob("warehouse.duckdb*"))
    for clear in CLEAR:
        assert clear.encode("utf-8") not in stored


def test_the_vault_and_its_key_are_owner_only_and_apart(loaded: Hub) -> None:
    data_dir = loaded.settings.data_dir
    for path in (vault_path(data_dir), key_path(data_dir)):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(vault_path(data_dir).parent.stat().st_mode) == 0o700
    assert key_path(data_dir).parent == data_dir != vault_path(data_dir).parent  # the key is not in the vault


def test_a_wrong_key_is_refused(loaded: Hub, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, "f" * 64)
    with pytest.raises(VaultKeyError, match="not the key this vault was made with"):
        Vault.open(loaded.settings.data_dir)


def test_a_missing_key_is_refused_not_replaced(loaded: Hub) -> None:
    key = key_path(loaded.settings.data_dir)
    kept = key.read_bytes()
    key.unlink()
    with pytest.raises(VaultKeyError, match="the vault key is missing"):
        Vault.open(loaded.settings.data_dir)
    assert not key.exists()  # no new key was made for a vault that holds records
    key.write_bytes(kept)
    Vault.open(loaded.settings.data_dir).close()


def test_a_short_key_is_refused(hub: Hub, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, "too short")
    with pytest.raises(VaultKeyError, match="at least 32"):
        Vault.open(hub.settings.data_dir)


def test_an_altered_batch_is_refused(loaded: Hub) -> None:
    path = vault_path(loaded.settings.data_dir)
    con = sqlite3.connect(path)
    sealed = bytearray(con.execute("SELECT sealed FROM batches").fetchone()[0])
    sealed[10] ^= 1
    con.execute("UPDATE batches SET sealed = ?", (bytes(sealed),))
    con.commit()
    con.close()
    with Vault.open(loaded.settings.data_dir) as vault, pytest.raises(Exception, match="damaged or altered"):
        vault.records()


def test_a_batch_sealed_before_the_email_column_reads_it_as_unknown(loaded: Hub) -> None:
    with Vault.open(loaded.settings.data_dir) as vault:
        before = vault.records()
        assert before["email"].to_pylist() == ["zeb.quill@example.org", None]
        # The batch as a vault made before `email` sealed it: the same records without the column.
        old = before.select([c for c in RECORD_SCHEMA.names if c != "email"])
        [load] = vault.loads()
        nonce, sealed = vault._seal(_ipc(old), f"load {load.load_id} 0")
        with vault.transaction():
            vault._con.execute("UPDATE batches SET nonce = ?, sealed = ?", (nonce, sealed))
        after = vault.records()
    assert after["email"].to_pylist() == [None, None]
    assert after.drop_columns(["email"]).equals(before.drop_columns(["email"]))


def test_loads_and_runs_are_audited(loaded: Hub) -> None:
    with Vault.open(loaded.settings.data_dir) as vault:
        (event,) = vault.audit_events()
    assert event["action"] == "load" and event["records"] == 2 and event["user"]
    assert event["detail"]["agency"] == "Merseyside Police" and event["detail"]["file"] == "people.csv"


def _age(data_dir: Path, load_id: int, days: int) -> None:
    """Make a load look `days` old (the vault records when each load was made)."""
    when = (dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=days)).isoformat()
    con = sqlite3.connect(vault_path(data_dir))
    con.execute("UPDATE loads SET loaded_at = ? WHERE load_id = ?", (when, load_id))
    con.commit()
    con.close()


@pytest.mark.slow
def test_purge_forgets_the_loads_older_than_the_age_given(loaded: Hub, tmp_path: Path) -> None:
    later = [{**PEOPLE[1], "record_ref": "MP-0003", "surname": "Featherstonehaugh"}]
    (summary,) = loaded.ingest_people(
        [write_people(tmp_path / "later.csv", later)], agency="Merseyside Police"
    )
    with Vault.open(loaded.settings.data_dir) as vault:
        first = vault.loads()[0].load_id
    _age(loaded.settings.data_dir, first, days=400)
    result = loaded.link_purge("365d")
    assert (result["loads"], result["records"]) == (1, 2)
    with Vault.open(loaded.settings.data_dir) as vault:
        assert [r["record_ref"] for r in vault.records().to_pylist()] == ["MP-0003"]
        assert [x.load_id for x in vault.loads()] == [summary.load_id]
        purged = vault.audit_events()[-1]
    assert purged["action"] == "purge" and purged["detail"]["load_ids"] == [first]
    stored = vault_path(loaded.settings.data_dir).read_bytes()
    assert b"purge" in stored  # the audit is in the file, in clear; the purged records are gone with it
    assert loaded.link_purge("365d")["records"] == 0


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        ("365d", dt.datetime(2023, 3, 1, 12)),
        ("2w", dt.datetime(2024, 2, 15, 12)),
        ("1m", dt.datetime(2024, 1, 29, 12)),
        ("12m", dt.datetime(2023, 2, 28, 12)),
        ("1y", dt.datetime(2023, 2, 28, 12)),
    ],
)
def test_an_age_counts_back_from_now(age: str, expected: dt.datetime) -> None:
    assert cutoff(age, today=dt.datetime(2024, 2, 29, 12)) == expected


@pytest.mark.parametrize("age", ["", "365", "0d", "-3d", "3 fortnights", "1.5y"])
def test_an_age_that_is_not_one_is_refused(age: str) -> None:
    with pytest.raises(BadValue, match="not an age"):
        cutoff(age)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROM sqlite_scan('{vault}', 'batches')",
        "SELECT * FROM '{vault}'",
        "SELECT * FROM read_blob('{vault}')",
        "SELECT * FROM batches",
        "SELECT * FROM audit",
    ],
)
def test_vrhub_sql_cannot_reach_the_vault(loaded: Hub, query: str) -> None:
    from vrhub.errors import VrhubError

    with pytest.raises((VrhubError, Exception)) as refused:
        loaded.sql(query.format(vault=vault_path(loaded.settings.data_dir)))
    assert "Quillfeather" not in str(refused.value)
