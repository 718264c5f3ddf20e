"""Custody of the pseudonym key: the key a warehouse was made with is the only one it will load with.

A warehouse records a fingerprint of its key when it is made (or, for one made before fingerprints, at its
first load after). A load then refuses a missing, empty, short or different key instead of making a new one
silently: under a new key every reloaded record would count twice and no load would link to an earlier one.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import ibis

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
    rekey_sql,
    write_key_file,
)
from vrhub.warehouse import Warehouse
from vrhub.warehouse.metadata import KEY_FINGERPRINT, PSEUDONYM_SCHEME, get_setting, set_setting
from vrhub.warehouse.tables import PSEUDONYM_COLUMNS, SCHEMAS

BACKUP_DOC = "docs/operations.md (the pseudonym key)"


def _where(key_file: Path) -> str:
    return f"${KEY_ENV}" if _from_env() else str(key_file)


def _from_env() -> bool:
    return os.environ.get(KEY_ENV) is not None


def _missing(key_file: Path) -> PseudonymKeyError:
    return PseudonymKeyError(
        f"the pseudonym key is missing: neither ${KEY_ENV} nor {key_file} holds it, and this "
        "warehouse's records were pseudonymised with it",
        f"Restore {key_file} from your backup (or set ${KEY_ENV} to the key). vrhub will not make a "
        "new key for a warehouse that holds records: every reloaded record would count twice and no "
        f"load would link to an earlier one. See {BACKUP_DOC}.",
    )


def _mismatch(key_file: Path) -> PseudonymKeyError:
    return PseudonymKeyError(
        f"the pseudonym key in {_where(key_file)} is not the key this warehouse was made with",
        "Restore the warehouse's own key from your backup"
        + (f" or unset ${KEY_ENV}" if _from_env() else "")
        + f". To change the key, use `vrhub key rotate` with the current key in place. See {BACKUP_DOC}.",
    )


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
            raise _missing(key_file)
        keys = (new_key(),)
        write_key_file(key_file, keys)
    if recorded is not None and matches(keys, recorded):
        return keys
    if recorded is None or not held:
        # Made now, or holding no records yet: nothing is pseudonymised under another key.
        set_setting(wh, KEY_FINGERPRINT, fingerprint(keys))
        return keys
    finished = _finish_rotation(key_file, recorded)
    if finished:
        return finished
    raise _mismatch(key_file)


def _finish_rotation(key_file: Path, recorded: str) -> tuple[bytes, ...] | None:
    """A rotation that committed but stopped before swapping its key file in: swap it in now."""
    pending = _pending(key_file)
    if _from_env() or not pending.exists():
        return None
    keys = read_key(pending)
    if keys is None or not matches(keys, recorded):
        return None
    pending.replace(key_file)
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
            raise _missing(key_file)
        return "no key yet: the first load will make one"
    where = _where(key_file)
    if recorded is None:
        return f"a key of {len(keys)} part(s) is in {where}; its fingerprint is recorded at the next load"
    if matches(keys, recorded):
        return f"the key in {where} is this warehouse's key ({len(keys)} part(s))"
    if not holds_records(wh):
        return f"the key in {where} is new to this warehouse, which holds no records yet"
    raise _mismatch(key_file)


_PSEUDONYM = "regexp_full_match({v}, '[0-9a-f]{{32}}|[0-9a-f]{{64}}')"


def rotate(wh: Warehouse, key_file: Path) -> int:
    """Add a new key to the chain and hash every stored pseudonym again under it, in one transaction.

    Pseudonyms are one-way and no identifier is kept, so a pseudonym can only be re-keyed by hashing it
    again: the key file then holds the chain, old keys first, and loads apply it in order. A copy of the old
    key alone no longer matches anything stored. The new key file is written beside the old one before the
    transaction and swapped in after it, so a crash leaves either state whole (see `_finish_rotation`).
    Returns the number of records re-keyed."""
    from vrhub.sources import SOURCES
    from vrhub.sources.versions import rewrite_keys

    if _from_env():
        raise PseudonymKeyError(
            f"the key comes from ${KEY_ENV}, which vrhub cannot rewrite",
            f"Put the key in {key_file}, unset ${KEY_ENV}, run `vrhub key rotate`, then move the new key "
            f"file's contents to where you keep the key. See {BACKUP_DOC}.",
        )
    keys = guarded_key(wh, key_file)
    chain = (*keys, new_key())
    pending = _pending(key_file)
    write_key_file(pending, chain, replace=True)

    def again(expr: str) -> str:
        return rekey_sql(chain[-1], expr)

    with wh.transaction():
        for spec in SOURCES.values():
            rewrite_keys(wh, spec, again)
        _rekey_quarantine(wh, again)
        if wh.has_table("quarantine_resolved"):
            _rekey_quarantine(wh, again, "quarantine_resolved")
        for table, columns in PSEUDONYM_COLUMNS.items():
            _rekey_columns(wh, table, columns, again)
        set_setting(wh, KEY_FINGERPRINT, fingerprint(chain))
    pending.replace(key_file)
    tables = {spec.table for spec in SOURCES.values()}
    return sum(int(wh.to_arrow(wh.table(t).count().as_table()).column(0)[0].as_py()) for t in tables)


def _pending(key_file: Path) -> Path:
    return key_file.with_name(key_file.name + ".rotating")


def _rekey_columns(wh: Warehouse, table: str, columns: tuple[str, ...], again: Callable[[str], str]) -> None:
    """Hash every value of `columns` again (person_links: a linked person's keys and id)."""
    if not wh.has_table(table):
        return
    rekeyed = f"SELECT * REPLACE ({', '.join(f'{again(c)} AS {c}' for c in columns)}) FROM __source"
    if wh.is_duckdb:
        wh.execute(f"CREATE OR REPLACE TEMP TABLE __rekeyed AS {rekeyed.replace('__source', table)}")
    else:
        local = ibis.duckdb.connect()
        local.create_table("__stored", wh.to_arrow(wh.table(table)), temp=True)
        rows = local.sql(rekeyed.replace("__source", "__stored")).to_pyarrow()
        wh.con.create_table("__rekeyed", rows, temp=True)
    listed = ", ".join(SCHEMAS[table].names)
    wh.execute(f"DELETE FROM {table}")
    wh.execute(f"INSERT INTO {table} ({listed}) SELECT {listed} FROM __rekeyed")
    wh.execute("DROP TABLE IF EXISTS __rekeyed")


def _rekey_quarantine(wh: Warehouse, again: Callable[[str], str], table: str = "quarantine") -> None:
    """The quarantine keeps rows as JSON with their identifiers hashed: every value that is a pseudonym
    (32 or 64 lowercase hex characters) is hashed again."""
    looks = _PSEUDONYM.format(v="v")
    field = f"CASE WHEN {looks} THEN {again('v')} ELSE v END"
    rebuilt_object = f"""(SELECT json_group_object(k, {field}) FROM (
            SELECT k, json_extract_string(raw_row, '$."' || replace(k, '"', '\\"') || '"') AS v
            FROM (SELECT unnest(json_keys(raw_row)) AS k)))"""
    rebuilt_line = (
        "to_json(array_to_string(list_transform(string_split(json_extract_string(raw_row, '$'), ','), "
        f"lambda v: {field}), ','))"
    )
    value = f"CASE WHEN {_PSEUDONYM.format(v='value')} THEN {again('value')} ELSE value END"
    raw = f"""CASE json_type(raw_row) WHEN 'OBJECT' THEN {rebuilt_object}::VARCHAR
                                     WHEN 'VARCHAR' THEN {rebuilt_line}::VARCHAR ELSE raw_row END"""
    columns = list(SCHEMAS[table].names)
    rekeyed = f"SELECT * REPLACE ({value} AS value, {raw} AS raw_row) FROM __source"
    if wh.is_duckdb:
        stored = rekeyed.replace("__source", table)
        wh.execute(f"CREATE OR REPLACE TEMP TABLE __quarantine AS {stored}")
    else:
        local = ibis.duckdb.connect()
        local.create_table("__stored", wh.to_arrow(wh.table(table).select(*columns)), temp=True)
        rows = local.sql(rekeyed.replace("__source", "__stored")).to_pyarrow()
        wh.con.create_table("__quarantine", rows, temp=True, overwrite=True)
    listed = ", ".join(columns)
    wh.execute(f"DELETE FROM {table}")
    wh.execute(f"INSERT INTO {table} ({listed}) SELECT {listed} FROM __quarantine")
    wh.execute("DROP TABLE IF EXISTS __quarantine")
