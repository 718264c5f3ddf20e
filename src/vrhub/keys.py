"""Custody of the pseudonym key: the key a warehouse was made with is the only one it will load with.

A warehouse records a fingerprint of its key when it is made (or, for one made before fingerprints, at its
first load after). A load then refuses a missing, empty, short or different key instead of making a new one
silently: under a new key every reloaded record would count twice and no load would link to an earlier one.
"""

from __future__ import annotations

from pathlib import Path

from vrhub.errors import PseudonymKeyError
from vrhub.pseudonymise import (
    HMAC_SHA256,
    KEY_ENV,
    KeyProblem,
    Pseudonymiser,
    fingerprint,
    matches,
    new_key,
    read_key,
    write_key_file,
)
from vrhub.warehouse import Warehouse
from vrhub.warehouse.metadata import KEY_FINGERPRINT, PSEUDONYM_SCHEME, get_setting, set_setting

BACKUP_DOC = "docs/operations.md (the pseudonym key)"


def _where(key_file: Path) -> str:
    return f"${KEY_ENV}" if _from_env() else str(key_file)


def _from_env() -> bool:
    import os

    return os.environ.get(KEY_ENV) is not None


def holds_records(wh: Warehouse) -> bool:
    """Has a record file been loaded into this warehouse? Every record source but indicators holds
    pseudonyms; any record load counts, the safe side. Until then a key can still be chosen freely."""
    loads = wh.table("loads")
    held = loads.filter(~loads.source.isin(["areas", "population"])).count()
    return bool(wh.to_arrow(held.as_table()).column(0)[0].as_py())


def _read(key_file: Path) -> tuple[bytes, ...] | None:
    try:
        return read_key(key_file)
    except KeyProblem as exc:
        raise PseudonymKeyError(
            str(exc),
            "Restore the key from your backup, or give a random key of at least 32 bytes, e.g. "
            "`python3 -c 'import secrets; print(secrets.token_hex(32))'` (only for a warehouse that holds "
            f"no records yet). See {BACKUP_DOC}.",
        ) from None


def guarded_key(wh: Warehouse, key_file: Path) -> tuple[bytes, ...]:
    """The key chain to load with: the warehouse's own, checked against its fingerprint. A new warehouse gets
    a new key file and its fingerprint. Call inside the warehouse's write access."""
    recorded = get_setting(wh, KEY_FINGERPRINT)
    keys = _read(key_file)
    held = holds_records(wh)
    if keys is None:
        if held:
            raise PseudonymKeyError(
                f"the pseudonym key is missing: neither ${KEY_ENV} nor {key_file} holds it, and this "
                "warehouse's records were pseudonymised with it",
                f"Restore {key_file} from your backup (or set ${KEY_ENV} to the key). vrhub will not make a "
                "new key for a warehouse that holds records: every reloaded record would count twice and no "
                f"load would link to an earlier one. See {BACKUP_DOC}.",
            )
        keys = (new_key(),)
        write_key_file(key_file, keys)
    if recorded is None or (not held and not matches(keys, recorded)):
        # Made now, or holding no records yet: nothing is pseudonymised under another key.
        set_setting(wh, KEY_FINGERPRINT, fingerprint(keys))
    elif not matches(keys, recorded):
        raise PseudonymKeyError(
            f"the pseudonym key in {_where(key_file)} is not the key this warehouse was made with",
            "Restore the warehouse's own key from your backup"
            + (f" or unset ${KEY_ENV}" if _from_env() else "")
            + f". To change the key, use `vrhub key rotate` with the current key in place. See {BACKUP_DOC}.",
        )
    return keys


def pseudonymiser(wh: Warehouse, key_file: Path) -> Pseudonymiser:
    """The guarded key with the scheme this warehouse's pseudonyms were made with (migration 4 records it)."""
    scheme = get_setting(wh, PSEUDONYM_SCHEME) or HMAC_SHA256
    return Pseudonymiser.from_chain(guarded_key(wh, key_file), scheme)


def check(wh: Warehouse, key_file: Path) -> str:
    """Say whether the key in place is this warehouse's, without changing anything."""
    recorded = get_setting(wh, KEY_FINGERPRINT)
    keys = _read(key_file)
    if keys is None:
        if holds_records(wh):
            raise PseudonymKeyError(
                f"the pseudonym key is missing from {key_file} and ${KEY_ENV}",
                f"Restore it from your backup. See {BACKUP_DOC}.",
            )
        return "no key yet: the first load will make one"
    if recorded is None:
        where = _where(key_file)
        return f"a key of {len(keys)} part(s) is in {where}; its fingerprint is recorded at the next load"
    if not matches(keys, recorded):
        if not holds_records(wh):
            return f"the key in {_where(key_file)} is new to this warehouse, which holds no records yet"
        raise PseudonymKeyError(
            f"the pseudonym key in {_where(key_file)} is not the key this warehouse was made with",
            f"Restore the warehouse's own key from your backup. See {BACKUP_DOC}.",
        )
    return f"the key in {_where(key_file)} is this warehouse's key ({len(keys)} part(s))"
