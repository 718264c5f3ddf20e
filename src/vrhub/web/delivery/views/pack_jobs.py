"""Writing the steering group pack outside the request: one background thread, one pack at a time.

The pack renders a PDF with WeasyPrint and reads the success measures from the warehouse; measured on the
demo data it takes several seconds (most of it the PDF), too long to hold a request. Files live in
DATA_DIR/reports/delivery/, so they outlast a restart; only signed-in people may download them.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

log = logging.getLogger(__name__)
NAME = re.compile(r"steering-group-pack-(\d{4}-Q[1-4])\.(html|pdf)")

_lock = threading.Lock()
_state: dict[str, Any] = {"running": None, "error": None, "finished": None}


def folder() -> Path:
    return Path(settings.DATA_DIR) / "reports" / "delivery"


def packs() -> list[dict[str, Any]]:
    """[{quarter, kinds: [html, pdf], written}] newest quarter first."""
    found: dict[str, dict[str, Any]] = {}
    if folder().is_dir():
        for path in folder().iterdir():
            match = NAME.fullmatch(path.name)
            if match:
                entry = found.setdefault(match[1], {"quarter": match[1], "kinds": []})
                entry["kinds"].append(match[2])
                if match[2] == "html":
                    entry["written"] = dt.datetime.fromtimestamp(path.stat().st_mtime).strftime(
                        "%d %B %Y %H:%M"
                    )
    for entry in found.values():
        entry["kinds"].sort()
    return sorted(found.values(), key=lambda e: e["quarter"], reverse=True)


def path_of(quarter: str, kind: str) -> Path | None:
    path = folder() / f"steering-group-pack-{quarter}.{kind}"
    return path if NAME.fullmatch(path.name) and path.is_file() else None


def status() -> dict[str, Any]:
    with _lock:
        return dict(_state)


def generate(quarter: str, pdf: bool = True) -> None:
    """Write the pack (the thread's body; tests call it directly) and record the outcome."""
    from vrhub.web.delivery.pack import write_pack
    from vrhub.web.warehouse import hub

    try:
        write_pack(quarter, folder(), hub=hub(), pdf=pdf)
    except Exception as exc:  # noqa: BLE001 - the page must say the pack failed, not the thread die silently
        log.exception("steering group pack failed")
        with _lock:
            _state["error"] = f"{quarter}: {exc or exc.__class__.__name__}"
    else:
        with _lock:
            _state["error"] = None
            _state["finished"] = f"{quarter} at {dt.datetime.now():%H:%M:%S}"
    finally:
        with _lock:
            _state["running"] = None
        connection.close()  # this thread's own database connection


def start(quarter: str) -> bool:
    """Start writing the pack for `quarter`; False (nothing started) while another is being written."""
    with _lock:
        if _state["running"] is not None:
            return False
        _state["running"] = quarter
    threading.Thread(target=generate, args=(quarter,), name=f"vrhub-pack-{quarter}", daemon=True).start()
    return True
