"""Where vrhub keeps its state: one data folder holding the warehouse, the pseudonym key and reports."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATA_DIR = "vrhub-data"
WAREHOUSE_FILE = "warehouse.duckdb"
KEY_FILE = "pseudonym.key"

# The police force area that the shipped reference data rolls up to.
FORCE_CODE = "E23000004"
FORCE_NAME = "Merseyside"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    warehouse: str

    @property
    def key_file(self) -> Path:
        return self.data_dir / KEY_FILE

    @property
    def reports_dir(self) -> Path:
        return self.data_dir / "reports"


def settings(data_dir: str | Path | None = None, warehouse: str | None = None) -> Settings:
    """Resolve settings: explicit arguments win, then environment variables, then defaults."""
    folder = Path(data_dir or os.environ.get("VRHUB_DATA_DIR") or DEFAULT_DATA_DIR)
    target = warehouse or os.environ.get("VRHUB_WAREHOUSE") or str(folder / WAREHOUSE_FILE)
    return Settings(data_dir=folder, warehouse=target)


def snapshots_wanted() -> bool:
    """VRHUB_SNAPSHOT=off: publish no Parquet snapshot after each write (a deployment whose warehouse nobody
    reads while it is held, such as one on PostgreSQL, or a test run; see docs/performance.md)."""
    return os.environ.get("VRHUB_SNAPSHOT", "on").strip().lower() not in ("off", "0", "no", "false")
