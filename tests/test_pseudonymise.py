"""The pseudonym computed in SQL (inside DuckDB, over whole columns) equals the Python reference, for both
schemes: HMAC-SHA256 (checked against Python's hmac and RFC 4231) and keyed SHA-256 truncated to 128 bits."""

from __future__ import annotations

import hashlib
import hmac

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vrhub.pseudonymise import HMAC_SHA256, KEYED_SHA256_128, Pseudonymiser, hmac_sql, load_key, pseudonym


def in_sql(key: bytes, values: list[str | None], sql=hmac_sql) -> list[str | None]:
    """Hash a whole column at once, as an ingest does."""
    con = duckdb.connect()
    con.execute("CREATE TABLE t (i INTEGER, v VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?, ?)", list(enumerate(values)))
    return [r[0] for r in con.execute(f"SELECT {sql(key, 'v')} FROM t ORDER BY i").fetchall()]


def keyed_in_sql(key: bytes, values: list[str | None]) -> list[str | None]:
    return in_sql(key, values, lambda k, v: Pseudonymiser(k, KEYED_SHA256_128).sql(v))


def reference(key: bytes, value: str) -> str:
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


KEYS = [b"k", b"x" * 63, b"y" * 64, b"z" * 65, b"\x00\xff" * 100, "clé secrète".encode(), b""]
VALUES = [
    "MP/19/000123",
    "PERS-0001",
    "",
    " ",
    "Zoë Ó'Brien",
    "名前",
    "😀 emoji",
    "a\nb",
    "'; DROP TABLE x; --",
    "9434765919",
    "x" * 1000,
]


@pytest.mark.parametrize("key", KEYS, ids=lambda k: f"{len(k)}-byte key")
def test_sql_hmac_equals_python_hmac(key: bytes) -> None:
    assert in_sql(key, VALUES) == [reference(key, v) for v in VALUES]
    assert [pseudonym(key, v, HMAC_SHA256) for v in VALUES] == [reference(key, v) for v in VALUES]


def test_null_stays_null() -> None:
    assert in_sql(b"k", [None, "a", None]) == [None, reference(b"k", "a"), None]


def test_known_answer_rfc_4231_case_2() -> None:
    """RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"."""
    expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    assert in_sql(b"Jefe", ["what do ya want for nothing?"]) == [expected]


@pytest.mark.slow
@settings(deadline=None)
@given(key=st.binary(min_size=1, max_size=200), values=st.lists(st.text(max_size=80), min_size=1, max_size=5))
def test_sql_hmac_equals_python_hmac_for_any_key_and_text(key: bytes, values: list[str]) -> None:
    values = [v for v in values if "\x00" not in v] or ["a"]  # DuckDB strings end at NUL
    assert in_sql(key, values) == [reference(key, v) for v in values]


def test_load_key_prefers_the_environment(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VRHUB_PSEUDONYM_KEY", "from the environment, 32 bytes or more")
    assert load_key(tmp_path / "pseudonym.key") == b"from the environment, 32 bytes or more"
    assert not (tmp_path / "pseudonym.key").exists()
    monkeypatch.delenv("VRHUB_PSEUDONYM_KEY")
    created = load_key(tmp_path / "deep" / "pseudonym.key")
    assert load_key(tmp_path / "deep" / "pseudonym.key") == created and len(created) == 64


@pytest.mark.parametrize("key", KEYS, ids=lambda k: f"{len(k)}-byte key")
def test_keyed_sha256_in_sql_equals_python(key: bytes) -> None:
    found = keyed_in_sql(key, VALUES)
    assert found == [pseudonym(key, v) for v in VALUES]
    assert all(len(p) == 32 and int(p, 16) >= 0 for p in found)  # 128 bits, lowercase hex
    assert len(set(found)) == len(VALUES)


def test_keyed_sha256_is_the_truncated_hash_of_one_key_block_then_the_value() -> None:
    """Checked from first principles: the key's block is one whole SHA-256 block (64 bytes), so the key is
    absorbed by the first compression alone, and the pseudonym is the first 128 bits of the hash."""
    key = b"Jefe"
    block = hashlib.sha256(b"vrhub keyed-sha256-128 key block\x00" + key).hexdigest().encode()
    assert len(block) == 64
    expected = hashlib.sha256(block + b"MP/19/000123").hexdigest()[:32]
    assert pseudonym(key, "MP/19/000123") == expected
    assert keyed_in_sql(key, ["MP/19/000123"]) == [expected]


def test_keyed_sha256_depends_on_the_key_and_keeps_null() -> None:
    assert keyed_in_sql(b"k", [None, "a", None]) == [None, pseudonym(b"k", "a"), None]
    assert pseudonym(b"k", "a") != pseudonym(b"l", "a")
    assert pseudonym(b"k", "a") != hashlib.sha256(b"a").hexdigest()[:32]
    # Not HMAC truncated: the schemes give different pseudonyms, so a warehouse must keep one.
    assert pseudonym(b"k", "a") != pseudonym(b"k", "a", HMAC_SHA256)[:32]


@pytest.mark.slow
@settings(deadline=None)
@given(key=st.binary(min_size=1, max_size=200), values=st.lists(st.text(max_size=80), min_size=1, max_size=5))
def test_keyed_sha256_in_sql_equals_python_for_any_key_and_text(key: bytes, values: list[str]) -> None:
    values = [v for v in values if "\x00" not in v] or ["a"]
    assert keyed_in_sql(key, values) == [pseudonym(key, v) for v in values]


def test_an_unknown_scheme_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown pseudonym scheme"):
        Pseudonymiser(b"k", "md5")
