"""Retention: people records are kept only as long as they are needed. `purge` deletes the loads made
longer ago than an age (`365d`), their records from the vault, their rows of the quarantine and their
person links; the warehouse's `loads` keeps only that the load happened, and how many rows it had."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

from vrhub.errors import BadValue
from vrhub.linkage.vault import Vault, now
from vrhub.warehouse import Warehouse

_AGE = re.compile(r"^\s*(\d+)\s*([dwmy])\s*$", re.IGNORECASE)


def cutoff(older_than: str, today: dt.datetime | None = None) -> dt.datetime:
    """The moment `older_than` before now: days (`365d`), weeks (`52w`), calendar months (`12m`) or years
    (`2y`)."""
    found = _AGE.match(older_than or "")
    if not found or int(found.group(1)) == 0:
        raise BadValue(
            f"'{older_than}' is not an age",
            "Give a number and a unit: days (365d), weeks (52w), months (12m) or years (2y).",
            parameter="older_than",
            value=older_than,
        )
    count, unit = int(found.group(1)), found.group(2).lower()
    today = today or now()
    if unit in "dw":
        return today - dt.timedelta(days=count * (7 if unit == "w" else 1))
    months = count * (12 if unit == "y" else 1)
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    day = min(today.day, calendar.monthrange(year, month + 1)[1])
    return today.replace(year=year, month=month + 1, day=day)


def purge(wh: Warehouse, vault: Vault, older_than: str, user: str | None = None) -> dict[str, Any]:
    before = cutoff(older_than)
    gone = [x.load_id for x in vault.loads() if x.loaded_at < before]
    links = quarantined = 0
    if gone:
        listed = ", ".join(str(i) for i in gone)
        with wh.transaction():
            links = _count(wh, f"person_links WHERE load_id IN ({listed})")
            quarantined = _count(wh, f"quarantine WHERE source = 'people' AND load_id IN ({listed})")
            wh.execute(f"DELETE FROM person_links WHERE load_id IN ({listed})")
            wh.execute(f"DELETE FROM quarantine WHERE source = 'people' AND load_id IN ({listed})")
    ids, records = vault.purge(before)
    result = {
        "before": before.isoformat(timespec="seconds"),
        "loads": len(ids),
        "records": records,
        "person_links": links,
        "quarantined_rows": quarantined,
    }
    with vault.transaction():
        vault.audit("purge", records, {**result, "older_than": older_than, "load_ids": ids}, user=user)
    return result


def _count(wh: Warehouse, from_where: str) -> int:
    return int(wh.to_arrow(wh.sql(f"SELECT count(*) AS n FROM {from_where}")).column(0)[0].as_py())
