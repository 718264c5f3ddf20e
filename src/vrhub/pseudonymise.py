"""Keyed hashing of personal identifiers (HMAC-SHA256), computed inside the database, never in a row loop.

The key lives outside the warehouse: `VRHUB_PSEUDONYM_KEY`, or a key file created once in the data folder.
The same identifier gives the same pseudonym under the same key, so records link across loads; without
the key a pseudonym cannot be reversed or tested against a guessed identifier.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

_BLOCK = 64  # SHA-256 block size in bytes (RFC 2104)


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


def pseudonym(key: bytes, value: str) -> str:
    """The reference implementation, for tests and single values."""
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


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
