"""The linkage vault: the only place people's clear identifiers are kept, apart from the warehouse.

Separation of functions, as NHS and ONS linkage practise it: whoever analyses the warehouse sees only
pseudonymous person ids; the names, dates of birth and addresses that make the links live here, in a file of
their own (`DATA_DIR/vault/people.sqlite`, SQLite: an engine the warehouse never opens or ATTACHes, so no
`vrhub sql`, page or API call can reach it), encrypted with a key kept outside it.

- Encryption at rest: each load's identifying columns are written as Arrow batches, each sealed with
  AES-256-GCM (a fresh 96-bit nonce per batch; the load and batch number are authenticated with it, so a
  batch cannot be moved to another load unnoticed). Sealing columns in batches rather than value by value
  makes a million records a few calls into the cipher (under a second) instead of millions of Python calls.
  Only what identifies no one is kept in clear: the agency, the file name, counts and dates, the audit.
- The key: `VRHUB_VAULT_KEY`, or `DATA_DIR/vault.key` beside the pseudonym key (owner-only, made with the
  vault), at least 32 bytes of text; the cipher key is derived from it with HKDF-SHA256. The vault keeps a
  sealed check value: a wrong key fails to open it and is refused by name, and a missing key for a vault
  that holds records is refused rather than replaced (a new key would make every record unreadable).
- The audit: every load, linkage run, review export and purge is recorded (who, when, how many records,
  what settings and model), in the vault beside the records it is about.
- Retention: `purge(before)` deletes the loads made before a date with their records.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import io
import json
import os
import secrets
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from vrhub.errors import VrhubError
from vrhub.pseudonymise import new_key, write_key_file

VAULT_DIR = "vault"
VAULT_FILE = "people.sqlite"
KEY_FILE = "vault.key"
KEY_ENV = "VRHUB_VAULT_KEY"
MIN_KEY_BYTES = 32
BACKUP_DOC = "docs/linkage.md (the vault key)"
FORMAT = "1"
BATCH_ROWS = 200_000  # rows sealed together: a few MB of plaintext, far below AES-GCM's limit per message

# What each record keeps, in this order, all as text: the row of its file, then what the agency sent
# (`email` last: it came later, and batches sealed before it read it as unknown).
COLUMNS = (
    "row_number",
    "record_ref",
    "forename",
    "surname",
    "date_of_birth",
    "sex",
    "postcode",
    "address",
    "nhs_number",
    "source",
    "source_ref",
    "email",
)
RECORD_SCHEMA = pa.schema([("row_number", pa.int64())] + [(c, pa.string()) for c in COLUMNS[1:]])
_CHECK = b"vrhub linkage vault key check"
_KDF_INFO = b"vrhub linkage vault aes-256-gcm"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS loads (
    load_id INTEGER PRIMARY KEY, agency TEXT NOT NULL, file_name TEXT NOT NULL, sha256 TEXT NOT NULL,
    loaded_at TEXT NOT NULL, rows INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS batches (
    load_id INTEGER NOT NULL REFERENCES loads (load_id), part INTEGER NOT NULL, rows INTEGER NOT NULL,
    nonce BLOB NOT NULL, sealed BLOB NOT NULL, PRIMARY KEY (load_id, part));
CREATE TABLE IF NOT EXISTS audit (
    event_id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, user TEXT NOT NULL, action TEXT NOT NULL,
    records INTEGER NOT NULL, detail TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    run_id INTEGER PRIMARY KEY, at TEXT NOT NULL, engine TEXT NOT NULL, mode TEXT NOT NULL,
    threshold REAL NOT NULL, model TEXT NOT NULL, nonce BLOB NOT NULL, pairs BLOB NOT NULL);
"""


class VaultKeyError(VrhubError):
    """The vault key is missing, too short, or not the key the vault was made with."""

    exit_code = 2


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def vault_path(data_dir: Path) -> Path:
    return data_dir / VAULT_DIR / VAULT_FILE


def key_path(data_dir: Path) -> Path:
    return data_dir / KEY_FILE


def _where(key_file: Path) -> str:
    return f"${KEY_ENV}" if os.environ.get(KEY_ENV) is not None else str(key_file)


def read_vault_key(key_file: Path) -> bytes | None:
    """The vault key from the environment, else the key file; None where neither holds one."""
    env = os.environ.get(KEY_ENV)
    if env is not None:
        text = env.encode("utf-8").strip()
    elif key_file.exists():
        try:
            text = key_file.read_bytes().strip()
        except OSError as exc:
            raise VaultKeyError(
                f"the vault key file {key_file} cannot be read: {exc.strerror}",
                f"Check its permissions, or restore it from your backup. See {BACKUP_DOC}.",
            ) from exc
    else:
        return None
    if len(text) < MIN_KEY_BYTES:
        raise VaultKeyError(
            f"the vault key in {_where(key_file)} is {len(text)} bytes long; "
            f"at least {MIN_KEY_BYTES} are needed",
            f"Restore the key from your backup. See {BACKUP_DOC}.",
        )
    return text


def _cipher(key: bytes) -> AESGCM:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KDF_INFO).derive(key)
    return AESGCM(derived)


@dataclass(frozen=True)
class VaultLoad:
    load_id: int
    agency: str
    file_name: str
    sha256: str
    loaded_at: dt.datetime
    rows: int


class Vault:
    """An open vault: its SQLite connection and its cipher. Use as a context manager."""

    def __init__(self, path: Path, con: sqlite3.Connection, cipher: AESGCM) -> None:
        self.path = path
        self._con = con
        self._cipher = cipher

    # -- opening -------------------------------------------------------------------------------------
    @classmethod
    def open(cls, data_dir: Path, create: bool = True) -> Vault:
        """Open the vault of a data folder with its key, refusing a wrong or missing one. `create` makes
        the vault (and, where none is given, its key) when the folder has none yet."""
        path, key_file = vault_path(data_dir), key_path(data_dir)
        exists = path.exists()
        if not exists and not create:
            raise VrhubError(
                f"no linkage vault in {data_dir}: no people records have been loaded",
                "Load people records first (the people source, with the agency that holds them).",
            )
        key = read_vault_key(key_file)
        con = _connect(path)
        try:
            con.executescript(_SCHEMA)
            key = _guarded(con, key, key_file)
            return cls(path, con, _cipher(key))
        except BaseException:
            con.close()
            raise

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        with self._con:  # commits, or rolls back on an exception
            yield

    # -- sealing -------------------------------------------------------------------------------------
    def _seal(self, data: bytes, context: str) -> tuple[bytes, bytes]:
        nonce = secrets.token_bytes(12)
        return nonce, self._cipher.encrypt(nonce, data, context.encode("ascii"))

    def _open_sealed(self, nonce: bytes, sealed: bytes, context: str) -> bytes:
        try:
            return self._cipher.decrypt(nonce, sealed, context.encode("ascii"))
        except InvalidTag:
            raise VrhubError(
                f"the vault {self.path} holds a damaged or altered batch ({context})",
                f"Restore the vault from your backup. See {BACKUP_DOC}.",
            ) from None

    # -- records -------------------------------------------------------------------------------------
    def add_load(self, load: VaultLoad, records: pa.Table) -> None:
        """Keep one file's records (`RECORD_SCHEMA`), sealed in batches. Runs in the caller's transaction."""
        self._con.execute(
            "INSERT INTO loads VALUES (?, ?, ?, ?, ?, ?)",
            (load.load_id, load.agency, load.file_name, load.sha256, load.loaded_at.isoformat(), load.rows),
        )
        records = records.select(list(COLUMNS)).cast(RECORD_SCHEMA)
        for part, batch in enumerate(records.to_batches(max_chunksize=BATCH_ROWS)):
            nonce, sealed = self._seal(_ipc(pa.Table.from_batches([batch])), f"load {load.load_id} {part}")
            self._con.execute(
                "INSERT INTO batches VALUES (?, ?, ?, ?, ?)",
                (load.load_id, part, batch.num_rows, nonce, sealed),
            )

    def loads(self) -> list[VaultLoad]:
        rows = self._con.execute(
            "SELECT load_id, agency, file_name, sha256, loaded_at, rows FROM loads ORDER BY load_id"
        ).fetchall()
        return [VaultLoad(r[0], r[1], r[2], r[3], dt.datetime.fromisoformat(r[4]), r[5]) for r in rows]

    def loaded(self, agency: str, sha256: str) -> VaultLoad | None:
        """The load of this very file for this agency, if its records are still kept."""
        return next((x for x in self.loads() if x.agency == agency and x.sha256 == sha256), None)

    def records(self) -> pa.Table:
        """Every record kept, every version: `load_id`, `agency`, `file_name`, `loaded_at`, then
        `RECORD_SCHEMA`. Decrypted in memory only; nothing clear is written anywhere."""
        loads = {x.load_id: x for x in self.loads()}
        parts = []
        for load_id, part, nonce, sealed in self._con.execute(
            "SELECT load_id, part, nonce, sealed FROM batches ORDER BY load_id, part"
        ):
            table = _from_ipc(self._open_sealed(nonce, sealed, f"load {load_id} {part}"))
            table = _with_every_column(table)
            load = loads[load_id]
            n = table.num_rows
            parts.append(
                table.add_column(0, "load_id", pa.repeat(pa.scalar(load_id, pa.int64()), n))
                .add_column(1, "agency", pa.repeat(pa.scalar(load.agency, pa.string()), n))
                .add_column(2, "file_name", pa.repeat(pa.scalar(load.file_name, pa.string()), n))
                .add_column(3, "loaded_at", pa.repeat(pa.scalar(load.loaded_at, pa.timestamp("us")), n))
            )
        if not parts:
            empty = [("load_id", pa.int64()), ("agency", pa.string()), ("file_name", pa.string())]
            schema = pa.schema([*empty, ("loaded_at", pa.timestamp("us")), *RECORD_SCHEMA])
            return schema.empty_table()
        return pa.concat_tables(parts)

    def purge(self, before: dt.datetime) -> tuple[list[int], int]:
        """Delete the loads made before `before` and their records. Returns the load ids and record count.
        SQLite's VACUUM then rewrites the file, so the deleted batches leave no pages behind."""
        gone = [x for x in self.loads() if x.loaded_at < before]
        ids = [x.load_id for x in gone]
        for load_id in ids:
            self.purge_load(load_id)
        self._con.execute("VACUUM")
        return ids, sum(x.rows for x in gone)

    def purge_load(self, load_id: int) -> None:
        """Take one load back out (its warehouse record failed to commit)."""
        with self.transaction():
            self._con.execute("DELETE FROM batches WHERE load_id = ?", (load_id,))
            self._con.execute("DELETE FROM loads WHERE load_id = ?", (load_id,))

    # -- runs and the audit --------------------------------------------------------------------------
    def audit(self, action: str, records: int, detail: dict[str, Any], user: str | None = None) -> int:
        """Record an event; returns its id. Runs in the caller's transaction, if any."""
        cursor = self._con.execute(
            "INSERT INTO audit (at, user, action, records, detail) VALUES (?, ?, ?, ?, ?)",
            (now().isoformat(), user or current_user(), action, records, json.dumps(detail, default=str)),
        )
        return int(cursor.lastrowid or 0)

    def audit_events(self) -> list[dict[str, Any]]:
        rows = self._con.execute(
            "SELECT event_id, at, user, action, records, detail FROM audit ORDER BY event_id"
        ).fetchall()
        names = ("event_id", "at", "user", "action", "records", "detail")
        return [{**dict(zip(names, r, strict=True)), "detail": json.loads(r[5])} for r in rows]

    def next_run_id(self) -> int:
        (last,) = self._con.execute("SELECT max(run_id) FROM runs").fetchone()
        return int(last or 0) + 1

    def save_run(
        self, run_id: int, engine: str, mode: str, threshold: float, model: dict[str, Any], pairs: pa.Table
    ) -> None:
        """The run's model (to link later loads to) and its scored pairs (for the quality report), sealed:
        the pairs say which records were compared with which."""
        nonce, sealed = self._seal(_ipc(pairs), f"run {run_id}")
        self._con.execute(
            "INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (run_id, now().isoformat(), engine, mode, threshold, json.dumps(model), nonce, sealed),
        )

    def last_run(self) -> dict[str, Any] | None:
        row = self._con.execute(
            "SELECT run_id, at, engine, mode, threshold, model FROM runs ORDER BY run_id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        names = ("run_id", "at", "engine", "mode", "threshold")
        return {**dict(zip(names, row[:5], strict=True)), "model": json.loads(row[5])}

    def run_pairs(self, run_id: int) -> pa.Table:
        row = self._con.execute("SELECT nonce, pairs FROM runs WHERE run_id = ?", (run_id,)).fetchone()
        if row is None:
            raise VrhubError(f"no linkage run {run_id} in the vault", "Run the linkage first.")
        return _from_ipc(self._open_sealed(row[0], row[1], f"run {run_id}"))

    def drop_runs_before(self, run_id: int) -> None:
        """Keep only the latest run's pairs and model: older pairs name records that may be purged."""
        self._con.execute("DELETE FROM runs WHERE run_id < ?", (run_id,))


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for the process's user id (a container)
        return f"uid {os.getuid()}"


def _connect(path: Path) -> sqlite3.Connection:
    """The vault file, owner-only from the start, in a folder only its owner can enter."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    con = sqlite3.connect(path, isolation_level=None)  # autocommit but inside `with con:` blocks
    con.execute("PRAGMA foreign_keys = ON")
    con.execute("PRAGMA secure_delete = ON")  # deleted records are overwritten, not left in free pages
    return con


def _holds_records(con: sqlite3.Connection) -> bool:
    return con.execute("SELECT count(*) FROM loads").fetchone()[0] > 0


def _guarded(con: sqlite3.Connection, key: bytes | None, key_file: Path) -> bytes:
    """The key to open the vault with: its own, checked against the sealed check value. A vault that holds
    no records yet takes a new key (made, and written to the key file, where none is given)."""
    held = _holds_records(con)
    if key is None:
        if held:
            raise VaultKeyError(
                f"the vault key is missing: neither ${KEY_ENV} nor {key_file} holds it, and the vault "
                "holds people records sealed with it",
                f"Restore {key_file} from your backup (or set ${KEY_ENV}). A new key cannot open the records "
                f"already kept. See {BACKUP_DOC}.",
            )
        key = new_key()
        write_key_file(key_file, (key,))
    cipher = _cipher(key)
    row = con.execute("SELECT value FROM meta WHERE name = 'key_check'").fetchone()
    if row is not None:
        nonce, sealed = (bytes.fromhex(part) for part in row[0].split(":"))
        try:
            cipher.decrypt(nonce, sealed, b"key check")
            return key
        except InvalidTag:
            if held:
                raise VaultKeyError(
                    f"the vault key in {_where(key_file)} is not the key this vault was made with",
                    f"Restore the vault's own key from your backup. See {BACKUP_DOC}.",
                ) from None
    nonce = secrets.token_bytes(12)
    check = f"{nonce.hex()}:{cipher.encrypt(nonce, _CHECK, b'key check').hex()}"
    with con:
        con.execute("INSERT OR REPLACE INTO meta VALUES ('key_check', ?)", (check,))
        con.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)", (FORMAT,))
    return key


def _ipc(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, table.schema, options=pa.ipc.IpcWriteOptions(compression="zstd")) as out:
        out.write_table(table)
    return sink.getvalue()


def _with_every_column(table: pa.Table) -> pa.Table:
    """A batch sealed before a column was added to `COLUMNS` (`email`) reads with that column unknown."""
    for name in RECORD_SCHEMA.names:
        if name not in table.column_names:
            table = table.append_column(name, pa.nulls(table.num_rows, pa.string()))
    return table.select(RECORD_SCHEMA.names)


def _from_ipc(data: bytes) -> pa.Table:
    return pa.ipc.open_stream(data).read_all()
