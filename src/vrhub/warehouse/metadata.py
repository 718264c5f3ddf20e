"""Settings a warehouse keeps about itself (`warehouse_settings`), such as how its pseudonyms are made."""

from __future__ import annotations

import ibis

from vrhub.warehouse.connection import Warehouse
from vrhub.warehouse.tables import SCHEMAS

TABLE = "warehouse_settings"
PSEUDONYM_SCHEME = "pseudonym_scheme"
KEY_FINGERPRINT = "pseudonym_key_fingerprint"  # salted scrypt of the key (vrhub.keys)


def get_setting(wh: Warehouse, name: str) -> str | None:
    if not wh.has_table(TABLE):
        return None
    t = wh.table(TABLE)
    rows = wh.to_arrow(t.filter(t.name == name).select("value")).column(0).to_pylist()
    return rows[0] if rows else None


def set_setting(wh: Warehouse, name: str, value: str) -> None:
    wh.execute(f"DELETE FROM {TABLE} WHERE name = '{_escape(name)}'")
    wh.insert(TABLE, ibis.memtable({"name": [name], "value": [value]}, schema=SCHEMAS[TABLE]))


def _escape(text: str) -> str:
    return text.replace("'", "''")
