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

The key is guarded: each warehouse records a salted scrypt fingerprint of its key (`warehouse_settings`), and
a load with a missing, empty, short (under 32 bytes) or different key is refused, because a new key would
make every reloaded record count twice and cut every link to earlier loads. `vrhub key rotate` adds a key to
the chain and hashes every stored pseudonym again under it, in one transaction.
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


MIN_KEY_BYTES = 32  # a key shorter than a SHA-256 output leaves the pseudonyms open to guessing
KEY_ENV = "VRHUB_PSEUDONYM_KEY"


class KeyProblem(Exception):
    """The key cannot be used as it is (too short, or a key file that cannot be read)."""


def read_key(key_file: Path) -> tuple[bytes, ...] | None:
    """The pseudonymisation key as its chain of keys (one a line; more than one after `vrhub key rotate`):
    from the environment, else the key file. None where neither holds a key."""
    env = os.environ.get(KEY_ENV)
    if env is not None:
        return _chain(env.encode("utf-8"), f"${KEY_ENV}")
    if not key_file.exists():
        return None
    try:
        text = key_file.read_bytes()
    except OSError as exc:
        raise KeyProblem(f"the key file {key_file} cannot be read: {exc.strerror}") from exc
    return _chain(text, str(key_file))


def _chain(text: bytes, where: str) -> tuple[bytes, ...]:
    keys = tuple(line.strip() for line in text.splitlines() if line.strip())
    if not keys:
        raise KeyProblem(f"the pseudonym key in {where} is empty")
    for key in keys:
        if len(key) < MIN_KEY_BYTES:
            raise KeyProblem(
                f"the pseudonym key in {where} is {len(key)} bytes long; at least {MIN_KEY_BYTES} are needed"
            )
    return keys


def new_key() -> bytes:
    return secrets.token_hex(32).encode("ascii")


def write_key_file(key_file: Path, keys: tuple[bytes, ...], replace: bool = False) -> None:
    """Write the key file owner-only from the start (not chmod after writing); `replace` swaps it in
    atomically, so a crash leaves the old file or the new one, never half of one."""
    key_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = key_file.with_name(key_file.name + ".new") if replace else key_file
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    if replace and target.exists():
        target.unlink()
    fd = os.open(target, flags, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(b"\n".join(keys) + b"\n")
        handle.flush()
        os.fsync(handle.fileno())
    if replace:
        os.replace(target, key_file)


def load_key(key_file: Path) -> bytes:
    """The first key of the chain, creating a key file where there is none (tests and single values)."""
    keys = read_key(key_file)
    if keys is None:
        keys = (new_key(),)
        write_key_file(key_file, keys)
    return keys[0]


_FINGERPRINT_LABEL = b"vrhub pseudonym key fingerprint\x00"


def fingerprint(keys: tuple[bytes, ...], salt: bytes | None = None) -> str:
    """A record of the key that tells a wrong key from the right one without revealing it: scrypt (a slow,
    memory-hard hash, so a weak key cannot be searched for offline) over the whole chain, salted."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(_FINGERPRINT_LABEL + b"\n".join(keys), salt=salt, n=2**14, r=8, p=1, dklen=32)
    return f"scrypt${salt.hex()}${digest.hex()}"


def matches(keys: tuple[bytes, ...], recorded: str) -> bool:
    try:
        method, salt, _digest = recorded.split("$")
    except ValueError:
        return False
    return method == "scrypt" and hmac.compare_digest(fingerprint(keys, bytes.fromhex(salt)), recorded)


def _key_block(key: bytes) -> str:
    """A whole SHA-256 block (64 ASCII hex characters, so safe in an SQL literal) derived from the key."""
    return hashlib.sha256(_BLOCK_LABEL + key).hexdigest()


@dataclass(frozen=True)
class Pseudonymiser:
    """Turns identifiers into pseudonyms under one key and scheme, in SQL or (for tests) in Python."""

    key: bytes
    scheme: str = DEFAULT_SCHEME
    # Keys added by `vrhub key rotate`, oldest first: each re-keys the pseudonym before it (a pseudonym
    # is one-way, so re-keying can only hash it again; the identifiers themselves are never kept).
    layers: tuple[bytes, ...] = ()

    def __post_init__(self) -> None:
        if self.scheme not in SCHEMES:
            raise ValueError(f"unknown pseudonym scheme {self.scheme!r}; known: {', '.join(SCHEMES)}")

    @classmethod
    def from_chain(cls, keys: tuple[bytes, ...], scheme: str) -> Pseudonymiser:
        return cls(keys[0], scheme, tuple(keys[1:]))

    @property
    def chain(self) -> tuple[bytes, ...]:
        return (self.key, *self.layers)

    def __call__(self, value: str) -> str:
        """The reference implementation, for tests and single values."""
        data = value.encode("utf-8")
        if self.scheme == HMAC_SHA256:
            out = hmac.new(self.key, data, hashlib.sha256).hexdigest()
        else:
            out = hashlib.sha256(_key_block(self.key).encode("ascii") + data).hexdigest()[:32]
        for layer in self.layers:
            out = rekey(layer, out)
        return out

    def sql(self, expr: str) -> str:
        """A DuckDB SQL expression giving the pseudonym of `expr` as lowercase hex; NULL stays NULL."""
        if self.scheme == HMAC_SHA256:
            out = hmac_sql(self.key, expr)
        else:
            out = f"left(sha256('{_key_block(self.key)}' || ({expr})), 32)"
        for layer in self.layers:
            out = rekey_sql(layer, out)
        return out


def rekey(layer: bytes, pseudonym: str) -> str:
    """A pseudonym hashed again under a rotation key (keyed SHA-256, 128 bits, like a new warehouse's)."""
    return hashlib.sha256(_key_block(layer).encode("ascii") + pseudonym.encode("ascii")).hexdigest()[:32]


def rekey_sql(layer: bytes, expr: str) -> str:
    return f"left(sha256('{_key_block(layer)}' || ({expr})), 32)"


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
