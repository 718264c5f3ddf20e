"""Generating the Strategic Needs Assessment outside the request: one background thread, one report at a time.

Writing the report takes about ten seconds (every measure, the hot spots, the PDF), far too long for a
request. `start(edition)` hands it to a thread and returns at once; the reports page shows `status()` and
offers the files once they exist. The files live in DATA_DIR/reports/<edition>/, so they outlast a restart;
the page also offers a report the command line wrote to DATA_DIR/reports/ (`make demo`), where it is newer.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from pathlib import Path
from typing import Any

from django.conf import settings

from vrhub.config import settings as vrhub_settings
from vrhub.web.warehouse import hub

EDITIONS = ("partner", "public")
log = logging.getLogger(__name__)

_lock = threading.Lock()
_state: dict[str, Any] = {"running": None, "started": None, "error": {}, "finished": {}}


def folder(edition: str) -> Path:
    return Path(settings.DATA_DIR) / "reports" / edition


def _written_by_commands() -> Path:
    """Where `make demo`, `vrhub demo` and `vrhub report` write (the settings' reports_dir): the data folder's
    reports/, beside the folders this page writes each edition to."""
    return vrhub_settings(data_dir=settings.DATA_DIR).reports_dir


def files(edition: str) -> dict[str, Path]:
    """The newest of the edition's reports that exist, {'html': path, 'pdf': path}: the page's own, or the
    one the command line wrote (the demo's), whichever was written last. A PDF only beside its own HTML."""
    newest: dict[str, Path] = {}
    newest_time = -1.0
    for place in (folder(edition), _written_by_commands()):
        html = place / f"vrhub-report-{edition}.html"
        if html.is_file() and html.stat().st_mtime > newest_time:
            newest_time = html.stat().st_mtime
            pdf = place / f"vrhub-report-{edition}.pdf"
            newest = {"html": html, **({"pdf": pdf} if pdf.is_file() else {})}
    return newest


def status() -> dict[str, Any]:
    """What the page and the status JSON show: which edition is being written and each edition's files."""
    with _lock:
        running, started = _state["running"], _state["started"]
        errors, finished = dict(_state["error"]), dict(_state["finished"])
    editions = {}
    for edition in EDITIONS:
        present = files(edition)
        written = (
            dt.datetime.fromtimestamp(present["html"].stat().st_mtime).strftime("%d %B %Y %H:%M")
            if "html" in present
            else None
        )
        editions[edition] = {
            "state": "running" if running == edition else ("ready" if present else "none"),
            "written": written,
            "has_pdf": "pdf" in present,
            "error": errors.get(edition),
            "finished": finished.get(edition),
        }
    return {"running": running, "started": started, "editions": editions}


def generate(edition: str) -> None:
    """Write the report (the thread's body; tests call it directly). Records the outcome for `status`."""
    if edition not in EDITIONS:
        raise ValueError(edition)
    try:
        hub().report(folder(edition), edition)
    except Exception as exc:  # noqa: BLE001 - the page must say the report failed, not the thread die silently
        log.exception("report generation failed")
        with _lock:
            _state["error"][edition] = str(exc) or exc.__class__.__name__
    else:
        with _lock:
            _state["error"].pop(edition, None)
            _state["finished"][edition] = dt.datetime.now().strftime("%d %B %Y %H:%M")
    finally:
        with _lock:
            _state["running"] = None
            _state["started"] = None


def start(edition: str) -> bool:
    """Start writing `edition` in the background; False (nothing started) while another report is running."""
    if edition not in EDITIONS:
        raise ValueError(edition)
    with _lock:
        if _state["running"] is not None:
            return False
        _state["running"] = edition
        _state["started"] = dt.datetime.now().strftime("%H:%M:%S")
    _spawn(edition)
    return True


def _spawn(edition: str) -> None:
    threading.Thread(target=generate, args=(edition,), name=f"vrhub-report-{edition}", daemon=True).start()
