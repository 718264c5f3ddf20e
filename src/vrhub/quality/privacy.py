"""Is the data folder closed to other accounts? It holds the warehouse, the pseudonym key, the web database
(sessions, password hashes) and raw uploads: nothing in it should be readable by anyone but its owner."""

from __future__ import annotations

import stat
from pathlib import Path

from vrhub.quality.model import Finding

# What vrhub keeps in the data folder; anything else there is the operator's own.
_KEPT = ("warehouse.duckdb", "warehouse.duckdb.wal", "pseudonym.key", "web.sqlite3", "web-secret.key")


def open_to_others(data_dir: Path) -> list[Path]:
    """The data folder, and vrhub's files and folders in it, that another account can read or enter."""
    if not data_dir.is_dir():
        return []
    places = [data_dir, *(data_dir / name for name in _KEPT), data_dir / "reports", data_dir / "uploads"]
    return [p for p in places if p.exists() and stat.S_IMODE(p.stat().st_mode) & 0o077]


def privacy_findings(data_dir: Path) -> list[Finding]:
    found = open_to_others(data_dir)
    if not found:
        return []
    shown = ", ".join(f"{p} ({stat.filemode(p.stat().st_mode)})" for p in found)
    return [
        Finding(
            source="data folder",
            month=None,
            field=None,
            check="private_files",
            severity="warning",
            value=float(len(found)),
            expected=0.0,
            message=(
                f"readable by other accounts on this machine: {shown}. It holds pseudonymised records, the "
                f"pseudonym key and the web database; close it with: chmod -R go-rwx {data_dir}"
            ),
        )
    ]
