"""Keyed hashing of personal identifiers, computed inside the database, never in a row loop.

The key lives outside the warehouse: `VRHUB_PSEUDONYM_KEY`, or a key file created once in the data folder.
The same identifier gives the same pseudonym under the same key and scheme, so records link across loads;
without the key a pseudonym cannot be reversed or tested against a guessed identifier.

Two schemes, and each warehouse records the one its pseudonyms were made with (`warehouse_settings`), so
that every load of one warehouse links whatever vrhub version made it:

- `keyed-sha256-128` (every new warehouse): the first 128 bits of SHA-256(K || value), where
  K is a 64-byte block derived from the key. The key fills SHA-256's first block, so the first compression
  turns it into a secret state, and truncating the output stops the length extension that an untruncated
  secret-prefix hash allows. This is the "augmented MAC" (AMAC) construction, proved a pseudorandom
  function by Bellare, Bernstein and Tessaro (Hash-function based PRFs: AMAC and its multi-user security,
  EUROCRYPT 2016). It takes one SHA-256 compression for an identifier under 55 bytes where HMAC-SHA256 in
  SQL takes four (HMAC's precomputed key state cannot be kept in SQL), and its 32 hex characters are half
  HMAC's to store, group and compare. 128 bits leave a chance of two identifiers sharing a pseudonym below
  1e-20 for a billion identifiers.
- `hmac-sha256`: HMAC-SHA256 (RFC 2104) as 64 hex characters; what warehouses made before kept.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

_BLOCK = 64  # SHA-256 block size in bytes (RFC 2104)
KEYED_SHA256_128 = "keyed-sha256-128"
HMAC_SHA256 = "hmac-sha256"
SCHEMES = (KEYED_SHA256_128, HMAC_SHA256)
DEFAULT_SCHEME = KEYED_SHA256_128
# Separates the key block from a key used any other way (a key given for HMAC stays unrelated to it).
_BLOCK_LABEL = b"vrhub keyed-sha256-128 key block\x00"


def load_key(key_file: Path) -> bytes:
    """The pseudonymisation key: from the environment, else the key file (created on first use)."""
    env = os.environ.get("VRHUB_PSEUDONYM_KEY")
    if env:
        return env.encode("utf-8")
    if key_file.exists():
        return key_file.read_bytes().strip()
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32).encode("ascii")
    # Create with owner-only permissions from the start, not chmod after writing.
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    return key


def _key_block(key: bytes) -> str:
    """A whole SHA-256 block (64 ASCII hex characters, so safe in an SQL literal) derived from the key."""
    return hashlib.sha256(_BLOCK_LABEL + key).hexdigest()


@dataclass(frozen=True)
class Pseudonymiser:
    """Turns identifiers into pseudonyms under one key and scheme, in SQL or (for tests) in Python."""

    key: bytes
    scheme: str = DEFAULT_SCHEME

    def __post_init__(self) -> None:
        if self.scheme not in SCHEMES:
            raise ValueError(f"unknown pseudonym scheme {self.scheme!r}; known: {', '.join(SCHEMES)}")

    def __call__(self, value: str) -> str:
        """The reference implementation, for tests and single values."""
        data = value.encode("utf-8")
        if self.scheme == HMAC_SHA256:
            return hmac.new(self.key, data, hashlib.sha256).hexdigest()
        return hashlib.sha256(_key_block(self.key).encode("ascii") + data).hexdigest()[:32]

    def sql(self, expr: str) -> str:
        """A DuckDB SQL expression giving the pseudonym of `expr` as lowercase hex; NULL stays NULL."""
        if self.scheme == HMAC_SHA256:
            return hmac_sql(self.key, expr)
        return f"left(sha256('{_key_block(self.key)}' || ({expr})), 32)"


def pseudonym(key: bytes, value: str, scheme: str = DEFAULT_SCHEME) -> str:
    return Pseudonymiser(key, scheme)(value)


def hmac_sql(key: bytes, expr: str) -> str:
    """A DuckDB SQL expression computing HMAC-SHA256(key, expr) as lowercase hex; NULL stays NULL.

    HMAC(K, m) = H((K' xor opad) || H((K' xor ipad) || m)), with K' the key zero-padded to one block.
    """
    if len(key) > _BLOCK:
        key = hashlib.sha256(key).digest()
    padded = key.ljust(_BLOCK, b"\0")
    inner = bytes(b ^ 0x36 for b in padded).hex()
    outer = bytes(b ^ 0x5C for b in padded).hex()
    return (
        f"CASE WHEN ({expr}) IS NULL THEN NULL ELSE "
        f"sha256(unhex('{outer}') || unhex(sha256(unhex('{inner}') || encode({expr})))) END"
    )
